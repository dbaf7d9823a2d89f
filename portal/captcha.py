"""Proof of work for public forms (人机验证): ALTCHA, self-hosted, no session, no external service.

Rules implemented here:

* MLPS 2.0 (GB/T 22239-2019) level 3, login-failure handling: after repeated failures the
  sign-in form asks for the human check, so password guessing costs work per attempt
  (``portal.accounts.signin``); public forms use it against automated submission.
* PIPL data minimisation: an anonymous visitor gets no session row; the challenge is signed
  and stateless, and addresses are counted only as keyed digests (``portal.ratelimit``).

The browser (the vendored ALTCHA widget, ``static/portal/vendor/altcha/``) searches the number
whose SHA-256 with the salt gives the challenge; the server checks one hash and the HMAC
signature (key derived from ``SECRET_KEY``). The salt carries the form's purpose and an
expiry (``CAPTCHA_TTL_SECONDS``); a solved challenge is spent once (Redis when ``REDIS_URL``
is set, else the ``SpentChallenge`` table). Each address's solved challenges per form and day
are counted: the search range (``maxnumber``) doubles every ``CAPTCHA_DIFFICULTY_STEP``
filings and the daily quota (``captcha.<purpose>`` in ``portal.ratelimit.LIMITS``, settings
``RATE_LIMITS``) refuses with a message at the field. People who cannot run it call the
hotline (``SITE_CONTACT``). docs/decisions/0021-proof-of-work-captcha.md.

API for forms: ``CaptchaFormMixin`` (``captcha_request=request`` or ``add_captcha(request)``),
``CaptchaField``; ``new_challenge``/``verify`` for anything else.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import time
from collections.abc import Sequence

import altcha
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import ratelimit

ALGORITHM = "SHA-256"

# Why a check failed; the field shows one message for all but the quota.
OK, INVALID, EXPIRED, REPLAYED, WRONG_PURPOSE, QUOTA = (
    "ok",
    "invalid",
    "expired",
    "replayed",
    "wrong_purpose",
    "quota",
)


def captcha_enabled() -> bool:
    """``settings.CAPTCHA_ENABLED`` (default True)."""
    return bool(getattr(settings, "CAPTCHA_ENABLED", True))


def ttl_seconds() -> int:
    return int(getattr(settings, "CAPTCHA_TTL_SECONDS", 10 * 60))


def _hmac_key() -> str:
    # Derived from SECRET_KEY: no new secret to provision; rotating SECRET_KEY voids challenges.
    return salted_hmac("portal.captcha.altcha", "hmac-key", algorithm="sha256").hexdigest()


def address_of(request: HttpRequest | None) -> str:
    """The key the quotas count: one IPv4 address or one IPv6 /64."""
    return ratelimit.host_of(ratelimit.client_ip(request)) if request is not None else ""


def _quota_name(purpose: str) -> str:
    return f"captcha.{purpose}"


def filings_today(purpose: str, address: str, request: HttpRequest | None = None) -> int:
    """Challenges of ``purpose`` this address solved in the current day window (the count
    ``verify`` saw for ``request``, when it verified one in this request)."""
    known = getattr(request, "_captcha_filings", {}).get(purpose) if request else None
    if known is not None:
        return known
    try:
        return ratelimit.count(_quota_name(purpose), address)
    except LookupError:  # a purpose without a quota
        return 0


def max_number_for(purpose: str, address: str, filings: int | None = None) -> int:
    """The search range: ``CAPTCHA_MAX_NUMBER``, doubled every ``CAPTCHA_DIFFICULTY_STEP``
    filings of this form by this address today (``filings`` when the caller has read
    them), at most ``CAPTCHA_MAX_NUMBER_CAP``."""
    if filings is None:
        filings = filings_today(purpose, address)
    base = int(getattr(settings, "CAPTCHA_MAX_NUMBER", 50_000))
    step = max(1, int(getattr(settings, "CAPTCHA_DIFFICULTY_STEP", 3)))
    cap = int(getattr(settings, "CAPTCHA_MAX_NUMBER_CAP", 2_000_000))
    doublings = min(filings // step, 20)
    return min(cap, base * 2**doublings)


def quota_exceeded(purpose: str, address: str, filings: int | None = None) -> bool:
    try:
        limit = ratelimit.limit_for(_quota_name(purpose))
    except LookupError:
        return False
    if filings is None:
        filings = filings_today(purpose, address)
    return filings >= limit.count  # what ``ratelimit.check`` answers, from one read


def new_challenge(
    purpose: str, request: HttpRequest | None = None, filings: int | None = None
) -> dict:
    """A signed challenge for the widget (``challengejson``), valid ``ttl_seconds()``."""
    expires = timezone.now() + dt.timedelta(seconds=ttl_seconds())
    challenge = altcha.create_challenge_v1(
        algorithm=ALGORITHM,
        max_number=max_number_for(purpose, address_of(request), filings),
        hmac_key=_hmac_key(),
        expires=expires,
        params={"purpose": purpose},
    )
    return challenge.to_dict()


def _spent_key(signature: str) -> str:
    return "captcha.spent:" + hashlib.sha256(signature.encode()).hexdigest()


def _spent_seconds(expires: float) -> int:
    return max(1, int(expires - time.time()) + 60)


def _spend(signature: str, expires: float) -> bool:
    """Mark a solved challenge as used; False when it was used already."""
    key, timeout = _spent_key(signature), _spent_seconds(expires)
    if getattr(settings, "REDIS_URL", ""):
        return bool(cache.add(key, 1, timeout=timeout))
    from portal.models import SpentChallenge

    try:
        with transaction.atomic():
            SpentChallenge.objects.create(
                digest=key.split(":", 1)[1],
                expires_at=dt.datetime.fromtimestamp(expires, tz=dt.UTC),
            )
    except IntegrityError:
        return False
    return True


def purge_spent(now: dt.datetime | None = None) -> int:
    """Delete spent-challenge rows whose challenge has expired; for a periodic job."""
    from portal.models import SpentChallenge

    deleted, _rows = SpentChallenge.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


def verify(payload: str, purpose: str, request: HttpRequest | None = None) -> str:
    """Check a widget payload for ``purpose``; answers ``OK`` or why not. A valid payload is
    spent (a second use answers ``REPLAYED``) and counted against the address's quota."""
    outcome, signature, expires = _checked(payload, purpose)
    if outcome != OK:
        return outcome
    if not _spend(signature, expires):
        return REPLAYED
    return _counted(purpose, request)


