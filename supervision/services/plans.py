"""Spot-check plans and their publicly verifiable draw (Art 25; Art 26 for the testing
centre's dispatch of external quality supervisors; decisions 0055, 0060).

A plan is drafted (``create_plan``, ``update_plan``, ``adjust_tier``), approved
(``approve_plan``: the pools are sealed as a snapshot whose digest is published with the
digest of a secret and the public randomness source and date), drawn once
(``draw_plan``: the public numbers entered, the seed computed, the drawn list frozen, the
inspections or visits and their assignment grants created) and closed (``close_plan``).

Officials of the plan's jurisdiction act on it: ``provincial_official`` of the province and
national ``ministry_official`` for spot checks, ``osta_staff`` of the jurisdiction for quality
plans (``supervision.plans.manage``). The secret and the pseudonym key are never audited.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import access, audit, clock
from portal.refusals import Refusal, refuse
from supervision import draw, risk, signals, snapshot
from supervision.models import (
    CheckItem,
    ExternalSupervisor,
    Inspection,
    InspectionAssignment,
    InspectionState,
    Inspector,
    ObjectKind,
    PlanKind,
    PlanState,
    QualityVisit,
    QualityVisitAssignment,
    RiskAdjustment,
    RiskTier,
    SpotCheckPlan,
    VisitState,
)

MANAGE = "supervision.plans.manage"
EDITABLE = (
    "title",
    "object_kind",
    "period_start",
    "period_end",
    "tier_rules",
    "inspectors_per_object",
    "max_objects_per_inspector",
)
MAX_PEOPLE_PER_OBJECT = 10
REASON_MAX = 2000


# --- Refusals (for the buttons and the services) ---------------------------------------------


def edit_refusal(plan: SpotCheckPlan) -> Refusal | None:
    if plan.state != PlanState.DRAFT:
        return Refusal(
            _("The plan is approved and its pools are sealed: it can no longer be changed."),
            "sealed",
        )
    return None


def approve_refusal(plan: SpotCheckPlan) -> Refusal | None:
    return edit_refusal(plan)


def draw_refusal(plan: SpotCheckPlan) -> Refusal | None:
    if plan.state in (PlanState.DRAWN, PlanState.CLOSED):
        return Refusal(
            _("The plan was drawn already: the drawn list is frozen and cannot be drawn again."),
            "drawn",
        )
    if plan.state != PlanState.SEALED:
        return Refusal(_("Approve the plan (seal its pools) before the draw."), "draft")
    if plan.randomness_date and clock.today() < plan.randomness_date:
        return Refusal(
            _("The public numbers of %(date)s are not known yet: draw on or after that day.")
            % {"date": plan.randomness_date.isoformat()},
            "too_early",
        )
    return None


def close_refusal(plan: SpotCheckPlan) -> Refusal | None:
    if plan.state == PlanState.CLOSED:
        return Refusal(_("The plan is closed already."), "closed")
    if plan.state != PlanState.DRAWN:
        return Refusal(_("Only a drawn plan can be closed."), "not_drawn")
    return None


# --- Validation -------------------------------------------------------------------------------


def parse_tier_rules(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"1": {"percent": "30"}, "4": {"count": 1}}`` checked and normalised; tiers with
    nothing to draw are left out. Raises ``ValidationError`` on ``tier_rules``."""
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(raw, dict):
        raise ValidationError({"tier_rules": _("Give a proportion or a count per risk tier.")})
    for tier, rule in raw.items():
        if str(tier) not in draw.TIERS or not isinstance(rule, dict):
            raise ValidationError({"tier_rules": _("Unknown risk tier %(tier)s.") % {"tier": tier}})
        if "count" in rule:
            try:
                count = int(rule["count"])
            except (TypeError, ValueError):
                count = -1
            if count < 0 or count > 100000:
                raise ValidationError(
                    {
                        "tier_rules": _("Tier %(tier)s: the count must be a whole number.")
                        % {"tier": tier}
                    }
                )
            if count:
                out[str(tier)] = {"count": count}
        elif "percent" in rule:
            try:
                percent = Decimal(str(rule["percent"]))
            except InvalidOperation:
                percent = Decimal(-1)
            if not (Decimal(0) <= percent <= Decimal(100)) or percent.as_tuple().exponent < -2:
                raise ValidationError(
                    {
                        "tier_rules": _(
                            "Tier %(tier)s: the proportion must be between 0 and 100 %%."
                        )
                        % {"tier": tier}
                    }
                )
            if percent:
                out[str(tier)] = {"percent": format(percent.normalize(), "f")}
    if not out:
        raise ValidationError(
            {"tier_rules": _("Say how many objects to draw in at least one risk tier.")}
        )
    return dict(sorted(out.items()))


