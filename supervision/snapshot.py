"""The sealed snapshot of a plan's pools (Art 25; decision 0055): what ``supervision.draw``
draws from, built from the database at the moment a plan is approved.

Objects: for a spot check over agencies, the agencies listed with the plan's jurisdiction; over
sessions (and for a quality plan), the sessions located in the jurisdiction whose first
sitting falls in the plan's period. Each object carries its agency's risk tier
(``supervision.risk``, then the plan's adjustments). People: the active pool entries of the
jurisdiction (inspectors, or external supervisors for a quality plan) whose user is active,
under pseudonymous ids with salted digests; a person's conflict tags appear only as the pool
objects they avoid, never as employers or relations.

What the snapshot says of a person is exactly four things (``person_entry``): the
pseudonymous id (an HMAC of the entry's id under the plan's never-published
``pseudonym_key``, so ids do not link across plans), the salted digest of their record (the
salt is given to that person only, so they can find their entry and check it), their
capacity in this plan and the pool objects they avoid. No name, user name, organisation,
speciality or kind of conflict.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from supervision import draw, risk
from supervision.models import (
    ConflictTag,
    ExternalSupervisor,
    Inspector,
    ObjectKind,
    PlanKind,
    SpotCheckPlan,
)

#: Session states a session may be drawn in.
DRAWABLE_SESSION_STATES = ("filed", "open", "closed", "archived")


def _key(plan: SpotCheckPlan) -> bytes:
    if not plan.pseudonym_key:
        raise ValueError("the plan has no pseudonym key yet")
    return bytes.fromhex(plan.pseudonym_key)


def pseudonym(plan: SpotCheckPlan, person_pk: int) -> str:
    """The pseudonymous id of a pool entry in this plan (stable within the plan only)."""
    mac = hmac.new(_key(plan), f"person:{person_pk}".encode(), hashlib.sha256).hexdigest()
    return f"p-{mac[:16]}"


def person_salt(plan: SpotCheckPlan, person_pk: int) -> str:
    """The salt of a person's digest; given to that person so they can find their entry."""
    return hmac.new(_key(plan), f"salt:{person_pk}".encode(), hashlib.sha256).hexdigest()


def person_record(entry) -> dict[str, Any]:
    return {
        "user": entry.user.username,
        "organisation": entry.organisation,
        "specialities": entry.specialities,
        "capacity": entry.capacity,
    }


def person_digest(plan: SpotCheckPlan, entry) -> str:
    salt = person_salt(plan, entry.pk)
    return draw.digest(salt.encode() + b"\x00" + draw.canonical(person_record(entry)))


def object_rows(plan: SpotCheckPlan) -> list[tuple[str, int, int | None]]:
    """``(object id, agency id, session id or None)`` of the plan's object pool."""
    if plan.kind == PlanKind.SPOT_CHECK and plan.object_kind == ObjectKind.AGENCY:
        from portal.models import Agency, AgencyStatus

        ids = Agency.objects.filter(
            status=AgencyStatus.LISTED, filing_jurisdiction=plan.jurisdiction
        ).values_list("pk", flat=True)
        return [(f"agency:{pk}", pk, None) for pk in ids]
    from assessments.models import AssessmentSession

    sessions = AssessmentSession.objects.filter(
        status__in=DRAWABLE_SESSION_STATES,
        first_sitting_on__gte=plan.period_start,
        first_sitting_on__lte=plan.period_end,
    )
    from portal.roles import NATIONAL

    if plan.jurisdiction != NATIONAL:
        sessions = sessions.filter(site__province_id=plan.jurisdiction)
    return [
        (f"session:{pk}", agency_id, pk)
        for pk, agency_id in sessions.values_list("pk", "agency_id")
    ]


def people_entries(plan: SpotCheckPlan) -> list:
    """The pool entries that may be drawn: active, of the plan's jurisdiction, whose user is
    active and still in the pool's group (``inspector``, or ``expert`` for a quality plan)."""
    from portal.roles import AuthorityRole

    if plan.kind == PlanKind.QUALITY:
        model, group = ExternalSupervisor, AuthorityRole.EXPERT
    else:
        model, group = Inspector, AuthorityRole.INSPECTOR
    return list(
        model.objects.filter(
            active=True,
            jurisdiction=plan.jurisdiction,
            user__is_active=True,
            user__groups__name=group,
        )
        .select_related("user")
        .only(*ENTRY_FIELDS)
        .order_by("pk")
    )