def verify_and_hit(
    payload: str, purpose: str, request: HttpRequest, limits: Sequence[tuple[str, str]]
) -> tuple[str, str]:
    """``verify`` and then, when it answers ``OK``, ``ratelimit.hit_many(limits)``: answers
    (the outcome, the refusing limit or ""). With Redis the spend, the quota and the limits
    are one round trip (``ratelimit.claim_and_hit``); the counts end as the separate calls
    leave them (nothing is counted for a replay, no limit past the quota)."""
    outcome, signature, expires = _checked(payload, purpose)
    if outcome != OK:
        return outcome, ""
    name = _quota_name(purpose)
    try:
        ratelimit.limit_for(name)
    except LookupError:  # a purpose without a quota: the separate calls
        name = ""
    together = None
    if name:
        together = ratelimit.claim_and_hit(
            _spent_key(signature), _spent_seconds(expires), [(name, address_of(request)), *limits]
        )
    if together is None:
        if not _spend(signature, expires):
            return REPLAYED, ""
        outcome = _counted(purpose, request)
        return outcome, ratelimit.hit_many(limits) if outcome == OK else ""
    claimed, hits, refused = together
    if not claimed:
        return REPLAYED, ""
    request.__dict__.setdefault("_captcha_filings", {})[purpose] = hits[0]
    if refused == name:
        return QUOTA, ""
    return OK, refused


