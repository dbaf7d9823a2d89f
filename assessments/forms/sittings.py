"""Forms of the sitting (Art 18, 19): seat rule, ticket code, incidents and their decision,
the supervisor's report, the worker's ticket look-up. Forms parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import IncidentDecision, IncidentKind, SeatRule, SupervisionRating
from portal import documents
from portal.captcha import CaptchaFormMixin
from portal.forms import Form
from portal.models import IdType


class SeatRuleForm(Form):
    rule = forms.ChoiceField(label=_("How the seats are allocated"), choices=SeatRule.choices,
                             initial=SeatRule.RANDOM)  # fmt: skip


class CodeForm(Form):
    code = forms.CharField(
        label=_("Ticket number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )


class IncidentForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    enrolment = forms.TypedChoiceField(
        label=_("Candidate (if one is concerned)"), required=False, coerce=int, empty_value=None
    )
    description = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A photo or a PDF of what was found."),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [("", "—"), *candidates]

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            documents.validate_upload(upload)
        return upload or None


class DecisionForm(Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=IncidentDecision.choices)
    reason = forms.CharField(
        label=_("Reason for the decision"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(Form):
    process = forms.CharField(
        label=_("How the sittings went"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )
    incidents = forms.CharField(
        label=_("Incidents observed"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rating = forms.ChoiceField(label=_("Rating"), choices=SupervisionRating.choices)


class TicketLookupForm(CaptchaFormMixin, Form):
    captcha_purpose = "ticket"

    real_name = forms.CharField(
        label=_("Name"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices,
                                initial=IdType.RESIDENT_ID)  # fmt: skip
    id_number = forms.CharField(
        label=_("ID number"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
