"""Authority accounts: who manages whom, and the services that change accounts.

Officials manage the accounts of their jurisdiction in the browser (Art 3, Art 24): a
ministry official (national) every authority account, a provincial official the accounts
whose jurisdiction is their province. The expert and inspector pools (Art 14, Art 25) are
such accounts. Every change is audited in the same transaction; one-time passwords are
returned to the caller once and never stored, logged or audited (MLPS 2.0, docs/decisions
0003 and 0006).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal import access, audit, codes
from portal.models import User, jurisdiction_label
from portal.roles import AUTHORITY_ROLES, NATIONAL, AuthorityRole

MANAGER_ROLES = frozenset({AuthorityRole.MINISTRY_OFFICIAL, AuthorityRole.PROVINCIAL_OFFICIAL})
PROVINCIAL_ASSIGNABLE = (
    AuthorityRole.PROVINCIAL_OFFICIAL,
    AuthorityRole.OSTA_STAFF,
    AuthorityRole.EXPERT,
    AuthorityRole.INSPECTOR,
)
# The fields an official edits, in the order the audit entry lists them.
DETAIL_FIELDS = ("real_name", "phone", "email", "organisation", "jurisdiction")

# One-time passwords: no look-alike characters (0/O, 1/l/I), all four character classes.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SYMBOLS = "#%+=@!?"
ONE_TIME_PASSWORD_LENGTH = 14


# --- Who manages whom (the rule behind the portal.account.* actions) ------------------------


def is_account_manager(user) -> bool:
    """A ministry or provincial official with a jurisdiction (Art 3, Art 24)."""
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and bool(user.jurisdiction)
        and bool(user.authority_roles() & MANAGER_ROLES)
    )


def is_authority_account(account: User) -> bool:
    return bool(account.jurisdiction) and not account.is_superuser


def manages(user, account: User) -> bool:
    """May ``user`` manage ``account``? National officials: every authority account;
    provincial officials: the accounts of their province (Art 24). Superusers are
    maintained by operators, never through these pages."""
    if not is_account_manager(user) or not is_authority_account(account):
        return False
    if user.jurisdiction == NATIONAL:
        return True
    if account.jurisdiction != user.jurisdiction:
        return False
    return AuthorityRole.MINISTRY_OFFICIAL not in roles_of(account)


def manageable_accounts(user) -> QuerySet[User]:
    """The accounts ``user`` may see and manage; everything else answers 404 (Art 24)."""
    if not is_account_manager(user):
        return User.objects.none()
    qs = User.objects.exclude(jurisdiction="").exclude(is_superuser=True)
    if user.jurisdiction != NATIONAL:
        qs = qs.filter(jurisdiction=user.jurisdiction).exclude(
            groups__name=AuthorityRole.MINISTRY_OFFICIAL
        )
    return qs.prefetch_related("groups").order_by("jurisdiction", "username")


def search_accounts(
    user,
    *,
    query: str = "",
    role: str = "",
    active: str = "",
    jurisdiction: str = "",
) -> QuerySet[User]:
    """``manageable_accounts`` narrowed by the list page's filters."""
    qs = manageable_accounts(user)
    query = query.strip()
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(real_name__icontains=query))
    if role:
        qs = qs.filter(groups__name=role)
    if active in {"1", "0"}:
        qs = qs.filter(is_active=active == "1")
    if jurisdiction:
        qs = qs.filter(jurisdiction=jurisdiction)
    return qs.distinct()


def roles_of(account: User) -> list[str]:
    """The account's authority roles, sorted (reads prefetched groups when present)."""
    if not account.pk:
        return []
    return sorted({g.name for g in account.groups.all()} & set(AUTHORITY_ROLES))


def role_labels(account: User) -> list[str]:
    held = set(roles_of(account))
    return [str(AuthorityRole(r).label) for r in AUTHORITY_ROLES if r in held]


def assignable_roles(manager) -> list[str]:
    """Roles ``manager`` may grant: every role nationally; provincial officials all but
    ``ministry_official``, which requires national jurisdiction."""
    if not is_account_manager(manager):
        return []
    if manager.jurisdiction == NATIONAL:
        return list(AUTHORITY_ROLES)
    return list(PROVINCIAL_ASSIGNABLE)


def assignable_jurisdictions(manager) -> list[tuple[str, str]]:
    """(code, label) of the jurisdictions ``manager`` may give an account."""
    if not is_account_manager(manager):
        return []
    if manager.jurisdiction == NATIONAL:
        return [(NATIONAL, jurisdiction_label(NATIONAL)), *codes.PROVINCES.items()]
    return [(manager.jurisdiction, jurisdiction_label(manager.jurisdiction))]


def check_assignment(manager, jurisdiction: str, roles: Iterable[str]) -> None:
    """Refuse a jurisdiction or role the manager may not give, or a role the jurisdiction
    does not fit. Raises ``ValidationError`` keyed by form field, with codes."""
    errors: dict[str, list[ValidationError]] = {}
    roles = set(roles)
    if jurisdiction not in {code for code, _label in assignable_jurisdictions(manager)}:
        errors.setdefault("jurisdiction", []).append(
            ValidationError(
                _("You may not give an account this jurisdiction."),
                code="jurisdiction_not_allowed",
            )
        )
    if not roles:
        errors.setdefault("roles", []).append(
            ValidationError(_("Choose at least one role."), code="required")
        )
    if roles - set(assignable_roles(manager)):
        errors.setdefault("roles", []).append(
            ValidationError(_("You may not assign this role."), code="role_not_allowed")
        )
    if AuthorityRole.MINISTRY_OFFICIAL in roles and jurisdiction != NATIONAL:
        errors.setdefault("roles", []).append(
            ValidationError(
                _("The HRSS official role requires national jurisdiction."),
                code="role_needs_national",
            )
        )
    if AuthorityRole.PROVINCIAL_OFFICIAL in roles and jurisdiction == NATIONAL:
        errors.setdefault("roles", []).append(
            ValidationError(
                _("The provincial HRSS official role requires a province."),
                code="role_needs_province",
            )
        )
    if errors:
        raise ValidationError(errors)