def _checked(payload: str, purpose: str) -> tuple[str, str, float]:
    """(``OK`` or why not, the signature, the expiry) of a payload, without spending it."""
    try:
        ok, _error = altcha.verify_solution_v1(payload or "", _hmac_key(), check_expires=False)
    except Exception:  # noqa: BLE001 - malformed input of any shape is just invalid
        return INVALID, "", 0.0
    if not ok:
        return INVALID, "", 0.0
    try:
        parsed = json.loads(base64.b64decode(payload).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return INVALID, "", 0.0
    params = altcha.v1.extract_params(parsed)
    if params.get("purpose") != [purpose]:
        return WRONG_PURPOSE, "", 0.0
    try:
        expires = float(params["expires"][0])
    except (KeyError, IndexError, ValueError):
        return INVALID, "", 0.0  # every challenge we sign carries exactly one expiry
    if len(params["expires"]) != 1 or expires < time.time():
        return EXPIRED, "", 0.0
    return OK, str(parsed["signature"]), expires


def _counted(purpose: str, request: HttpRequest | None) -> str:
    """Count a spent challenge against the address's daily quota: ``OK`` or ``QUOTA``."""
    address = address_of(request)
    try:
        name = _quota_name(purpose)
        hits = ratelimit.add(name, address)
    except LookupError:
        return OK
    if request is not None:
        # The form shown next (a fresh challenge) reads this count instead of asking again.
        request.__dict__.setdefault("_captcha_filings", {})[purpose] = hits
    if hits > ratelimit.limit_for(name).count:
        return QUOTA
    return OK


def widget_strings() -> dict[str, str]:
    """The widget's labels (its ``strings`` attribute), through our translations."""
    return {
        "ariaLinkLabel": gettext("About the human check"),
        "enterCode": gettext("Enter code"),
        "enterCodeAria": gettext("Enter the code you hear"),
        "error": gettext("The check failed. Please try again."),
        "expired": gettext("The check expired. Please try again."),
        "footer": "",
        "getAudioChallenge": gettext("Get an audio challenge"),
        "label": gettext("I am not a robot"),
        "loading": gettext("Loading…"),
        "reload": gettext("Reload"),
        "verificationRequired": gettext("Please complete the human check."),
        "verified": gettext("Verified"),
        "verifying": gettext("Verifying…"),
        "waitAlert": gettext("Verifying… please wait."),
    }


# --- Form field ---------------------------------------------------------------------------


class CaptchaWidget(forms.Widget):
    """The ALTCHA widget with a fresh signed challenge at every render."""

    template_name = "portal/includes/captcha.html"

    def __init__(self, purpose: str = "form", request=None, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.purpose = purpose
        self.request = request

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, None, attrs)
        hotline = getattr(settings, "SITE_CONTACT", "")
        # One read of the day's count serves the quota and the difficulty (none after a
        # verify in this request: it saw the count).
        filings = filings_today(self.purpose, address_of(self.request), self.request)
        if quota_exceeded(self.purpose, "", filings):
            # Said before the visitor fills the form in, not only after the POST.
            context["widget"].update(quota_message=quota_message(), hotline=hotline)
            return context
        context["widget"].update(
            challenge_json=json.dumps(new_challenge(self.purpose, self.request, filings)),
            strings_json=json.dumps(widget_strings(), ensure_ascii=False),
            script=static("portal/vendor/altcha/altcha.js"),
            worker=static("portal/vendor/altcha/worker.js"),
            css=static("portal/vendor/altcha/altcha.css"),
            hotline=hotline,
        )
        return context

    def render(self, name: str, value, attrs: dict | None = None, renderer=None) -> SafeString:
        # The project's template engine (templates/), not the form renderer's directories.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def value_from_datadict(self, data, files, name: str) -> str:
        return str(data.get(name, ""))

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data


QUOTA_MESSAGE = _(
    "This form has been submitted too many times from your network today. "
    "Please try again tomorrow, or call the service hotline %(hotline)s."
)


def quota_message() -> str:
    return str(QUOTA_MESSAGE) % {"hotline": getattr(settings, "SITE_CONTACT", "12333")}


class CaptchaField(forms.Field):
    """人机验证: a solved, unexpired, unspent challenge for this form; over the daily quota
    the field says so and names the hotline."""

    widget = CaptchaWidget
    default_error_messages = {
        "required": _("Please complete the human check."),
        "invalid": _("The human check failed or has expired. Please try again."),
        "quota": QUOTA_MESSAGE,
    }

    def __init__(self, *, purpose: str = "form", request=None, **kwargs) -> None:
        kwargs.setdefault("label", _("Human check"))
        kwargs.setdefault("widget", CaptchaWidget(purpose=purpose, request=request))
        super().__init__(**kwargs)
        self.purpose = purpose
        self.request = request

    #: Set by a form that spends and counts the check itself once its other fields passed
    #: (``verify_and_hit``, then ``error_for``): ``clean`` then checks the payload only.
    deferred = False

    def clean(self, value) -> bool | str:
        value = (value or "").strip()
        if not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if self.deferred:
            if _checked(value, self.purpose)[0] != OK:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return value  # the payload, for the form to spend
        error = self.error_for(verify(value, self.purpose, self.request))
        if error is not None:
            raise error
        return True

    def error_for(self, outcome: str) -> ValidationError | None:
        """The field's error for a ``verify`` outcome (None for ``OK``)."""
        if outcome == QUOTA:
            return ValidationError(
                self.error_messages["quota"],
                code="quota",
                params={"hotline": getattr(settings, "SITE_CONTACT", "12333")},
            )
        if outcome != OK:
            return ValidationError(self.error_messages["invalid"], code="invalid")
        return None


class CaptchaFormMixin:
    """Adds a ``captcha`` field to a form: always when built with ``captcha_request=request``,
    or when the form calls ``add_captcha(request)`` (e.g. only after failed sign-ins). Nothing
    is added when ``CAPTCHA_ENABLED`` is off. ``captcha_purpose`` names the form's quota.

    ``captcha_session=`` and ``add_captcha(session)`` from the picture captcha are still
    accepted: a session is no longer needed, so the form's own ``request`` is used instead.
    """

    captcha_field_name = "captcha"
    captcha_purpose = "form"

    def __init__(self, *args, captcha_request=None, captcha_session=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if captcha_request is not None or captcha_session is not None:
            self.add_captcha(captcha_request)

    def add_captcha(self, request=None) -> bool:
        """Ask for the human check on this form; answers whether it is now asked for."""
        if not captcha_enabled():
            return False
        if not isinstance(request, HttpRequest):  # a session (old API) or nothing
            request = getattr(self, "request", None)
        if self.captcha_field_name not in self.fields:
            self.fields[self.captcha_field_name] = CaptchaField(
                purpose=self.captcha_purpose, request=request
            )
        return True

    @property
    def captcha_asked(self) -> bool:
        return self.captcha_field_name in self.fields

    def captcha_failed(self) -> bool:
        """During ``clean()``: the captcha is asked for and was not solved."""
        errors = getattr(self, "_errors", None) or {}
        return self.captcha_asked and self.captcha_field_name in errors
