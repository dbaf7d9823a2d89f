"""Two-factor sign-in with TOTP (django-otp), MLPS 2.0 level 3: identification by two factors.

Every account may turn it on at ``/workspace/account/2fa/``; officials (ministry,
provincial, testing centre) must when ``REQUIRE_2FA_FOR_OFFICIALS`` is on (production).
After the password, a user with a confirmed device enters a code at
``/accounts/login/verify/``; until then ``TwoFactorRequiredMiddleware`` sends every
non-public page there. Enabling and disabling are audited; the secret never is.
"""

from __future__ import annotations

import base64
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import access, audit
from portal.models import User
from portal.roles import OFFICIAL_ROLES

DEVICE_NAME = "TOTP"


# --- Queries ------------------------------------------------------------------------------


def confirmed_device(user) -> TOTPDevice | None:
    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user) -> bool:
    return confirmed_device(user) is not None


def required_for(user) -> bool:
    """Officials must use two-factor sign-in when ``REQUIRE_2FA_FOR_OFFICIALS`` is on."""
    return bool(settings.REQUIRE_2FA_FOR_OFFICIALS) and bool(
        user.authority_roles() & OFFICIAL_ROLES
    )


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device whose secret the setup page shows (one per user)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret for manual entry in an authenticator app, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice, size: int = 220) -> str:
    """The otpauth:// URL as an inline SVG (the CSP allows no external images or scripts)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(device.config_url, image_factory=SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    label = _("QR code for your authenticator app")
    return re.sub(
        r'<svg width="[^"]*" height="[^"]*"',
        f'<svg width="{size}" height="{size}" role="img" aria-label="{label}"',
        svg,
        count=1,
    )


def throttled(device: TOTPDevice) -> bool:
    allowed, _info = device.verify_is_allowed()
    return not allowed


# --- Services ------------------------------------------------------------------------------


class WrongCode(Exception):
    """The code did not match (or verification is throttled after wrong codes)."""

    def __init__(self, throttled: bool = False) -> None:
        super().__init__("throttled" if throttled else "wrong code")
        self.throttled = throttled


def _check(user, device: TOTPDevice, token: str) -> TOTPDevice:
    device.refresh_from_db()
    if throttled(device):
        raise WrongCode(throttled=True)
    verified = verify_token(user, device.persistent_id, token)
    if verified is None:
        raise WrongCode()
    return verified


def verify_sign_in(user: User, token: str) -> TOTPDevice:
    """The second step of sign-in (MLPS 2.0): the code of the user's confirmed device.

    django-otp throttles wrong codes (1, 2, 4 ... seconds); the caller then marks the
    session verified with ``django_otp.login``.
    """
    device = confirmed_device(user)
    if device is None:
        raise WrongCode()
    return _check(user, device, token)


def confirm_device(user: User, token: str) -> TOTPDevice:
    """Confirm the pending device with a current code; audited as enable_2fa (MLPS 2.0).

    The wrong-code counter of django-otp's throttling is kept even when this fails,
    so it is committed outside the audited transaction.
    """
    if has_two_factor(user):
        raise PermissionDenied("two-factor sign-in is already on")
    device = pending_device(user)
    device = _check(user, device, token)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit.record(
            user,
            "portal.account.enable_2fa",
            user,
            {"two_factor": [False, True]},
            province=user.jurisdiction,
        )
    return device


def disable_two_factor(user: User, token: str) -> None:
    """Turn off one's own two-factor sign-in; a current code is required (MLPS 2.0)."""
    device = confirmed_device(user)
    if device is None:
        return
    _check(user, device, token)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(
            user,
            "portal.account.disable_2fa",
            user,
            {"two_factor": [True, False]},
            province=user.jurisdiction,
        )


@transaction.atomic
def reset_two_factor(actor, account: User) -> None:
    """An official removes the devices of an account in their jurisdiction (a lost phone);
    the person sets up two-factor sign-in again (Art 24, MLPS 2.0)."""
    access.require(actor, "portal.account.reset_2fa", account)
    if not TOTPDevice.objects.filter(user=account).exists():
        return
    TOTPDevice.objects.filter(user=account).delete()
    audit.record(
        actor,
        "portal.account.disable_2fa",
        account,
        {"two_factor": [True, False]},
        province=account.jurisdiction,
    )


# --- Middleware -----------------------------------------------------------------------------

# Pages a half-signed-in user may open (public pages are always allowed).
_ALLOWED_VIEWS = {
    "accounts:verify",
    "accounts:two_factor",
    "portal:logout",
    "portal:set_language",
    "portal:healthz",
}


def _password_change_waits_for_code() -> bool:
    """Does PasswordChangeRequiredMiddleware let the verify page through?

    If it does, a user who must change the password enters the code first; if not,
    the forced password change must come first, or the two middlewares would send
    the user back and forth for ever.
    """
    from portal.access.middleware import PasswordChangeRequiredMiddleware

    return "accounts:verify" in PasswordChangeRequiredMiddleware._ALLOWED_NAMES


class TwoFactorRequiredMiddleware:
    """Until the code is entered, every non-public page leads to the verify page; officials
    without a device are sent to set one up when ``REQUIRE_2FA_FOR_OFFICIALS`` is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if getattr(view_func, "access_policy", None) == "public":
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if view_name in _ALLOWED_VIEWS:
            return None
        if getattr(user, "is_verified", None) is not None and user.is_verified():
            return None
        device = confirmed_device(user)
        if (
            view_name == "portal:password_change"
            and user.must_change_password
            and (device is None or not _password_change_waits_for_code())
        ):
            return None
        if device is not None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        if required_for(user):
            messages.warning(
                request,
                _("Officials must use two-factor sign-in. Set it up to continue."),
            )
            return redirect("accounts:two_factor")
        return None
