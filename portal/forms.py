"""Forms of the portal app; field messages in Chinese through gettext."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from portal import signin
from portal.captcha import CaptchaFormMixin
from portal.models import CalendarDay


class SignInForm(CaptchaFormMixin, auth_forms.AuthenticationForm):
    """Sign-in with login-failure handling (MLPS 2.0): limits, then captcha, then password."""

    username = auth_forms.UsernameField(
        label=_("Username"),
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
        self.locked_seconds = 0  # set when a failure limit refuses the attempt (portal.signin)
        username = self.data.get(self.add_prefix("username"))
        if request is not None and signin.captcha_required(request, username):
            self.add_captcha(request.session)

    def clean(self):
        return signin.guarded_clean(self, super().clean)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        error_messages = {"date": {"unique": _("This date is already in the calendar.")}}
