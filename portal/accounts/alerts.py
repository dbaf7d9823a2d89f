"""Alerts of sign-in bursts: many failed sign-ins for one account, from any addresses.

Rules implemented here:

* Cybersecurity Law Art 21(2)-(3) and Art 25: network security events are monitored and
  handled; the people who can act on one are told. When the failures of one username
  (``signin.user`` in ``portal.ratelimit.LIMITS``: 10 per hour by default) reach the count,
  ``portal.accounts.signin`` calls ``signin_burst`` once in that window; the account owner
  (if the account has an e-mail address) and every address in ``SECURITY_ALERT_EMAILS`` get
  a mail, sent by a Celery task after the transaction commits (``portal.jobs.background``).
* PIPL data minimisation (Art 6): no password, no full address. The owner is told the count
  and the time; the security addresses also get the network (/24, IPv6 /48) of the attempt
  that crossed the count, enough to recognise an office or a provider; the full addresses
  are in the ``portal.signin`` log for whoever investigates (docs/decisions/0022).

The alert never refuses anything and says nothing to the visitor, so it cannot be used to
learn whether an account exists; an unknown username alerts nobody.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import ratelimit

logger = logging.getLogger("portal.signin")

BURST = "signin.user"


def security_addresses() -> list[str]:
    """``SECURITY_ALERT_EMAILS``: a list, or a comma-separated string."""
    value = getattr(settings, "SECURITY_ALERT_EMAILS", []) or []
    if isinstance(value, str):
        value = value.split(",")
    return [address.strip() for address in value if address.strip()]


def signin_burst(username: str, failures: int, network: str) -> bool:
    """Failures of ``username`` reached the burst count: tell the owner and the security
    addresses after commit. Answers whether a mail was queued."""
    from portal.jobs.background import enqueue
    from portal.models import User

    account = User.objects.filter(username__iexact=username.strip()).only("pk", "email").first()
    if account is None:
        logger.info("sign-in burst for an unknown username: username=%r", username)
        return False
    if not account.email and not security_addresses():
        return False
    window = ratelimit.limit_for(BURST).seconds
    logger.warning(
        "sign-in burst: username=%r failures=%d window=%ds network=%s",
        account.username,
        failures,
        window,
        network,
    )
    enqueue(send_signin_alert, account.pk, failures, window, network, timezone.now().isoformat())
    return True


def _when(iso: str) -> str:
    moment = timezone.localtime(dt.datetime.fromisoformat(iso))
    return f"{moment:%Y-%m-%d %H:%M}"


@shared_task(
    name="portal.accounts.alerts.send_signin_alert",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_signin_alert(user_id: int, failures: int, window: int, network: str, at: str) -> int:
    """Mail the burst alert; answers the number of mails sent. A retry after a mail server
    error may send it twice; an alert sent twice is better than one lost."""
    from portal.models import User

    account = User.objects.filter(pk=user_id).first()
    if account is None:
        return 0
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        facts = {
            "name": account.display_name,
            "username": account.username,
            "failures": failures,
            "minutes": max(1, window // 60),
            "when": _when(at),
            "network": network or "-",
            "hotline": getattr(settings, "SITE_CONTACT", "12333"),
            "site": settings.SITE_URL,
        }
        if account.email:
            send_mail(
                _("Failed sign-ins to your account"),
                _(
                    "Hello %(name)s,\n\n"
                    "Up to %(when)s there were %(failures)d failed sign-ins to your account "
                    "%(username)s on the Skill-Level Recognition Service Portal within "
                    "%(minutes)d minutes. Your account is not locked: you can still sign in "
                    "at %(site)s.\n\n"
                    "If these were not you, someone may be guessing your password. Choose a "
                    "new, long password and turn on two-factor sign-in. If you need help, "
                    "call the service hotline %(hotline)s.\n"
                )
                % facts,
                None,
                [account.email],
            )
            sent += 1
        security = security_addresses()
        if security:
            send_mail(
                _("Sign-in burst: %(username)s") % facts,
                _(
                    "%(failures)d failed sign-ins to the account %(username)s within "
                    "%(minutes)d minutes, up to %(when)s. The attempt that reached the count "
                    "came from the network %(network)s. The account is not locked; the "
                    "addresses are throttled one by one. Each attempt with its address is "
                    "in the log portal.signin.\n"
                )
                % facts,
                None,
                security,
            )
            sent += 1
    return sent
