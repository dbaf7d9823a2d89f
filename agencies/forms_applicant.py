"""Forms of the applicant side: registration, the directory search, the application sections.

Forms parse input and give field-level messages; completeness and the call's rules are
checked by the services (``submission_problems``), whose errors the views put back here.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from agencies.models import Condition
from catalog.models import Occupation, SkillLevel, WorkType
from portal import codes
from portal.captcha import CaptchaFormMixin
from portal.models import AgencyKind, Province

PLEDGE_TEXT = _(
    "I pledge that the materials submitted are true, valid and lawful, and that the "
    "organisation is responsible for them (Art 13 of the Work Rules)."
)


def _text(label, max_length: int, *, required: bool = False, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


class UsccField(forms.CharField):
    """A USCC: malformed input is refused here; a wrong check character is accepted
    (some issued codes fail it) and flagged for an official on submission."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Unified social credit code"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", _("18 characters, as on the business licence."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = codes.normalize_code(super().clean(value) or "")
        if value and not codes.uscc_format_ok(value):
            raise ValidationError(
                codes.uscc_problem(value) or _("Enter a valid code."), code="invalid"
            )
        return value


class RegistrationForm(CaptchaFormMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; you sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    real_name = forms.CharField(label=_("Your real name"), max_length=60)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=30, widget=forms.TextInput(attrs={"type": "tel"})
    )
    org_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=120,
        help_text=_("As registered (business licence or legal person certificate)."),
    )
    uscc = UsccField()
    kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=AgencyKind.choices, widget=forms.RadioSelect
    )
    province = forms.ModelChoiceField(
        label=_("Registered province"), queryset=Province.objects.all()
    )

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator()(value)
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords differ."))
        return data


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Agency name"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *AgencyKind.choices]
    )
    occupation = forms.CharField(
        label=_("Occupation (code or name)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 6-31 or 电工")}),
    )
    level = forms.ChoiceField(label=_("Level"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.code, p.name) for p in Province.objects.all()
        ]
        self.fields["level"].choices = [("", _("Any level"))] + [
            (lv.pk, lv.display) for lv in SkillLevel.objects.order_by("-rank")
        ]


# --- The application's sections -----------------------------------------------------------


class DetailsForm(forms.Form):
    """The applicant's particulars and declared figures; blanks are allowed in a draft."""

    legal_name = _text(_("Legal name"), 120)
    uscc = UsccField(required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=AgencyKind.choices)
    registered_province = forms.ModelChoiceField(
        label=_("Registered province"), queryset=Province.objects.all()
    )
    address = _text(_("Registered address"), 200)
    legal_representative = _text(_("Legal representative"), 60)
    contact_name = _text(_("Contact person"), 60)
    contact_phone = _text(_("Contact phone"), 30, type="tel")
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    declared_years = forms.IntegerField(
        label=_("Years of relevant training or evaluation work"),
        required=False,
        min_value=0,
        max_value=200,
    )
    declared_total_assessed = forms.IntegerField(
        label=_("Person-times assessed in total"), required=False, min_value=0
    )

    FIELDS = (
        "legal_name",
        "uscc",
        "kind",
        "registered_province",
        "address",
        "legal_representative",
        "contact_name",
        "contact_phone",
        "contact_email",
        "declared_years",
        "declared_total_assessed",
    )

    @classmethod
    def initial_for(cls, application) -> dict:
        return {
            name: getattr(
                application, name if name != "registered_province" else "registered_province_id"
            )
            for name in cls.FIELDS
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        province = data.pop("registered_province")
        data["registered_province_id"] = province.pk
        return data


class ConditionForm(forms.Form):
    """One condition of Art 12: the statement, and one more evidence file to attach."""

    statement = forms.CharField(
        label=_("How the organisation meets this condition"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = forms.FileField(
        label=_("Add an evidence document"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word or Excel."),
    )
    evidence_title = forms.CharField(
        label=_("Title of the document (optional)"), required=False, max_length=200
    )

    def __init__(self, *args, condition: int, **kwargs) -> None:
        super().__init__(*args, prefix=f"condition_{condition}", **kwargs)
        self.condition = condition
        self.condition_label = Condition(condition).label


class ScopeForm(forms.Form):
    occupation = forms.CharField(
        label=_("Occupation code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 6-31-01-03")}),
    )
    work_type = forms.CharField(label=_("Work type (optional)"), max_length=80, required=False)
    levels = forms.ModelMultipleChoiceField(
        label=_("Levels"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=SkillLevel.objects.order_by("-rank"),
    )
    declared_assessed = forms.IntegerField(
        label=_("Person-times assessed in this occupation"), required=False, min_value=0
    )

    def __init__(self, *args, kind: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["levels"]
        if kind != "Y":  # the tiers above level 1 are for employers only (Art 9)
            field.queryset = field.queryset.filter(employer_only=False)
        field.label_from_instance = lambda lv: lv.display

    def clean_occupation(self):
        code = codes.normalize_occupation_code(self.cleaned_data.get("occupation") or "")
        if not code:
            return None
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            raise ValidationError(
                _("No occupation has the code %(code)s.") % {"code": code}, code="unknown"
            )
        return occupation

    def clean(self):
        data = super().clean()
        occupation, name = data.get("occupation"), (data.get("work_type") or "").strip()
        data["work_type"] = None
        if occupation is not None and name:
            work_type = WorkType.objects.filter(occupation=occupation, name=name).first()
            if work_type is None:
                self.add_error(
                    "work_type",
                    _("%(occupation)s has no work type named %(name)s.")
                    % {"occupation": occupation.name, "name": name},
                )
            data["work_type"] = work_type
        elif (
            occupation is None
            and "occupation" not in self.errors
            and (data.get("levels") or name or data.get("declared_assessed") is not None)
        ):
            self.add_error("occupation", _("Enter the occupation code."))
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("occupation")


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Site name"), max_length=120, required=False)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        filled = [data.get("name"), data.get("province"), data.get("address")]
        if any(filled) and not all(filled):
            for key in ("name", "province", "address"):
                if not data.get(key) and key not in self.errors:
                    self.add_error(key, _("This field is required."))
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("name") and not self.cleaned_data.get("address")


class _Rows(BaseFormSet):
    """Rows left blank are ignored; ticked "remove" rows are dropped."""

    def kept(self) -> list[forms.Form]:
        return [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank
        ]


ScopeFormSet = formset_factory(
    ScopeForm, formset=_Rows, extra=1, can_delete=True, max_num=50, validate_max=True
)
SiteFormSet = formset_factory(
    SiteForm, formset=_Rows, extra=1, can_delete=True, max_num=40, validate_max=True
)


class PledgeForm(forms.Form):
    pledge = forms.BooleanField(label=PLEDGE_TEXT, required=False)