# --- One-time passwords -------------------------------------------------------------------


def generate_one_time_password(user: User | None = None) -> str:
    """A random password that passes the portal's password rules (docs/decisions/0003)."""
    pools = (_LOWER, _UPPER, _DIGITS, _SYMBOLS)
    everything = "".join(pools)
    while True:
        chars = [secrets.choice(pool) for pool in pools]
        chars += [secrets.choice(everything) for _ in range(ONE_TIME_PASSWORD_LENGTH - 4)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


# --- Services -----------------------------------------------------------------------------


def _set_roles(account: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    authority = Group.objects.filter(name__in=AUTHORITY_ROLES)
    account.groups.remove(*authority.exclude(name__in=wanted))
    account.groups.add(*authority.filter(name__in=wanted))
    account.__dict__.pop("_authority_roles", None)
    prefetched = getattr(account, "_prefetched_objects_cache", None)
    if prefetched:
        prefetched.pop("groups", None)


def _details(account: User) -> dict[str, object]:
    data: dict[str, object] = {name: getattr(account, name) for name in DETAIL_FIELDS}
    data["roles"] = roles_of(account)
    return data


@transaction.atomic
def create_account(
    actor,
    *,
    username: str,
    real_name: str,
    jurisdiction: str,
    roles: Iterable[str],
    phone: str = "",
    email: str = "",
    organisation: str = "",
) -> tuple[User, str]:
    """Create an authority account in the actor's jurisdiction (Art 3, Art 24).

    Returns the account and its one-time password, to be shown once; the person must
    change it at first sign-in. The audit entry never contains it.
    """
    access.require(actor, "portal.account.create")
    roles = sorted(set(roles))
    check_assignment(actor, jurisdiction, roles)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": ValidationError(_("This username is already taken."), code="unique")}
        )
    account = User(
        username=username,
        real_name=real_name,
        phone=phone,
        email=email,
        organisation=organisation,
        jurisdiction=jurisdiction,
        must_change_password=True,
    )
    password = generate_one_time_password(account)
    account.set_password(password)
    account.full_clean()
    account.save()
    _set_roles(account, roles)
    after = {"username": username, **_details(account)}
    changes: dict[str, object] = {name: [None, value] for name, value in after.items()}
    changes["must_change_at_next_sign_in"] = [None, True]
    audit.record(actor, "portal.account.create", account, changes, province=jurisdiction)
    return account, password


@transaction.atomic
def change_account(
    actor,
    account: User,
    *,
    real_name: str,
    jurisdiction: str,
    roles: Iterable[str],
    phone: str = "",
    email: str = "",
    organisation: str = "",
) -> dict[str, list[object]]:
    """Edit an account's details and authority roles (Art 24); returns the audited changes.

    Officials cannot change their own roles or jurisdiction. Nothing is written (and
    nothing audited) when nothing changed.
    """
    access.require(actor, "portal.account.change", account)
    account = User.objects.select_for_update().get(pk=account.pk)
    before = _details(account)
    roles = sorted(set(roles))
    if account.pk == actor.pk and (
        roles != before["roles"] or jurisdiction != account.jurisdiction
    ):
        raise ValidationError(
            {"roles": ValidationError(_("You cannot change your own roles."), code="own_roles")}
        )
    check_assignment(actor, jurisdiction, roles)
    for name, value in {
        "real_name": real_name,
        "phone": phone,
        "email": email,
        "organisation": organisation,
        "jurisdiction": jurisdiction,
    }.items():
        setattr(account, name, value)
    account.full_clean(exclude=["password"])
    account.save(update_fields=list(DETAIL_FIELDS))
    _set_roles(account, roles)
    after = _details(account)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit.record(
            actor,
            "portal.account.change",
            account,
            changes,
            province=account.jurisdiction,
        )
    return changes


def _set_active(actor, account: User, active: bool) -> User:
    action = "portal.account.reactivate" if active else "portal.account.deactivate"
    access.require(actor, action, account)
    account = User.objects.select_for_update().get(pk=account.pk)
    if account.is_active == active:
        return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record(
        actor, action, account, {"is_active": [not active, active]}, province=account.jurisdiction
    )
    return account


@transaction.atomic
def deactivate_account(actor, account: User) -> User:
    """Deactivate an account: it can no longer sign in; its sessions end (Art 24)."""
    return _set_active(actor, account, False)


@transaction.atomic
def reactivate_account(actor, account: User) -> User:
    """Let a deactivated account sign in again (Art 24)."""
    return _set_active(actor, account, True)


@transaction.atomic
def reset_password(actor, account: User) -> str:
    """Give the account a new one-time password and force a change at next sign-in.

    The password is returned to be shown once to the official; it is never stored in
    clear, logged, or put in the audit entry (MLPS 2.0). Existing sessions of the
    account end, because their session hash no longer matches.
    """
    access.require(actor, "portal.account.reset_password", account)
    account = User.objects.select_for_update().get(pk=account.pk)
    was_forced = account.must_change_password
    password = generate_one_time_password(account)
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    audit.record(
        actor,
        "portal.account.reset_password",
        account,
        {"must_change_at_next_sign_in": [was_forced, True]},
        province=account.jurisdiction,
    )
    return password