def _validated(plan: SpotCheckPlan, data: dict[str, Any]) -> list[CheckItem] | None:
    errors: dict[str, str] = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the plan a title.")
    start, end = data.get("period_start"), data.get("period_end")
    if not start:
        errors["period_start"] = _("Give the first day of the period.")
    if not end:
        errors["period_end"] = _("Give the last day of the period.")
    if start and end and end < start:
        errors["period_end"] = _("The period ends before it starts.")
    per_object = data.get("inspectors_per_object") or 0
    if int(per_object) < 2:
        errors["inspectors_per_object"] = _("At least 2 inspectors go to each object (Art 25).")
    elif int(per_object) > MAX_PEOPLE_PER_OBJECT:
        errors["inspectors_per_object"] = _("At most %(n)d people per object.") % {
            "n": MAX_PEOPLE_PER_OBJECT
        }
    per_person = data.get("max_objects_per_inspector") or 0
    if int(per_person) < 1:
        errors["max_objects_per_inspector"] = _("Each person may go to at least 1 object.")
    try:
        rules = parse_tier_rules(data.get("tier_rules") or {})
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        rules = {}
    items = None
    if "check_items" in data:
        items = list(data.get("check_items") or [])
        wrong = [i for i in items if i.jurisdiction != plan.jurisdiction or not i.active]
        if wrong:
            errors["check_items"] = _("Choose check items of the plan's jurisdiction in use.")
        elif not items:
            errors["check_items"] = _("Choose at least one check item.")
    if errors:
        raise ValidationError(errors)
    plan.title = title
    plan.period_start, plan.period_end = start, end
    plan.inspectors_per_object = int(per_object)
    plan.max_objects_per_inspector = int(per_person)
    plan.tier_rules = rules
    if plan.kind == PlanKind.QUALITY:
        plan.object_kind = ObjectKind.SESSION
    else:
        plan.object_kind = data.get("object_kind") or ObjectKind.AGENCY
        if plan.object_kind not in ObjectKind.values:
            raise ValidationError({"object_kind": _("Choose agencies or sessions.")})
    return items


def _audit_plan(actor, action: str, plan: SpotCheckPlan, changes: dict) -> None:
    audit.record(actor, action, plan, changes, province=plan.jurisdiction)


# --- Drafting ---------------------------------------------------------------------------------


@transaction.atomic
def create_plan(official, data: dict[str, Any]) -> SpotCheckPlan:
    """Draft a plan of the official's jurisdiction (Art 25; quality plans Art 26)."""
    kind = data.get("kind") or PlanKind.SPOT_CHECK
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Choose the kind of plan.")})
    plan = SpotCheckPlan(
        kind=kind,
        jurisdiction=getattr(official, "jurisdiction", "") or "",
        created_by=official,
        created_at=clock.now(),
    )
    access.require(official, MANAGE, plan)
    items = _validated(plan, data)
    plan.save()
    if items is not None:
        plan.check_items.set(items)
    _audit_plan(
        official,
        "supervision.plan.create",
        plan,
        {
            "title": [None, plan.title],
            "kind": [None, plan.kind],
            "tier_rules": [None, plan.tier_rules],
        },
    )
    return plan


