"""Forms of results (Art 20): the worker's look-up and review request (human check), the
review tracking, the agency's answer, the official's choice of candidates when upholding."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import notices
from portal.captcha import CaptchaFormMixin
from portal.forms import Form


class LookupForm(CaptchaFormMixin, Form):
    captcha_purpose = "result_lookup"

    ticket = forms.CharField(
        label=_("Admission ticket number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Candidate's name"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ReviewRequestForm(CaptchaFormMixin, Form):
    """Asked from the look-up's answer: ``token`` (signed, short-lived) names the result found,
    so the ID number is never written back into the page."""

    captcha_purpose = "result_lookup"

    token = forms.CharField(widget=forms.HiddenInput, max_length=200)
    contact = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=notices.MAX_CONTACT,
        help_text=_("The agency may contact you about the review."),
    )
    request = forms.CharField(
        label=_("Which score to review, and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_contact(self) -> str:
        return notices.validate_contact(self.cleaned_data["contact"])


class ReviewTrackForm(Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ReviewAnswerForm(Form):
    answer = forms.CharField(
        label=_("Answer and its reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    changed = forms.BooleanField(
        label=_("The score is changed (the result returns to correction)"), required=False
    )


class UpholdForm(Form):
    """The candidates an upheld objection concerns, and the reason."""

    results = forms.MultipleChoiceField(
        label=_("Candidates concerned"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=notices.MAX_REASON,
        help_text=_(
            "The objector (with the tracking code) and the agency read this reason. "
            "Do not name the objector."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["results"].choices = list(choices)
