"""Forms of bulk verification (Art 22; decision 0051)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import LegalBasis
from portal.forms import Form, PhoneField


class ApplicationForm(Form):
    name = forms.CharField(label=_("Organisation name"), max_length=100)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("18 characters, as on the business licence."),
    )
    purpose = forms.CharField(
        label=_("Purpose of verification"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: checking the certificates of job applicants before hiring."),
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    basis_detail = forms.CharField(
        label=_("How the basis is met"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: applicants sign a consent to the check in the application form."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=40)
    contact_phone = PhoneField(label=_("Contact phone"))
    contact_email = forms.EmailField(label=_("Contact e-mail"))


class DecisionForm(Form):
    note = forms.CharField(
        label=_("Note (the reason, when refusing)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UploadForm(Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX, XLS, ODS or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )


class MemberForm(Form):
    username = forms.CharField(label=_("User name of the portal account"), max_length=150)
    is_admin = forms.BooleanField(label=_("Administrator"), required=False)


class TokenForm(Form):
    name = forms.CharField(
        label=_("Token name"), max_length=60, help_text=_("For example: 招聘系统.")
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=366, initial=90
    )
    daily_quota = forms.IntegerField(
        label=_("Items per day"), min_value=1, max_value=100000, initial=5000
    )