#: What ``person_entry`` reads of a pool entry (the rest is not loaded: 5,000 entries).
ENTRY_FIELDS = ("id", "capacity", "organisation", "specialities", "user__username")


def conflicted_agencies(plan: SpotCheckPlan, entries: list) -> dict[int, set[int]]:
    """The agencies each entry (by pk) has a conflict tag on, in one query."""
    column = "supervisor_id" if plan.kind == PlanKind.QUALITY else "inspector_id"
    out: dict[int, set[int]] = {}
    rows = ConflictTag.objects.filter(**{f"{column}__in": [e.pk for e in entries]})
    for person_pk, agency_id in rows.values_list(column, "agency_id"):
        out.setdefault(person_pk, set()).add(agency_id)
    return out


def object_tiers(plan: SpotCheckPlan, agency_ids: list[int]) -> dict[int, int]:
    """Each agency's tier for this plan: computed, then the plan's adjustments."""
    tiers = {pk: int(tier) for pk, tier in risk.tiers(agency_ids).items()}
    for agency_id, tier in plan.adjustments.values_list("agency_id", "tier"):
        if agency_id in tiers:
            tiers[agency_id] = int(tier)
    return tiers


#: The only keys a person has in a snapshot (tests hold the snapshot to it).
PERSON_KEYS = ("avoid", "capacity", "digest", "id")


def person_entry(plan: SpotCheckPlan, entry, avoid: list[str]) -> dict[str, Any]:
    """A person as the snapshot shows them: pseudonym, salted digest, capacity, avoided
    objects (and nothing else)."""
    return {
        "id": pseudonym(plan, entry.pk),
        "digest": person_digest(plan, entry),
        "capacity": min(int(entry.capacity), int(plan.max_objects_per_inspector)),
        "avoid": avoid,
    }


def build(plan: SpotCheckPlan) -> dict[str, Any]:
    """The snapshot dict of ``plan`` as its pools stand now (see ``supervision.draw``)."""
    rows = object_rows(plan)
    agency_ids = sorted({agency_id for _, agency_id, _ in rows})
    tiers = object_tiers(plan, agency_ids)
    objects = sorted(
        ({"id": oid, "tier": tiers[agency_id]} for oid, agency_id, _ in rows),
        key=lambda o: o["id"],
    )
    objects_of_agency: dict[int, list[str]] = {}
    for oid, agency_id, _ in rows:
        objects_of_agency.setdefault(agency_id, []).append(oid)
    people = []
    entries = people_entries(plan)
    conflicts = conflicted_agencies(plan, entries)
    for entry in entries:
        conflicted = conflicts.get(entry.pk, set())
        avoid = sorted(oid for pk in conflicted for oid in objects_of_agency.get(pk, []))
        people.append(person_entry(plan, entry, avoid))
    people.sort(key=lambda p: p["id"])
    sizes: dict[str, int] = {}
    for obj in objects:
        sizes[str(obj["tier"])] = sizes.get(str(obj["tier"]), 0) + 1
    adjustments = [
        {"object": f"agency:{a}", "from": int(c), "to": int(t), "reason": r}
        for a, c, t, r in plan.adjustments.order_by("agency_id").values_list(
            "agency_id", "computed_tier", "tier", "reason"
        )
    ]
    return {
        "version": draw.ALGORITHM,
        "plan": {
            "id": plan.pk,
            "kind": plan.kind,
            "jurisdiction": plan.jurisdiction,
            "object_kind": plan.object_kind,
            "period": [plan.period_start.isoformat(), plan.period_end.isoformat()],
            "check_items": sorted(plan.check_items.values_list("code", flat=True)),
            "tier_rules": plan.tier_rules,
            "adjustments": adjustments,
            "randomness_source": plan.randomness_source,
            "randomness_date": plan.randomness_date.isoformat() if plan.randomness_date else None,
            "secret_digest": plan.secret_digest,
        },
        "per_object": int(plan.inspectors_per_object),
        "quotas": draw.quotas(plan.tier_rules, sizes),
        "objects": objects,
        "people": people,
    }


def people_by_pseudonym(plan: SpotCheckPlan) -> dict[str, Any]:
    """Pool entries by their pseudonymous id in this plan (for officials' pages and for
    turning the drawn list into assignments)."""
    model = ExternalSupervisor if plan.kind == PlanKind.QUALITY else Inspector
    entries = model.objects.filter(jurisdiction=plan.jurisdiction).select_related("user")
    return {pseudonym(plan, entry.pk): entry for entry in entries}
