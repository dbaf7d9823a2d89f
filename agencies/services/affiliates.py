"""Affiliated employers (Art 16): an employer agency declares the employers whose staff count
as its own (its subsidiaries); its filing authority confirms or refuses each declaration; the
agency may withdraw one. Assessments ask ``agencies.queries.is_own_staff``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import AffiliatedEmployer, AffiliateStatus, DirectoryEntry
from agencies.services._refusal import Refusal, refuse
from portal import access, audit, clock, codes
from portal.models import Agency, AgencyKind, Audience

DECLARE = "agencies.affiliate.declare"
DECIDE = "agencies.affiliate.decide"
STANDING = (AffiliateStatus.PENDING, AffiliateStatus.CONFIRMED)


def affiliate_declaration_refusal(agency: Agency, actor=None) -> str | None:
    """Only a listed employer declares affiliated employers (Art 16): a social organisation
    assesses anyone, so it has no own staff to widen."""
    if agency.kind != AgencyKind.EMPLOYER:
        return Refusal(
            _("Only an employer agency declares affiliated employers (Art 16)."), "not_employer"
        )
    if not DirectoryEntry.objects.filter(agency=agency).exists():
        return Refusal(_("The agency is not listed in the directory."), "not_listed")
    return None


@transaction.atomic
def declare_affiliate(
    actor, agency: Agency, *, name: str, uscc: str, relation: str
) -> AffiliatedEmployer:
    """The employer agency declares an affiliated employer; its filing authority decides."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, DECLARE, agency)
    refuse(affiliate_declaration_refusal(agency, actor))
    name, relation, code = name.strip(), relation.strip(), codes.normalize_code(uscc or "")
    errors = {}
    if not name:
        errors["name"] = _("Give the employer's name.")
    if not relation:
        errors["relation"] = _("Say how the employer is related to the agency.")
    if problem := codes.uscc_problem(code):
        errors["uscc"] = problem
    elif code == agency.uscc.upper():
        errors["uscc"] = _("This is the agency's own code: its staff are its own already.")
    elif AffiliatedEmployer.objects.filter(agency=agency, uscc=code, status__in=STANDING).exists():
        errors["uscc"] = _("This employer is already declared.")
    if errors:
        raise ValidationError(errors)
    affiliate = AffiliatedEmployer.objects.create(
        agency=agency,
        name=name,
        uscc=code,
        relation=relation,
        declared_by=actor,
        declared_at=clock.now(),
    )
    audit.record(
        actor,
        "agencies.affiliate.declare",
        affiliate,
        {"name": [None, name], "uscc": [None, code], "status": [None, affiliate.status]},
        agency=agency,
        audience=Audience.AGENCY,
    )
    return affiliate


def affiliate_withdrawal_refusal(affiliate: AffiliatedEmployer, actor=None) -> str | None:
    """A declaration is withdrawn while it waits or stands, not after a refusal."""
    if affiliate.status not in STANDING:
        return Refusal(_("This declaration no longer stands."))
    return None


@transaction.atomic
def withdraw_affiliate(actor, affiliate: AffiliatedEmployer) -> AffiliatedEmployer:
    """The agency withdraws a declaration: from now on the employer's staff are not its own."""
    affiliate = (
        AffiliatedEmployer.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=affiliate.pk)
    )
    access.require(actor, DECLARE, affiliate.agency)
    refuse(affiliate_withdrawal_refusal(affiliate, actor))
    before = affiliate.status
    affiliate.status, affiliate.withdrawn_at = AffiliateStatus.WITHDRAWN, clock.now()
    affiliate.save(update_fields=["status", "withdrawn_at"])
    audit.record(
        actor,
        "agencies.affiliate.withdraw",
        affiliate,
        {"status": [before, affiliate.status]},
        agency=affiliate.agency,
        audience=Audience.AGENCY,
    )
    return affiliate


def affiliate_decision_refusal(affiliate: AffiliatedEmployer, actor=None) -> str | None:
    """Only a declaration waiting for the filing authority is decided."""
    if affiliate.status != AffiliateStatus.PENDING:
        return Refusal(_("This declaration is not waiting for a decision."))
    return None


@transaction.atomic
def decide_affiliate(
    actor, affiliate: AffiliatedEmployer, *, confirm: bool, reason: str = ""
) -> AffiliatedEmployer:
    """The filing authority confirms a declared affiliate (its staff then count as the
    agency's own, Art 16) or refuses it with the reason."""
    affiliate = (
        AffiliatedEmployer.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=affiliate.pk)
    )
    access.require(actor, DECIDE, affiliate.agency)
    refuse(affiliate_decision_refusal(affiliate, actor))
    reason = reason.strip()
    if not confirm and not reason:
        raise ValidationError({"reason": _("Give the reason of the refusal.")})
    affiliate.status = AffiliateStatus.CONFIRMED if confirm else AffiliateStatus.REFUSED
    affiliate.decided_by, affiliate.decided_at, affiliate.reason = actor, clock.now(), reason
    affiliate.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.record(
        actor,
        "agencies.affiliate.decide",
        affiliate,
        {"status": [AffiliateStatus.PENDING, affiliate.status], "reason": [None, reason or None]},
        agency=affiliate.agency,
        audience=Audience.AGENCY,
    )
    return affiliate
