"""Forms of revocation, correction and reissue (Art 27; decision 0049)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import Form
from portal.models import IdType

REASON = forms.Textarea(attrs={"rows": 4})


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files (checked for size and real type when stored)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class RequestForm(Form):
    """The agency's request to revoke or reissue: the reason and the evidence."""

    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=REASON)
    evidence = EvidenceField(
        label=_("Evidence"),
        required=False,
        help_text=_("PDF, JPEG or PNG; several files may be chosen."),
    )


class CorrectionForm(RequestForm):
    """The agency's request to correct the holder's name and/or ID."""

    name = forms.CharField(
        label=_("Corrected name"),
        max_length=60,
        required=False,
        help_text=_("Leave empty if the name is right."),
    )
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices, required=False)
    id_number = forms.CharField(
        label=_("Corrected ID number"),
        max_length=20,
        required=False,
        help_text=_("Leave empty if the ID number is right."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["name", "id_type", "id_number", "reason", "evidence"]


class DecisionForm(Form):
    """The filing authority's decision on a request."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=REASON,
        help_text=_("Needed when you refuse: the agency reads it."),
    )


class RevokeForm(Form):
    """An official's direct revocation (for example after a spot check)."""

    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=REASON,
        help_text=_("Shown on the certificate's public page and in the lookup."),
    )