@transaction.atomic
def update_plan(official, plan: SpotCheckPlan, data: dict[str, Any]) -> SpotCheckPlan:
    """Change a draft plan (Art 25); a sealed plan is frozen."""
    plan = SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
    access.require(official, MANAGE, plan)
    refuse(edit_refusal(plan))
    before = audit.snapshot(plan, EDITABLE)
    items = _validated(plan, data)
    plan.save(update_fields=list(EDITABLE))
    if items is not None:
        plan.check_items.set(items)
    _audit_plan(official, "supervision.plan.update", plan, audit.diff(before, plan, EDITABLE))
    return plan


def pool_agencies(plan: SpotCheckPlan) -> set[int]:
    return {agency_id for _oid, agency_id, _s in snapshot.object_rows(plan)}


@transaction.atomic
def adjust_tier(official, plan: SpotCheckPlan, agency, tier, reason: str) -> RiskAdjustment | None:
    """Move an agency of the object pool to another risk tier before sealing, with a reason
    that is published with the plan (Art 25). Moving it back to its computed tier removes the
    adjustment."""
    plan = SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
    access.require(official, MANAGE, plan)
    refuse(edit_refusal(plan))
    reason = (reason or "").strip()
    errors = {}
    try:
        tier = int(tier)
    except (TypeError, ValueError):
        tier = 0
    if tier not in RiskTier.values:
        errors["tier"] = _("Choose a risk tier.")
    if not reason:
        errors["reason"] = _("Say why the tier is adjusted; the reason is published with the plan.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("At most %(n)d characters.") % {"n": REASON_MAX}
    if agency is None or agency.pk not in pool_agencies(plan):
        errors["agency"] = _("The agency is not in this plan's object pool.")
    if errors:
        raise ValidationError(errors)
    computed = int(risk.tiers([agency.pk])[agency.pk])
    existing = RiskAdjustment.objects.filter(plan=plan, agency=agency).first()
    before = [existing.tier, existing.reason] if existing else [computed, ""]
    if tier == computed:
        if existing:
            existing.delete()
        found = None
    else:
        found, _created = RiskAdjustment.objects.update_or_create(
            plan=plan,
            agency=agency,
            defaults={
                "computed_tier": computed,
                "tier": tier,
                "reason": reason,
                "adjusted_by": official,
                "adjusted_at": clock.now(),
            },
        )
    audit.record(
        official,
        "supervision.plan.adjust_tier",
        plan,
        {
            "agency": [None, agency.name],
            "computed_tier": [None, computed],
            "tier": [before[0], tier],
            "reason": [before[1] or None, reason],
        },
        province=plan.jurisdiction,
    )
    return found


# --- Sealing ----------------------------------------------------------------------------------


def _object_label(object_id: str) -> str:
    kind, _sep, pk = object_id.partition(":")
    if kind == "agency":
        from portal.models import Agency

        found = Agency.objects.filter(pk=pk).values_list("name", flat=True).first()
        return found or object_id
    from assessments.models import AssessmentSession

    found = AssessmentSession.objects.filter(pk=pk).select_related("agency").first()
    return f"{found.agency.name} · {found}" if found else object_id


def gap_messages(gaps: list[str], per_object: int) -> list[str]:
    """``draw.gaps`` in words: which objects lack people, how much capacity is short."""
    out = []
    for gap in gaps:
        parts = gap.split(":")
        if parts[0] == "object":
            out.append(
                _("%(object)s: only %(n)s people without a conflict of interest, %(need)d needed")
                % {
                    "object": _object_label(":".join(parts[1:-1])),
                    "n": parts[-1],
                    "need": per_object,
                }
            )
        elif parts[0] == "capacity":
            have, need = int(parts[1]), int(parts[2])
            out.append(
                _(
                    "The people of the pool can take %(have)d objects in this plan, the quotas "
                    "need %(need)d: %(short)d short"
                )
                % {"have": have, "need": need, "short": need - have}
            )
    return out


@transaction.atomic
def approve_plan(
    official, plan: SpotCheckPlan, *, randomness_source: str, randomness_date
) -> SpotCheckPlan:
    """Approve the plan and seal its pools (Art 25; decision 0055): the snapshot's digest, the
    digest of a fresh secret and the public randomness source and date are published before
    the draw, so nobody (the official included) can steer which objects are drawn."""
    plan = SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
    access.require(official, MANAGE, plan)
    refuse(approve_refusal(plan))
    errors = {}
    source = (randomness_source or "").strip()
    if not source:
        errors["randomness_source"] = _("Name the public source of the numbers.")
    elif len(source) > 200:
        errors["randomness_source"] = _("At most %(n)d characters.") % {"n": 200}
    if not randomness_date:
        errors["randomness_date"] = _("Give the date of the public numbers.")
    elif randomness_date <= clock.today():
        errors["randomness_date"] = _(
            "The public numbers must come after today, so that nobody knows them at sealing."
        )
    try:
        parse_tier_rules(plan.tier_rules)
    except ValidationError as exc:
        errors["__all__"] = exc.message_dict["tier_rules"][0]
    if plan.inspectors_per_object < 2:
        errors["__all__"] = _("At least 2 inspectors go to each object (Art 25).")
    if errors:
        raise ValidationError(errors)
    plan.randomness_source = source
    plan.randomness_date = randomness_date
    plan.pseudonym_key = secrets.token_hex(32)
    plan.secret = secrets.token_hex(32)
    plan.secret_digest = hashlib.sha256(plan.secret.encode()).hexdigest()
    snap = snapshot.build(plan)
    if not snap["objects"]:
        raise ValidationError({"__all__": _("The object pool of this plan is empty.")})
    if sum(snap["quotas"].values()) == 0:
        raise ValidationError({"__all__": _("The quotas draw no object from this pool.")})
    gaps = draw.gaps(snap)
    if gaps:
        lines = gap_messages(gaps, plan.inspectors_per_object)
        raise ValidationError(
            {
                "__all__": _("The pools cannot serve the draw yet: %(gaps)s.")
                % {"gaps": "；".join(lines)}
            }
        )
    text = draw.canonical(snap)
    plan.snapshot = text.decode()
    plan.sealed_digest = draw.digest(text)
    plan.algorithm_version = draw.ALGORITHM
    plan.state = PlanState.SEALED
    plan.approved_by = official
    plan.approved_at = clock.now()
    plan.save(
        update_fields=[
            "randomness_source",
            "randomness_date",
            "pseudonym_key",
            "secret",
            "secret_digest",
            "snapshot",
            "sealed_digest",
            "algorithm_version",
            "state",
            "approved_by",
            "approved_at",
        ]
    )
    _audit_plan(
        official,
        "supervision.plan.approve",
        plan,
        {
            "state": [PlanState.DRAFT, PlanState.SEALED],
            "sealed_digest": [None, plan.sealed_digest],
            "secret_digest": [None, plan.secret_digest],
            "randomness_source": [None, plan.randomness_source],
            "randomness_date": [None, plan.randomness_date.isoformat()],
            "quotas": [None, snap["quotas"]],
        },
    )
    return plan


# --- The draw ---------------------------------------------------------------------------------

_NUMBERS = re.compile(r"^[\d\s,，+＋、;；|/\-]+$")


@transaction.atomic
def draw_plan(official, plan: SpotCheckPlan, numbers: str) -> SpotCheckPlan:
    """Enter the public numbers and draw (Art 25, 26; decision 0055): the seed, the drawn list
    (frozen: a plan is drawn once), an ``Inspection`` (or ``QualityVisit``) per drawn object
    with an assignment grant per drawn person, then ``plan_drawn``."""
    plan = SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
    access.require(official, MANAGE, plan)
    refuse(draw_refusal(plan))
    raw = (numbers or "").strip()
    normal = draw.normalise_numbers(raw)
    if not raw or not normal or not _NUMBERS.match(raw) or len(raw) > 200:
        raise ValidationError(
            {"numbers": _("Type the public numbers as published: digits separated by spaces.")}
        )
    seed = draw.seed_of(plan.algorithm_version, plan.sealed_digest, plan.secret, normal)
    try:
        result = draw.draw(json.loads(plan.snapshot), seed)
    except draw.DrawImpossible as exc:  # gaps() said no at sealing; kept as a guard
        raise ValidationError({"__all__": _("The sealed pools cannot serve this draw.")}) from exc
    now = clock.now()
    plan.public_numbers = normal
    plan.seed = seed
    plan.result = result
    plan.drawn_by = official
    plan.drawn_at = now
    plan.state = PlanState.DRAWN
    plan.save(update_fields=["public_numbers", "seed", "result", "drawn_by", "drawn_at", "state"])
    people = snapshot.people_by_pseudonym(plan)
    if plan.kind == PlanKind.QUALITY:
        _create_visits(plan, result, people, now)
    else:
        _create_inspections(plan, result, people, now)
    signals.plan_drawn.send(sender=SpotCheckPlan, plan=plan)
    _audit_plan(
        official,
        "supervision.plan.draw",
        plan,
        {
            "state": [PlanState.SEALED, PlanState.DRAWN],
            "public_numbers": [None, normal],
            "seed": [None, seed],
            "drawn": [None, [obj["id"] for obj in result["objects"]]],
        },
    )
    return plan


def _object_of(object_id: str) -> tuple[int, int | None]:
    """(agency id, session id or None) of a snapshot object id."""
    kind, _sep, pk = object_id.partition(":")
    if kind == "agency":
        return int(pk), None
    from assessments.models import AssessmentSession

    session = AssessmentSession.objects.only("agency_id").get(pk=int(pk))
    return session.agency_id, session.pk


def _create_inspections(plan, result, people, now) -> None:
    for position, obj in enumerate(result["objects"], start=1):
        agency_id, session_id = _object_of(obj["id"])
        inspection = Inspection.objects.create(
            plan=plan,
            position=position,
            tier=int(obj["tier"]),
            agency_id=agency_id,
            session_id=session_id,
            state=InspectionState.ASSIGNED,
            review_until=plan.period_end,
            created_at=now,
        )
        for rank, pseudonym in enumerate(obj["people"], start=1):
            entry: Inspector = people[pseudonym]
            InspectionAssignment.objects.create(
                inspection=inspection, inspector=entry, position=rank, assigned_at=now
            )
            access.grant(entry.user, "inspect_inspection", inspection)


def _create_visits(plan, result, people, now) -> None:
    for position, obj in enumerate(result["objects"], start=1):
        agency_id, session_id = _object_of(obj["id"])
        visit = QualityVisit.objects.create(
            plan=plan,
            position=position,
            session_id=session_id,
            agency_id=agency_id,
            state=VisitState.ASSIGNED,
            review_until=plan.period_end,
            created_at=now,
        )
        for rank, pseudonym in enumerate(obj["people"], start=1):
            entry: ExternalSupervisor = people[pseudonym]
            QualityVisitAssignment.objects.create(
                visit=visit, supervisor=entry, position=rank, assigned_at=now
            )
            access.grant(entry.user, "supervise_qualityvisit", visit)


# --- Closing ----------------------------------------------------------------------------------


def all_done(plan: SpotCheckPlan) -> bool:
    """Every inspection of the plan has its result published (every visit reported)."""
    if plan.kind == PlanKind.QUALITY:
        return not plan.visits.filter(state=VisitState.ASSIGNED).exists()
    return not plan.inspections.exclude(state=InspectionState.PUBLISHED).exists()


@transaction.atomic
def close_plan(official, plan: SpotCheckPlan, *, reason: str = "") -> SpotCheckPlan:
    """Close a drawn plan once all its inspections are published (all visits reported), or
    by hand with a reason (Art 25)."""
    plan = SpotCheckPlan.objects.select_for_update().get(pk=plan.pk)
    access.require(official, MANAGE, plan)
    refuse(close_refusal(plan))
    reason = (reason or "").strip()
    done = all_done(plan)
    if not done and not reason:
        raise ValidationError(
            {"reason": _("Some inspections are not published yet: say why the plan is closed now.")}
        )
    plan.state = PlanState.CLOSED
    plan.closed_at = clock.now()
    plan.save(update_fields=["state", "closed_at"])
    _audit_plan(
        official,
        "supervision.plan.close",
        plan,
        {"state": [PlanState.DRAWN, PlanState.CLOSED], "reason": [None, reason or None]},
    )
    return plan
