"""The filters of the statistical report (Art 21)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import SkillLevel
from portal.forms import FilterForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatisticsFilterForm(FilterForm):
    """The officials' statistics: period (by the last sitting), occupation, level."""

    sat_from = forms.DateField(label=_("Last sitting from"), widget=DATE, required=False)
    sat_until = forms.DateField(label=_("Last sitting until"), widget=DATE, required=False)
    occupation = forms.CharField(
        label=_("Occupation (name or code)"), required=False, max_length=60
    )
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=SkillLevel.objects.all(), required=False
    )
