"""Views of sign-in, password change, account management and two-factor sign-in: thin, over
portal.accounts and portal.accounts.twofactor. One-time passwords are rendered into the POST
response only (never into a message, the session or a log) and that response is not cached."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from portal import access, accounts
from portal.accounts import twofactor
from portal.accounts.forms import (
    AccountFilterForm,
    AccountForm,
    CodeForm,
    PasswordResetForm,
    SignInForm,
)
from portal.audit import describe
from portal.models import AuditEntry, User, jurisdiction_label
from portal.roles import NATIONAL
from portal.ui.helpers import crumbs, loads

# Account pages start from the list of accounts.
ACCOUNTS = (gettext_lazy("Authority accounts"), reverse_lazy("accounts:list"))


def _manageable(request):
    """The accounts of the manager's jurisdiction; any other answers 404 (Art 24)."""
    return accounts.manageable_accounts(request.user)


def account_list(request):
    form = AccountFilterForm(request.GET or None, manager=request.user)
    found = accounts.search_accounts(request.user, **form.filters())
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    rows = [
        {
            "account": a,
            "roles": accounts.role_labels(a),
            "jurisdiction": jurisdiction_label(a.jurisdiction),
        }
        for a in page
    ]
    return render(
        request,
        "portal/accounts/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "show_jurisdiction": request.user.jurisdiction == NATIONAL,
            "breadcrumbs": [(_("Authority accounts"), "")],
        },
    )


def _one_time_password_page(request, account: User, password: str, *, created: bool):
    return render(
        request,
        "portal/accounts/password.html",
        {
            "account": account,
            "password": password,
            "created": created,
            "breadcrumbs": crumbs(
                (account.display_name, reverse("accounts:detail", args=[account.pk])),
                root=ACCOUNTS,
            ),
        },
    )


