"""Login-failure handling for the sign-in form: throttling that cannot be turned against the
owner of an account (docs/decisions/0022, superseding the username lock of 0005).

Rules implemented here:

* MLPS 2.0 (GB/T 22239-2019) level 3, 8.1.4.1 b) 登录失败处理: "limit the number of illegal
  login attempts". Failures are counted per *scope*, through ``portal.ratelimit``:

  ========================  ===========================================  ==================
  ``signin.user_ip``        one username from one address (IPv6: /64)    5 per day
  ``signin.user_subnet``    one username from one /24 (IPv6: /48)        10 per day
  ``signin.ip``             one address across usernames (spraying)      30 per hour
  ``signin.subnet``         one /24 (/48) across usernames               100 per hour
  ========================  ===========================================  ==================

  From a scope's count on, each failure blocks that scope for ``SIGNIN_BACKOFF_BASE``
  seconds, doubled per further failure, at most ``SIGNIN_BACKOFF_MAX``. While a scope is
  blocked the form refuses **before** any password hash is computed and the view answers 429
  with ``Retry-After`` (never a sleep in the request). Nothing blocks a username everywhere:
  the owner signing in from another network still gets in (with the second factor where it
  is on, which the password step never replaces).
* No enumeration: the scopes do not depend on whether the account exists, and every message
  (wrong password, refusal) is the same for an unknown username.
* Cybersecurity Law Art 21(3): each failure and each refusal is logged (logger
  ``portal.signin``) with the username and address, never the password; a burst of failures
  for one account (``signin.user`` from any address) alerts the owner and
  ``SECURITY_ALERT_EMAILS`` once per window (``portal.accounts.alerts``).

An attempt reserves its hits before ``authenticate`` runs, and one that reaches a scope's
count claims that scope's block atomically first, so parallel requests cannot slip past a
back-off together. A successful sign-in clears the user's counters and blocks for that
address and subnet and gives the address-wide hits back: only failures count.
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

USER_IP, USER_SUBNET = "signin.user_ip", "signin.user_subnet"
IP, SUBNET, USER = "signin.ip", "signin.subnet", "signin.user"
#: The scopes that refuse, in the order they are checked.
THROTTLED = (USER_IP, USER_SUBNET, IP, SUBNET)
#: The scopes a successful sign-in clears (this user from this address and network).
CLEARED_BY_SUCCESS = (USER_IP, USER_SUBNET)
_FAILURE_CODES = {"invalid_login", "inactive"}


def normalise_username(username: str | None) -> str:
    """The username as the limiter keys it: NFKC, trimmed, case-folded."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def keys_for(request: HttpRequest | None, username: str | None) -> dict[str, str]:
    """The key of each ``signin.*`` scope for this request and username."""
    ip = ratelimit.client_ip(request) if request is not None else ""
    host, network = ratelimit.host_of(ip), ratelimit.subnet_of(ip)
    keys = {IP: host, SUBNET: network}
    user = normalise_username(username)
    if user:
        keys[USER_IP] = f"{user}\x00{host}"
        keys[USER_SUBNET] = f"{user}\x00{network}"
        keys[USER] = user
    return keys


def failures(keys: dict[str, str], name: str) -> int:
    return ratelimit.count(name, keys[name]) if name in keys else 0


def captcha_required(request: HttpRequest | None, username: str | None) -> bool:
    """After ``SIGNIN_CAPTCHA_AFTER`` failures for the username (from anywhere) or from the
    address (default 3). Proof of work costs the owner a second, not the account."""
    threshold = getattr(settings, "SIGNIN_CAPTCHA_AFTER", 3)
    keys = keys_for(request, username)
    return failures(keys, USER) >= threshold or failures(keys, IP) >= threshold


def backoff_seconds(failure: int, limit: ratelimit.Limit) -> int:
    """The block after failure number ``failure`` of a scope: 0 below the limit's count, then
    ``SIGNIN_BACKOFF_BASE`` doubled per further failure, at most ``SIGNIN_BACKOFF_MAX``."""
    if failure < limit.count:
        return 0
    base = max(1, int(getattr(settings, "SIGNIN_BACKOFF_BASE", 60)))
    cap = max(base, int(getattr(settings, "SIGNIN_BACKOFF_MAX", 3600)))
    return min(cap, base * 2 ** min(failure - limit.count, 32))


