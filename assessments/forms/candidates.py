"""Forms of candidates (Art 16, 18): one candidate, a withdrawal, a roster upload. The forms
parse input and give field messages; the services decide (eligibility, Art 16, places)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.services import candidates as cs
from catalog.models import EducationLevel
from portal import pii
from portal.forms import Form
from portal.models import IdType
from portal.validators import normalize_phone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVELS = [("", "—"), ("5", "五级"), ("4", "四级"), ("3", "三级"), ("2", "二级"), ("1", "一级")]


class CandidateForm(Form):
    real_name = forms.CharField(label=_("Real name"), max_length=60)
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    email = forms.EmailField(label=_("E-mail"), required=False)
    employer_name = forms.CharField(label=_("Employer"), max_length=120, required=False)
    employer_uscc = forms.CharField(
        label=_("Employer's unified social credit code"), max_length=18, required=False
    )
    dispatched = forms.BooleanField(label=_("Dispatched staff (劳务派遣)"), required=False)
    work_unit_name = forms.CharField(
        label=_("Unit where the person works"), max_length=120, required=False
    )
    work_unit_uscc = forms.CharField(
        label=_("USCC of the unit where the person works"), max_length=18, required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *EducationLevel.choices], required=False
    )
    started_on = forms.DateField(
        label=_("Started work in the occupation"), widget=DATE, required=False
    )
    prior_number = forms.CharField(
        label=_("Certificate held: number"), max_length=40, required=False
    )
    prior_level = forms.ChoiceField(
        label=_("Certificate held: level"), choices=LEVELS, required=False
    )
    prior_date = forms.DateField(label=_("Certificate held: date"), widget=DATE, required=False)
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG portrait, at least 295×413 px, at most 2 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )

    def clean_id_number(self):
        number = pii.normalise(self.data.get("id_type", ""), self.cleaned_data["id_number"])
        pii.validate(self.data.get("id_type", ""), number)
        return number

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_prior_number(self):
        return cs.check_prior_number(self.cleaned_data["prior_number"])

    def _uscc(self, name):
        from portal import codes

        value = codes.normalize_code(self.cleaned_data[name]).upper()
        if value:
            codes.validate_uscc(value)
        return value

    def clean_employer_uscc(self):
        return self._uscc("employer_uscc")

    def clean_work_unit_uscc(self):
        return self._uscc("work_unit_uscc")

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return cs.check_photo(upload.read())

    def clean(self):
        data = super().clean()
        if data.get("dispatched") and not data.get("work_unit_uscc"):
            self.add_error(
                "work_unit_uscc", _("Dispatched staff: give the unit where the person works.")
            )
        return data

    def service_input(self) -> cs.CandidateInput:
        return cs.CandidateInput(**self.cleaned_data)


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EducationForm(Form):
    diploma = forms.FileField(
        label=_("Diploma (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": _("Upload the diploma (PDF, JPEG or PNG).")},
    )
    confirmed = forms.BooleanField(
        label=_("I have seen the diploma: it shows the stated education."),
        error_messages={"required": _("Confirm that the diploma shows the stated education.")},
    )


class RosterForm(Form):
    roster = forms.FileField(
        label=_("Roster (XLSX, XLS, ODS or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )
    photos = forms.FileField(
        label=_("Photos (a ZIP of images named by ID number), optional"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )
