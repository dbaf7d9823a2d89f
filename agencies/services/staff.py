"""The agency's own people (Art 19): the admin invites members and gives them roles."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.services._refusal import Refusal, refuse
from portal import access, audit
from portal.models import Agency, AgencyMembership, Audience, User
from portal.roles import AgencyRole
from portal.signals import member_removed

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    """12 characters from upper, lower and digits plus a symbol: passes the password rules."""
    core = "".join(secrets.choice(_ALPHABET) for _ in range(11))
    return core[:4] + "#" + core[4:]


def _admins(agency: Agency) -> int:
    return AgencyMembership.objects.filter(agency=agency, role=AgencyRole.ADMIN).count()


@transaction.atomic
def add_member(
    actor,
    agency: Agency,
    *,
    role: str,
    username: str,
    real_name: str = "",
    email: str = "",
    phone: str = "",
    create: bool = False,
):
    """Add an existing account, or create one with a one-time password shown once.

    Returns ``(membership, password_or_None)``.
    """
    access.require(actor, "agencies.staff.manage", agency)
    if role not in AgencyRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    password = None
    if create:
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("This username is already taken.")})
        if not real_name.strip():
            raise ValidationError({"real_name": _("Enter the person's real name.")})
        password = one_time_password()
        user = User(
            username=username,
            real_name=real_name.strip(),
            email=email,
            phone=phone,
            must_change_password=True,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(force_insert=True)
    else:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError({"username": _("No active account has this username.")})
    membership, created = AgencyMembership.objects.get_or_create(
        user=user, agency=agency, role=role
    )
    if not created:
        raise ValidationError({"username": _("This person already has that role here.")})
    audit.record(
        actor,
        "agencies.staff.add",
        agency,
        {"member": [None, user.username], "role": [None, role], "new_account": [None, create]},
        agency=agency,
        audience=Audience.AGENCY,
    )
    return membership, password


def role_change_refusal(membership: AgencyMembership, actor=None, role: str = "") -> str | None:
    """An agency always keeps an administrator: the last one is not demoted."""
    if (
        membership.role == AgencyRole.ADMIN
        and role != AgencyRole.ADMIN
        and _admins(membership.agency) <= 1
    ):
        return Refusal(_("An agency always keeps at least one administrator."), "last_admin")
    return None


def member_removal_refusal(membership: AgencyMembership, actor=None) -> str | None:
    """An agency always keeps an administrator: the last one is not removed."""
    if membership.role == AgencyRole.ADMIN and _admins(membership.agency) <= 1:
        return Refusal(_("An agency always keeps at least one administrator."), "last_admin")
    return None


@transaction.atomic
def change_role(actor, membership: AgencyMembership, role: str) -> AgencyMembership:
    """The admin gives a member another role (Art 19: the agency's own people)."""
    membership = (
        AgencyMembership.objects.select_for_update()
        .select_related("agency", "user")
        .get(pk=membership.pk)
    )
    access.require(actor, "agencies.staff.manage", membership.agency)
    if role not in AgencyRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    refuse(role_change_refusal(membership, actor, role))
    if (
        AgencyMembership.objects.filter(user=membership.user, agency=membership.agency, role=role)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError({"role": _("This person already has that role here.")})
    old, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    audit.record(
        actor,
        "agencies.staff.change",
        membership.agency,
        {"member": [membership.user.username, membership.user.username], "role": [old, role]},
        agency=membership.agency,
        audience=Audience.AGENCY,
    )
    return membership


@transaction.atomic
def remove_member(actor, membership: AgencyMembership) -> None:
    """Removal takes access away at once (the workspace middleware reads memberships)."""
    membership = (
        AgencyMembership.objects.select_for_update()
        .select_related("agency", "user")
        .get(pk=membership.pk)
    )
    access.require(actor, "agencies.staff.manage", membership.agency)
    refuse(member_removal_refusal(membership, actor))
    audit.record(
        actor,
        "agencies.staff.remove",
        membership.agency,
        {"member": [membership.user.username, None], "role": [membership.role, None]},
        agency=membership.agency,
        audience=Audience.AGENCY,
    )
    member_removed.send(sender=AgencyMembership, membership=membership, actor=actor)
    membership.delete()
