"""Calls for agencies (征集公告, Art 11)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import AgencyCall, CallStatus
from agencies.services._refusal import Refusal, refuse
from portal import access, audit, clock

CALL_FIELDS = (
    "title",
    "body",
    "accepts_employers",
    "accepts_social_orgs",
    "min_years",
    "min_total_assessed",
    "min_per_occupation",
    "thresholds_for_employers",
    "standard_required",
    "opens_on",
    "deadline",
    "notice_period_days",
    "filing_term_years",
    "commitment_text",
)


@transaction.atomic
def create_call(actor, *, jurisdiction: str, occupations=(), **fields) -> AgencyCall:
    """The ministry calls nationwide, a province for its region (Art 11)."""
    call = AgencyCall(
        jurisdiction=jurisdiction,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in CALL_FIELDS},
    )
    access.require(actor, "agencies.call.manage", call)
    call.full_clean()
    call.save(force_insert=True)
    call.occupations.set(list(occupations))
    audit.record(
        actor,
        "agencies.call.create",
        call,
        {"title": [None, call.title], "jurisdiction": [None, jurisdiction]},
        province=jurisdiction,
    )
    return call


def call_change_refusal(call: AgencyCall, actor=None) -> str | None:
    """A published call is what applicants answered: only a draft changes (Art 11)."""
    if call.status != CallStatus.DRAFT:
        return Refusal(_("Only a draft call can be changed."))
    return None


@transaction.atomic
def update_call(actor, call: AgencyCall, *, occupations=None, **fields) -> AgencyCall:
    """Change a draft call (Art 11)."""
    call = AgencyCall.objects.select_for_update().get(pk=call.pk)
    access.require(actor, "agencies.call.manage", call)
    refuse(call_change_refusal(call, actor))
    before = audit.snapshot(call, CALL_FIELDS)
    for name, value in fields.items():
        if name not in CALL_FIELDS:
            raise ValueError(f"unknown call field {name}")
        setattr(call, name, value)
    call.full_clean()
    call.save(update_fields=list(fields))
    if occupations is not None:
        call.occupations.set(list(occupations))
    audit.record(
        actor,
        "agencies.call.change",
        call,
        audit.diff(before, call, CALL_FIELDS),
        province=call.jurisdiction,
    )
    return call


def publication_refusal(call: AgencyCall, actor=None) -> str | None:
    """Only a draft is published; a deadline already passed is the deadline field's error."""
    if call.status != CallStatus.DRAFT:
        return Refusal(_("Only a draft call can be published."))
    return None


@transaction.atomic
def publish_call(actor, call: AgencyCall) -> AgencyCall:
    """Publish the call to the public (Art 11)."""
    call = AgencyCall.objects.select_for_update().get(pk=call.pk)
    access.require(actor, "agencies.call.manage", call)
    refuse(publication_refusal(call, actor))
    if call.deadline < clock.today():
        raise ValidationError({"deadline": _("The deadline has already passed.")})
    call.status, call.published_at = CallStatus.PUBLISHED, clock.now()
    call.save(update_fields=["status", "published_at"])
    audit.record(
        actor,
        "agencies.call.publish",
        call,
        {"status": [CallStatus.DRAFT, CallStatus.PUBLISHED]},
        province=call.jurisdiction,
    )
    return call


def closing_refusal(call: AgencyCall, actor=None) -> str | None:
    """Only a published call is closed."""
    if call.status != CallStatus.PUBLISHED:
        return Refusal(_("Only a published call can be closed."))
    return None


@transaction.atomic
def close_call(actor, call: AgencyCall) -> AgencyCall:
    """Close the call early: no new applications (Art 11)."""
    call = AgencyCall.objects.select_for_update().get(pk=call.pk)
    access.require(actor, "agencies.call.manage", call)
    refuse(closing_refusal(call, actor))
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status"])
    audit.record(
        actor,
        "agencies.call.close",
        call,
        {"status": [CallStatus.PUBLISHED, CallStatus.CLOSED]},
        province=call.jurisdiction,
    )
    return call


def is_open(call: AgencyCall) -> bool:
    """Published, and today within its opening and deadline dates."""
    today = clock.today()
    return call.status == CallStatus.PUBLISHED and call.opens_on <= today <= call.deadline