@never_cache
def account_create(request):
    form = AccountForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = accounts.create_account(
                request.user, username=form.cleaned_data["username"], **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return _one_time_password_page(request, account, password, created=True)
    return render(
        request,
        "portal/accounts/form.html",
        {
            "form": form,
            "title": _("New account"),
            "breadcrumbs": crumbs(_("New account"), root=ACCOUNTS),
        },
    )


@loads(_manageable, as_="account")
def account_detail(request, account: User):
    user = request.user
    history = AuditEntry.objects.filter(object_type="portal.user", object_id=str(account.pk))
    entries = [(e, describe(e.action)) for e in history.order_by("-created_at")[:10]]
    return render(
        request,
        "portal/accounts/detail.html",
        {
            "account": account,
            "roles": accounts.role_labels(account),
            "jurisdiction": jurisdiction_label(account.jurisdiction),
            "two_factor": twofactor.has_two_factor(account),
            "may_change": access.can(user, "portal.account.change", account),
            "may_deactivate": access.can(user, "portal.account.deactivate", account),
            "may_reactivate": access.can(user, "portal.account.reactivate", account),
            "may_reset_password": access.can(user, "portal.account.reset_password", account),
            "may_reset_2fa": access.can(user, "portal.account.reset_2fa", account),
            "entries": entries,
            "breadcrumbs": crumbs(account.display_name, root=ACCOUNTS),
        },
    )


@loads(_manageable, "portal.account.change", as_="account")
def account_edit(request, account: User):
    form = AccountForm(request.POST or None, manager=request.user, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            changes = accounts.change_account(request.user, account, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if changes:
                messages.success(request, _("The account has been updated."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("accounts:detail", pk=account.pk)
    detail_url = reverse("accounts:detail", args=[account.pk])
    return render(
        request,
        "portal/accounts/form.html",
        {
            "form": form,
            "account": account,
            "title": _("Edit account"),
            "breadcrumbs": crumbs((account.display_name, detail_url), _("Edit"), root=ACCOUNTS),
        },
    )


# What each confirmed POST action does: (access action, question, button, done message).
_CONFIRMS = {
    "deactivate": (
        "portal.account.deactivate",
        _("Deactivate this account? The person can no longer sign in."),
        _("Deactivate"),
        _("The account has been deactivated."),
    ),
    "reactivate": (
        "portal.account.reactivate",
        _("Reactivate this account? The person can sign in again."),
        _("Reactivate"),
        _("The account has been reactivated."),
    ),
    "reset_password": (
        "portal.account.reset_password",
        _(
            "Reset the password of this account? A one-time password is shown to you once; "
            "the person must change it at the next sign-in."
        ),
        _("Reset password"),
        "",
    ),
    "reset_2fa": (
        "portal.account.reset_2fa",
        _(
            "Remove the two-factor device of this account (for example after a lost phone)? "
            "The person sets it up again after signing in."
        ),
        _("Remove two-factor device"),
        _("The two-factor device has been removed."),
    ),
}


def _confirmed_action(kind: str):
    action, question, button, done = _CONFIRMS[kind]

    def view(request, account: User):
        if request.method == "POST":
            if kind == "reset_password":
                password = accounts.reset_password(request.user, account)
                return _one_time_password_page(request, account, password, created=False)
            {
                "deactivate": accounts.deactivate_account,
                "reactivate": accounts.reactivate_account,
                "reset_2fa": twofactor.reset_two_factor,
            }[kind](request.user, account)
            messages.success(request, done)
            return redirect("accounts:detail", pk=account.pk)
        detail_url = reverse("accounts:detail", args=[account.pk])
        return render(
            request,
            "portal/accounts/confirm.html",
            {
                "account": account,
                "question": question,
                "button": button,
                "detail_url": detail_url,
                "breadcrumbs": crumbs((account.display_name, detail_url), button, root=ACCOUNTS),
            },
        )

    view.__name__ = f"account_{kind}"
    view.__qualname__ = view.__name__
    view = loads(_manageable, action, as_="account")(view)
    return never_cache(view) if kind == "reset_password" else view


account_deactivate = _confirmed_action("deactivate")
account_reactivate = _confirmed_action("reactivate")
account_reset_password = _confirmed_action("reset_password")
account_reset_2fa = _confirmed_action("reset_2fa")


# --- Two-factor sign-in -------------------------------------------------------------------


def _wrong_code(form: CodeForm, exc: twofactor.WrongCode) -> None:
    if exc.throttled:
        form.add_error(
            "code",
            ValidationError(
                _("Too many wrong codes. Wait a moment and try again."), code="throttled"
            ),
        )
    else:
        form.add_error(
            "code", ValidationError(_("The code is wrong or has expired."), code="wrong_code")
        )


@never_cache
def two_factor(request):
    """Set up (scan, then confirm with a code) or turn off two-factor sign-in."""
    user = request.user
    device = twofactor.confirmed_device(user)
    form = CodeForm(request.POST or None, autofocus=device is None)
    if request.method == "POST" and form.is_valid():
        try:
            if device is None:
                device = twofactor.confirm_device(user, form.cleaned_data["code"])
                otp_login(request, device)
                messages.success(request, _("Two-factor sign-in is on."))
            else:
                twofactor.disable_two_factor(user, form.cleaned_data["code"])
                messages.success(request, _("Two-factor sign-in is off."))
        except twofactor.WrongCode as exc:
            _wrong_code(form, exc)
        else:
            return redirect("accounts:two_factor")
    context = {
        "form": form,
        "enabled": device is not None,
        "required": twofactor.required_for(user),
        "breadcrumbs": [(_("Two-factor sign-in"), "")],
    }
    if device is None:
        pending = twofactor.pending_device(user)
        context["qr_svg"] = twofactor.qr_svg(pending)
        context["secret"] = twofactor.base32_secret(pending)
    return render(request, "portal/twofactor/setup.html", context)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("portal:dashboard")


@never_cache
def verify(request):
    """The second step of sign-in: a code from the confirmed device (django-otp throttling)."""
    user = request.user
    device = twofactor.confirmed_device(user)
    if device is None or user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.verify_sign_in(user, form.cleaned_data["code"])
        except twofactor.WrongCode as exc:
            _wrong_code(form, exc)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(
        request,
        "portal/twofactor/verify.html",
        {"form": form, "next": _next_url(request)},
    )


class SignInView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django's LoginView names the site after the request's Host (RequestSite); the
        # portal's own name (settings.SITE_NAME, context processor) is the one to show.
        context.pop("site", None)
        context.pop("site_name", None)
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_seconds:  # too many failures (portal.accounts.signin): 429 with Retry-After
            response.status_code = 429
            response.headers["Retry-After"] = str(form.locked_seconds)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The reset request; the mail's link comes from ``SITE_URL`` (``PasswordResetForm``)."""

    template_name = "portal/password_reset.html"
    email_template_name = "portal/email/password_reset.txt"
    subject_template_name = "portal/email/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")
    form_class = PasswordResetForm


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "portal/password_change.html"
    success_url = reverse_lazy("portal:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response
