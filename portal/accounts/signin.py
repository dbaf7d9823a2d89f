"""Login-failure handling for the sign-in form.

Rules implemented here:

* MLPS 2.0 (GB/T 22239-2019) level 3, 8.1.4.1 b) 登录失败处理: "end the session, limit the
  number of illegal login attempts, log out automatically when a login connection times
  out". Failures are counted per username (5 per 15 minutes), per client address (20) and per
  /24 network (100; /48 for IPv6) through ``portal.ratelimit``; over any of them the form
  refuses with the minutes left **before** any password hash is computed. After
  ``SIGNIN_CAPTCHA_AFTER`` (3) failures for the username or the address, the form also asks
  for the verification code (``portal.captcha``).
* Cybersecurity Law Art 21(3): network security events are logged; each failure and each
  refusal is logged (logger ``portal.signin``) with the username and address, never the
  password.

Only failures count. Each attempt reserves its hits before ``authenticate`` runs, so parallel
requests cannot slip past the limit together; a successful sign-in gives the address hits back
and clears the username's failures.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

from portal import ratelimit

logger = logging.getLogger("portal.signin")

USER, IP, SUBNET = "signin.user", "signin.ip", "signin.subnet"
_FAILURE_CODES = {"invalid_login", "inactive"}


def normalise_username(username: str | None) -> str:
    """The username as the limiter keys it: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def keys_for(request: HttpRequest | None, username: str | None) -> dict[str, str]:
    """The key of each ``signin.*`` limit for this request and username."""
    ip = ratelimit.client_ip(request) if request is not None else ""
    keys = {IP: ratelimit.host_of(ip), SUBNET: ratelimit.subnet_of(ip)}
    user = normalise_username(username)
    if user:
        keys[USER] = user
    return keys


def failures(keys: dict[str, str], name: str) -> int:
    return ratelimit.count(name, keys[name]) if name in keys else 0


def captcha_required(request: HttpRequest | None, username: str | None) -> bool:
    """After ``SIGNIN_CAPTCHA_AFTER`` failures for the username or the address (default 3)."""
    threshold = getattr(settings, "SIGNIN_CAPTCHA_AFTER", 3)
    keys = keys_for(request, username)
    return failures(keys, USER) >= threshold or failures(keys, IP) >= threshold


def locked_for(keys: dict[str, str]) -> int:
    """Seconds until every limit allows another attempt; 0 when none is exhausted."""
    return max((ratelimit.retry_after(name, key) for name, key in keys.items()), default=0)


def reserve(keys: dict[str, str]) -> int:
    """Count this attempt as a failure in advance; answers 0, or the seconds to wait when a
    limit was exhausted meanwhile (then nothing stays counted)."""
    taken: list[str] = []
    for name, key in keys.items():
        taken.append(name)
        if not ratelimit.hit(name, key):
            for done in taken:
                ratelimit.refund(done, keys[done])
            return max(1, ratelimit.retry_after(name, key))
    return 0


def lockout_message(seconds: int) -> str:
    minutes = ratelimit.minutes(seconds)
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)d minute.",
        "Too many failed sign-ins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _refuse(form, keys: dict[str, str], username: str, seconds: int) -> ValidationError:
    form.locked_seconds = seconds
    logger.warning(
        "sign-in refused, too many failures: username=%r ip=%s wait=%ds",
        username,
        keys[IP],
        seconds,
    )
    return ValidationError(lockout_message(seconds), code="locked")


def guarded_clean(form, authenticate_clean: Callable[[], dict]) -> dict:
    """``SignInForm.clean``: the limits first, then the captcha, then the password.

    ``authenticate_clean`` is ``AuthenticationForm.clean`` (it calls ``authenticate`` and so
    the password hasher); it is not called while a limit is exhausted or the captcha that was
    asked for is unsolved.
    """
    username = form.cleaned_data.get("username") or ""
    if not username or not form.cleaned_data.get("password"):
        return authenticate_clean()  # field errors already; nothing is authenticated
    keys = keys_for(form.request, username)
    wait = locked_for(keys)
    if wait:
        raise _refuse(form, keys, username, wait)
    if form.captcha_failed():
        return form.cleaned_data  # the error is at the captcha field
    wait = reserve(keys)
    if wait:
        raise _refuse(form, keys, username, wait)
    try:
        cleaned = authenticate_clean()
    except ValidationError as error:
        if getattr(error, "code", None) not in _FAILURE_CODES:
            _give_back(keys)
            raise
        logger.warning(
            "sign-in failed: username=%r ip=%s failures=%d",
            username,
            keys[IP],
            failures(keys, USER),
        )
        if captcha_required(form.request, username) and form.request is not None:
            form.add_captcha(form.request.session)
        raise
    except Exception:
        _give_back(keys)
        raise
    ratelimit.reset(USER, keys[USER])
    _give_back({name: key for name, key in keys.items() if name != USER})
    return cleaned


def _give_back(keys: dict[str, str]) -> None:
    for name, key in keys.items():
        ratelimit.refund(name, key)
