"""The audit-trail filter form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.audit import display
from portal.forms import Form


class AuditFilterForm(Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=80)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    agency = forms.ModelChoiceField(label=_("Agency"), required=False, queryset=None)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, agencies=None, actions=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("All object types"))] + sorted(
            ((name, display.object_type_label(name)) for name in object_types),
            key=lambda c: c[1],
        )
        self.fields["action"].choices = [("", _("All actions"))] + sorted(
            ((name, audit.describe(name)) for name in actions),
            key=lambda c: c[1],
        )
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies
            self.fields["agency"].empty_label = _("All agencies")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
