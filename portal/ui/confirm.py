"""The confirmation step of a consequential action (decision 0026).

A consequential action (approve, reject, uphold an objection, suspend, remove, revoke) runs
in two steps on the same URL, so no new page and no JavaScript is needed:

1. the form's POST without ``confirmed``: the view validates the form and asks the service's
   ``<action>_refusal``; if both pass it answers ``confirm_page(...)``, which restates what
   will happen and carries the posted fields in hidden inputs; nothing is saved. Its
   「返回修改」 button posts them back with ``revise=1``: the form again, as typed;
2. the POST from that page (``confirmed=1``, and the password where ``ask_password``): the
   view runs the service as before. A wrong password comes back as the same page with the
   error at the field, and nothing has changed.

An action without a form (a button) uses a GET of its page with ``?confirm=<action>`` for
step 1 (``confirm_page`` with ``carried={}``); its POST is step 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.forms import Form

CONFIRMED = "confirmed"
REVISE = "revise"
PASSWORD = "password"  # noqa: S105 - the name of the field, not a password
# Never carried into the page: the CSRF token is rendered afresh, the password never echoed.
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRMED, REVISE, PASSWORD}


class PasswordForm(Form):
    """The password asked again on the confirmation page of a grave act."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("This is a grave act: confirm it with your password."),
    )


def is_confirmed(request: HttpRequest) -> bool:
    """Whether this POST comes from the confirmation page."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def is_revising(request: HttpRequest) -> bool:
    """Whether the user went back from the confirmation page to change the form: the view
    shows the form bound to the carried fields, without messages."""
    return request.method == "POST" and request.POST.get(REVISE) == "1"


def wants_confirmation(request: HttpRequest) -> bool:
    """A first POST of the form: validate, then show the confirmation page."""
    return request.method == "POST" and not is_confirmed(request) and not is_revising(request)


def posted_password(request: HttpRequest) -> str:
    return request.POST.get(PASSWORD, "") if is_confirmed(request) else ""


def _carried(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name in request.POST
        if name not in _NOT_CARRIED
        for value in request.POST.getlist(name)
    ]


def confirm_page(
    request: HttpRequest,
    *,
    title: Any,
    points: Iterable[Any],
    confirm_label: Any,
    back_url: str,
    subject: Any = "",
    warning: Any = "",
    ask_password: bool = False,
    password_error: ValidationError | None = None,
    carried: Mapping[str, str] | None = None,
    breadcrumbs: list | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page that restates what will happen (``points``, one sentence each) and asks to
    confirm it; ``carried`` (default: the POST being confirmed) rides along as hidden inputs.
    ``password_error`` (the service's ``ValidationError`` on ``password``) is shown at the
    field, with status 400."""
    password_form = None
    if ask_password:
        password_form = PasswordForm(request.POST if password_error else None)
        if password_error is not None:
            password_form.is_valid()
            password_form.errors.pop(PASSWORD, None)
            password_form.add_error(PASSWORD, password_error)
            status = 400
    fields = list(carried.items()) if carried is not None else _carried(request)
    return render(
        request,
        "portal/confirm.html",
        {
            "title": title,
            "subject": subject,
            "points": [p for p in points if p],
            "warning": warning,
            "confirm_label": confirm_label,
            "back_url": back_url,
            "carried": fields,
            "password_form": password_form,
            "action_url": request.get_full_path(),
            "breadcrumbs": breadcrumbs,
        },
        status=status,
    )


def password_error(exc: ValidationError) -> ValidationError | None:
    """The error a service raised on ``password`` (a wrong password), else None."""
    if hasattr(exc, "error_dict") and PASSWORD in exc.error_dict:
        return ValidationError(exc.error_dict[PASSWORD])
    return None


def with_password(request: HttpRequest, form, restated: dict, act, done: str, back: str):
    """The confirmation step of a grave act with the password asked again (decision 0026):
    the restated page until it is confirmed, the page again on a wrong password, the
    service's other refusals at ``form``; after ``act()`` succeeds, ``done`` as a message and
    a redirect to ``back``. Returns None when the form is to be shown again with its errors."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from portal.ui.helpers import apply_errors

    if not is_confirmed(request):
        return confirm_page(request, ask_password=True, **restated)
    try:
        if not request.user.check_password(posted_password(request)):
            raise ValidationError({"password": _("The password is wrong.")})
        act()
    except ValidationError as exc:
        if (wrong := password_error(exc)) is not None:
            return confirm_page(request, ask_password=True, password_error=wrong, **restated)
        apply_errors(form, exc)
        return None
    messages.success(request, done)
    return redirect(back)