def blocked(keys: dict[str, str]) -> tuple[int, str]:
    """The longest running block of the scopes and its name; ``(0, "")`` when none runs."""
    found = [(ratelimit.blocked_for(name, keys[name]), name) for name in THROTTLED if name in keys]
    return max(found, default=(0, ""))


def reserve(keys: dict[str, str]) -> tuple[list[str], int, str]:
    """Count this attempt as a failure of every scope in advance. A scope whose count it
    reaches gets its back-off now (claimed atomically: if a parallel attempt holds it, this one
    is refused and nothing stays counted). Answers the claimed scopes, and the seconds to wait
    with the scope that refused (0 and "" when the attempt may go on)."""
    taken: list[str] = []
    claimed: list[str] = []
    for name in THROTTLED:
        if name not in keys:
            continue
        failure = ratelimit.add(name, keys[name])
        taken.append(name)
        seconds = backoff_seconds(failure, ratelimit.limit_for(name))
        if not seconds:
            continue
        if ratelimit.block(name, keys[name], seconds, replace=False):
            claimed.append(name)
            continue
        wait = ratelimit.blocked_for(name, keys[name])
        _give_back(keys, taken, claimed)
        return [], max(1, wait), name
    return claimed, 0, ""


def lockout_message(seconds: int) -> str:
    minutes = ratelimit.minutes(seconds)
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)d minute.",
        "Too many failed sign-ins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _refuse(form, keys: dict[str, str], username: str, seconds: int, scope: str):
    form.locked_seconds = seconds
    logger.warning(
        "sign-in refused, too many failures: username=%r ip=%s scope=%s wait=%ds",
        username,
        keys[IP],
        scope,
        seconds,
    )
    return ValidationError(lockout_message(seconds), code="locked")


def guarded_clean(form, authenticate_clean: Callable[[], dict]) -> dict:
    """``SignInForm.clean``: the blocks first, then the captcha, then the password.

    ``authenticate_clean`` is ``AuthenticationForm.clean`` (it calls ``authenticate`` and so
    the password hasher); it is not called while a scope is blocked or the captcha that was
    asked for is unsolved.
    """
    username = form.cleaned_data.get("username") or ""
    if not username or not form.cleaned_data.get("password"):
        return authenticate_clean()  # field errors already; nothing is authenticated
    keys = keys_for(form.request, username)
    wait, scope = blocked(keys)
    if wait:
        raise _refuse(form, keys, username, wait, scope)
    if form.captcha_failed():
        return form.cleaned_data  # the error is at the captcha field
    claimed, wait, scope = reserve(keys)
    if wait:
        raise _refuse(form, keys, username, wait, scope)
    try:
        cleaned = authenticate_clean()
    except ValidationError as error:
        if getattr(error, "code", None) not in _FAILURE_CODES:
            _give_back(keys, THROTTLED, claimed)
            raise
        _failed(form, keys, username)
        raise
    except Exception:
        _give_back(keys, THROTTLED, claimed)
        raise
    _succeeded(keys, claimed)
    return cleaned


def _failed(form, keys: dict[str, str], username: str) -> None:
    from portal.accounts import alerts

    burst = ratelimit.add(USER, keys[USER])
    logger.warning(
        "sign-in failed: username=%r ip=%s failures=%d (this address %d)",
        username,
        keys[IP],
        burst,
        failures(keys, USER_IP),
    )
    if burst == ratelimit.limit_for(USER).count:  # exactly once per window
        alerts.signin_burst(username, burst, keys[SUBNET])
    if captcha_required(form.request, username) and form.request is not None:
        form.add_captcha(form.request)


def _succeeded(keys: dict[str, str], claimed: list[str]) -> None:
    for name in CLEARED_BY_SUCCESS:
        if name in keys:
            ratelimit.reset(name, keys[name])
            ratelimit.unblock(name, keys[name])
    _give_back(keys, [n for n in THROTTLED if n not in CLEARED_BY_SUCCESS], claimed)


def _give_back(keys: dict[str, str], names, claimed: list[str]) -> None:
    """Refund the reserved hits of ``names`` and lift the blocks this attempt claimed."""
    for name in names:
        if name in keys:
            ratelimit.refund(name, keys[name])
            if name in claimed:
                ratelimit.unblock(name, keys[name])
