"""Access rules, audit labels, menu entry and dashboard panel of account management.

Registered from ``PortalConfig.ready()`` through ``register()``. Officials manage the
authority accounts of their jurisdiction (Art 3, Art 24); two-factor sign-in follows
MLPS 2.0.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import audit
from portal.access import register_action
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, register_panel

MANAGERS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL}


def _manages(user, account=None) -> bool:
    """Without an account: is the user an account manager at all (the view policy);
    with one: does the user's jurisdiction cover it (Art 24)."""
    from portal import accounts

    if account is None:
        return accounts.is_account_manager(user)
    return accounts.manages(user, account)


def _manages_other(user, account=None) -> bool:
    """As ``_manages``, but never one's own account (no self-lock-out, no self-reset)."""
    if account is not None and account.pk == user.pk:
        return False
    return _manages(user, account)


AUDIT_LABELS = {
    "portal.account.create": _("created an account"),
    "portal.account.change": _("changed an account"),
    "portal.account.deactivate": _("deactivated an account"),
    "portal.account.reactivate": _("reactivated an account"),
    "portal.account.reset_password": _("reset the password of an account"),
    "portal.account.enable_2fa": _("turned on two-factor sign-in"),
    "portal.account.disable_2fa": _("turned off two-factor sign-in"),
}


def register() -> None:
    register_action(
        "portal.account.view", _manages, "See the authority accounts of one's jurisdiction"
    )
    register_action(
        "portal.account.create", _manages, "Create an authority account in one's jurisdiction"
    )
    register_action(
        "portal.account.change", _manages, "Edit an account's details and authority roles"
    )
    register_action("portal.account.deactivate", _manages_other, "Deactivate an account")
    register_action("portal.account.reactivate", _manages_other, "Reactivate an account")
    register_action(
        "portal.account.reset_password",
        _manages_other,
        "Reset an account's password to a one-time password",
    )
    register_action(
        "portal.account.reset_2fa",
        _manages_other,
        "Remove an account's two-factor device (for a lost phone)",
    )
    for action, label in AUDIT_LABELS.items():
        audit.register_label(action, label)
    audit.display.register_change_labels(
        {
            "roles": _("roles"),
            "two_factor": _("two-factor sign-in"),
            "must_change_at_next_sign_in": _("must change the password at next sign-in"),
        },
        values={"roles": dict(R.choices)},
    )
    audit.register_object_url("portal.user", _account_url)
    register_ui()


def _account_url(user, object_id: str) -> str | None:
    """The trail links an account to its page for the officials who manage it."""
    from portal import accounts

    if object_id.isdigit() and accounts.manageable_accounts(user).filter(pk=object_id).exists():
        return reverse("accounts:detail", args=[object_id])
    return None


def _accounts_panel(request) -> Panel | None:
    from portal import accounts

    if not accounts.is_account_manager(request.user):
        return None
    # Information, not a to-do: no badge (docs/decisions/0027).
    active = accounts.manageable_accounts(request.user).filter(is_active=True).count()
    return Panel(
        title=_("Authority accounts"),
        text=_(
            "Create the accounts of officials, experts and inspectors of your jurisdiction, "
            "assign their roles, deactivate them or reset their passwords (Art 24)."
        ),
        links=[
            PanelLink(_("All accounts"), reverse("accounts:list")),
            PanelLink(_("New account"), reverse("accounts:create")),
        ],
        facts=[
            ngettext(
                "%(n)d active account in your jurisdiction",
                "%(n)d active accounts in your jurisdiction",
                active,
            )
            % {"n": active}
        ],
        order=50,
    )


def register_ui() -> None:
    navigation.register(
        "accounts",
        _("Authority accounts"),
        "accounts:list",
        area=navigation.WORKSPACE,
        order=800,
        roles=MANAGERS,
    )
    navigation.register(
        "two_factor",
        _("Two-factor sign-in"),
        "accounts:two_factor",
        area=navigation.WORKSPACE,
        order=950,
    )
    register_panel("portal.accounts", MANAGERS, _accounts_panel)
