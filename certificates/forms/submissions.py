"""Forms of data submission (Art 21; decision 0052)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import FilterForm, Form


class SubmissionFilterForm(FilterForm):
    STATES = (
        ("waiting", _("Waiting for acknowledgement")),
        ("acknowledged", _("Acknowledged")),
        ("all", _("All")),
    )

    q = forms.CharField(label=_("Agency name or USCC"), required=False, max_length=120)
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False, initial="all")


class AcknowledgeForm(Form):
    note = forms.CharField(
        label=_("Note to the agency"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what you checked, or what the agency should correct."),
    )
