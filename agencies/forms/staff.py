"""Forms of an agency's members (Art 17, 18): adding a member and changing a role.

Forms parse input and give field-level messages; the services decide (last administrator,
duplicate role) and the views put their refusals back here."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from portal.forms import Form, PhoneField
from portal.roles import AgencyRole


class AddMemberForm(Form):
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
    phone = PhoneField(label=_("Mobile phone (new account)"), required=False)
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

    def service_fields(self) -> dict:
        """The arguments of ``add_member``."""
        data = self.cleaned_data
        names = ("role", "username", "real_name", "email", "phone")
        return {"create": data["account"] == self.NEW, **{name: data[name] for name in names}}


class RoleForm(Form):
    role = forms.ChoiceField(label=_("New role"), choices=AgencyRole.choices)
