"""Forms of sign-in, account management and two-factor sign-in; field messages in Chinese (gettext).

Which roles and jurisdictions a manager may give is decided once, in
``portal.accounts.check_assignment``; these forms only show the allowed choices and
put that function's errors at the right fields.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal import accounts, codes
from portal.accounts import signin
from portal.captcha import CaptchaFormMixin
from portal.forms import Form, TextGuardMixin
from portal.models import User, jurisdiction_label
from portal.roles import AUTHORITY_ROLES, NATIONAL, AuthorityRole
from portal.validators import normalize_phone


def _all_jurisdictions() -> list[tuple[str, str]]:
    return [(NATIONAL, jurisdiction_label(NATIONAL)), *codes.PROVINCES.items()]


class AccountForm(Form):
    """Create (with ``username``) or edit an authority account.

    The fields accept every role and jurisdiction, so that a forbidden one gets the
    rule's own message; the widgets offer only those the manager may give.
    """

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; it cannot be changed later."),
    )
    real_name = forms.CharField(label=capfirst(_("real name")), max_length=60)
    phone = forms.CharField(
        label=capfirst(_("mobile phone")),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.CharField(
        label=capfirst(_("organisation")), max_length=120, required=False
    )
    jurisdiction = forms.ChoiceField(
        label=capfirst(_("jurisdiction")),
        error_messages={"invalid_choice": _("You may not give an account this jurisdiction.")},
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one role."),
            "invalid_choice": _("You may not assign this role."),
        },
    )

    def __init__(self, *args, manager, account: User | None = None, **kwargs):
        self.manager = manager
        self.account = account
        if account is not None:
            kwargs.setdefault(
                "initial",
                {
                    "real_name": account.real_name,
                    "phone": account.phone,
                    "email": account.email,
                    "organisation": account.organisation,
                    "jurisdiction": account.jurisdiction,
                    "roles": accounts.roles_of(account),
                },
            )
        super().__init__(*args, **kwargs)
        if account is not None:
            del self.fields["username"]
        jurisdiction = self.fields["jurisdiction"]
        jurisdiction.choices = _all_jurisdictions()
        allowed = accounts.assignable_jurisdictions(manager)
        jurisdiction.widget.choices = allowed
        if len(allowed) == 1:
            jurisdiction.initial = allowed[0][0]
        roles = self.fields["roles"]
        roles.choices = [(r, AuthorityRole(r).label) for r in AUTHORITY_ROLES]
        assignable = set(accounts.assignable_roles(manager))
        roles.widget.choices = [
            (r, AuthorityRole(r).label) for r in AUTHORITY_ROLES if r in assignable
        ]
        if account is not None and account.pk == manager.pk:
            for name in ("jurisdiction", "roles"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("You cannot change your own roles.")
            roles.widget.choices = roles.choices

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is already taken."), code="unique")
        return username

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        return normalize_phone(value) if value else ""

    def clean_real_name(self) -> str:
        return self.cleaned_data["real_name"].strip()

    def clean(self):
        data = super().clean()
        editing_self = self.account is not None and self.account.pk == self.manager.pk
        if "jurisdiction" in data and "roles" in data and not editing_self:
            try:
                accounts.check_assignment(self.manager, data["jurisdiction"], data["roles"])
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "real_name": data["real_name"],
            "phone": data["phone"],
            "email": data["email"],
            "organisation": data["organisation"],
            "jurisdiction": data["jurisdiction"],
            "roles": data["roles"],
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError at this form's fields."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error(field if field in self.fields else None, error)
        else:
            self.add_error(None, exc)


class AccountFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    role = forms.ChoiceField(label=_("Role"), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))],
    )
    jurisdiction = forms.ChoiceField(label=capfirst(_("jurisdiction")), required=False)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Username or real name")
        self.fields["q"].widget.input_type = "search"
        self.fields["role"].choices = [("", _("All"))] + [
            (r, AuthorityRole(r).label) for r in accounts.assignable_roles(manager)
        ]
        if manager.jurisdiction == NATIONAL:
            self.fields["jurisdiction"].choices = [("", _("All"))] + _all_jurisdictions()
        else:
            del self.fields["jurisdiction"]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {
            "query": self.cleaned_data.get("q", ""),
            "role": self.cleaned_data.get("role", ""),
            "active": self.cleaned_data.get("active", ""),
            "jurisdiction": self.cleaned_data.get("jurisdiction", ""),
        }


class CodeForm(Form):
    """A 6-digit code from an authenticator app."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
        help_text=_("The 6-digit code shown by your authenticator app."),
    )

    def __init__(self, *args, autofocus: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if autofocus:
            self.fields["code"].widget.attrs["autofocus"] = True

    def clean_code(self) -> str:
        value = re.sub(r"\s", "", codes.normalize_code(self.cleaned_data["code"]))
        if not re.fullmatch(r"[0-9]{6}", value):
            raise ValidationError(
                _("Enter the 6-digit code from your authenticator app."), code="invalid_code"
            )
        return value


class SignInForm(TextGuardMixin, CaptchaFormMixin, auth_forms.AuthenticationForm):
    """Sign-in with login-failure handling (MLPS 2.0): limits, then captcha, then password."""

    captcha_purpose = "signin"

    username = auth_forms.UsernameField(
        label=_("Username"),
        max_length=150,  # the column's; Django's form sets the attribute but no validator
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("The username or password is wrong."),
        "inactive": _("This account has been deactivated."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.locked_seconds = 0  # set when a failure limit refuses the attempt (signin)
        username = self.data.get(self.add_prefix("username"))
        if request is not None and signin.captcha_required(request, username):
            self.add_captcha(request)

    def clean(self):
        return signin.guarded_clean(self, super().clean)


class PasswordResetForm(TextGuardMixin, auth_forms.PasswordResetForm):
    """Django's form asking for the e-mail address, with the text guard of every form.

    The link in the mail is built from ``settings.SITE_URL`` (scheme and host), never from the
    request's ``Host`` header: a forged header would otherwise send the owner's reset token to
    the forger's host (issue 10, docs/decisions/0022). Whatever the caller passes for the
    domain and scheme is ignored.
    """

    def save(self, *args, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        return super().save(*args, **kwargs)
