"""Forms of a listed agency's own running: members, published rules and fees, change requests.

Forms parse input and give field-level messages; the services decide (last administrator,
duplicate role, nothing changed, a request already pending) and the views put their
refusals back here.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from agencies.forms_applicant import ScopeForm, _Rows
from agencies.models import RulesKind
from portal.roles import AgencyRole

EXPLANATION = forms.CharField(
    label=_("Explanation for the filing authority (optional)"),
    required=False,
    max_length=2000,
    widget=forms.Textarea(attrs={"rows": 3}),
)


class AddMemberForm(forms.Form):
    NEW, EXISTING = "new", "existing"

    account = forms.ChoiceField(
        label=_("Account"),
        choices=[
            (EXISTING, _("An existing account (enter its username)")),
            (NEW, _("Create a new account")),
        ],
        initial=EXISTING,
        widget=forms.RadioSelect,
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    real_name = forms.CharField(label=_("Real name (new account)"), max_length=60, required=False)
    email = forms.EmailField(label=_("E-mail (new account)"), required=False)
    phone = forms.CharField(
        label=_("Mobile phone (new account)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    role = forms.ChoiceField(label=_("Role in the agency"), choices=AgencyRole.choices)

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator()(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("account") == self.NEW and not (data.get("real_name") or "").strip():
            self.add_error("real_name", _("Enter the person's real name."))
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=AgencyRole.choices)


class PublishRulesForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the new version"),
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Publishing makes this the current version; earlier versions stay visible."),
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        self.kind_label = RulesKind(kind).label


class DetailsChangeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=60, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=60, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    explanation = EXPLANATION

    FIELDS = (
        "name",
        "address",
        "legal_representative",
        "contact_name",
        "contact_phone",
        "contact_email",
    )

    @classmethod
    def initial_for(cls, agency) -> dict:
        return {name: getattr(agency, name) for name in cls.FIELDS}


class ScopeRowForm(ScopeForm):
    """One row of the scope after the change: occupation code, work type, levels."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["declared_assessed"]


ScopeChangeFormSet = formset_factory(
    ScopeRowForm, formset=_Rows, extra=1, can_delete=True, max_num=50, validate_max=True
)


class ScopeExplanationForm(forms.Form):
    explanation = EXPLANATION


class ServeOthersForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("Assessing other employers' staff and the public"),
        choices=[
            ("1", _("Ask to assess other employers' staff and the public as well")),
            ("0", _("Assess our own staff only")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    explanation = EXPLANATION


class RenewalForm(forms.Form):
    explanation = EXPLANATION
