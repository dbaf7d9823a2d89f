"""The form of the working-day calendar; field messages in Chinese through gettext."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import ModelForm
from portal.models import CalendarDay


class CalendarDayForm(ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        error_messages = {"date": {"unique": _("This date is already in the calendar.")}}
