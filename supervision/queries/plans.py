"""Read paths of spot-check plans and their draw (Art 25, 26; decision 0055): the officials'
plans of their jurisdiction, the public plans (sealed and later; a draft is never public) and
the re-run of a published draw."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from portal import access, clock
from supervision import draw, risk, snapshot, verification
from supervision.models import (
    Inspection,
    PlanKind,
    PlanState,
    QualityVisit,
    RiskTier,
    SpotCheckPlan,
)


def plans_for(user) -> QuerySet:
    """The plans of the user's jurisdiction (national: all), newest first."""
    return access.visible(user, SpotCheckPlan.objects.all()).select_related(
        "created_by", "approved_by", "drawn_by"
    )


def public_plans() -> QuerySet:
    """Plans the public sees: approved (sealed) and later, never drafts."""
    return SpotCheckPlan.objects.exclude(state=PlanState.DRAFT).order_by("-approved_at", "-pk")


def public_plan(pk) -> SpotCheckPlan | None:
    try:
        return public_plans().filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def waiting_for_approval(user) -> QuerySet:
    return plans_for(user).filter(state=PlanState.DRAFT)


def waiting_for_draw(user) -> QuerySet:
    return plans_for(user).filter(state=PlanState.SEALED)


# --- The object pool before sealing -------------------------------------------------------------


@dataclass
class PoolRow:
    object_id: str
    agency_id: int
    agency_name: str
    session_id: int | None
    session_label: str
    computed_tier: int
    tier: int
    reason: str = ""
    facts: dict[str, int] = field(default_factory=dict)

    @property
    def adjusted(self) -> bool:
        return self.tier != self.computed_tier

    @property
    def fact_lines(self) -> list[tuple[str, int]]:
        """The agency's risk facts as (label, count), in the registry's words."""
        known = risk.registered_facts()
        return [(known[n].label if n in known else n, c) for n, c in sorted(self.facts.items())]


def pool_preview(plan: SpotCheckPlan) -> list[PoolRow]:
    """The plan's object pool as it stands now, with each agency's computed tier, its facts
    and the plan's adjustments (what sealing would put in the snapshot)."""
    from portal.models import Agency

    rows = snapshot.object_rows(plan)
    agency_ids = sorted({a for _o, a, _s in rows})
    facts = risk.facts_of(agency_ids)
    computed = {pk: int(risk.tier_of(risk.points(f))) for pk, f in facts.items()}
    adjustments = {a.agency_id: a for a in plan.adjustments.all()}
    names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    sessions = {}
    session_ids = [s for _o, _a, s in rows if s]
    if session_ids:
        from assessments.models import AssessmentSession

        sessions = {s.pk: str(s) for s in AssessmentSession.objects.filter(pk__in=session_ids)}
    out = []
    for object_id, agency_id, session_id in sorted(rows, key=lambda r: (names.get(r[1], ""), r[0])):
        adj = adjustments.get(agency_id)
        out.append(
            PoolRow(
                object_id=object_id,
                agency_id=agency_id,
                agency_name=names.get(agency_id, ""),
                session_id=session_id,
                session_label=sessions.get(session_id, "") if session_id else "",
                computed_tier=computed[agency_id],
                tier=int(adj.tier) if adj else computed[agency_id],
                reason=adj.reason if adj else "",
                facts=facts.get(agency_id, {}),
            )
        )
    return out


def tier_sizes(rows) -> dict[str, int]:
    sizes = dict.fromkeys(draw.TIERS, 0)
    for row in rows:
        tier = row.tier if isinstance(row, PoolRow) else row["tier"]
        sizes[str(tier)] += 1
    return sizes


def tier_table(plan: SpotCheckPlan, sizes: dict[str, int]) -> list[dict[str, Any]]:
    """Per tier: its label, pool size, the rule and the quota it gives."""
    quotas = draw.quotas(plan.tier_rules or {}, sizes)
    out = []
    for tier in draw.TIERS:
        rule = (plan.tier_rules or {}).get(tier) or {}
        out.append(
            {
                "tier": int(tier),
                "label": RiskTier(int(tier)).label,
                "size": sizes.get(tier, 0),
                "rule": f"{rule['percent']}%" if "percent" in rule else rule.get("count", ""),
                "quota": quotas[tier],
            }
        )
    return out


# --- The sealed and drawn plan, for everyone ------------------------------------------------------


def sealed_snapshot(plan: SpotCheckPlan) -> dict[str, Any]:
    return json.loads(plan.snapshot) if plan.snapshot else {}


def public_tiers(plan: SpotCheckPlan) -> list[dict[str, Any]]:
    snap = sealed_snapshot(plan)
    sizes = tier_sizes(snap.get("objects", []))
    rows = tier_table(plan, sizes)
    quotas = snap.get("quotas", {})
    for row in rows:  # the sealed quotas are what the draw uses
        row["quota"] = quotas.get(str(row["tier"]), row["quota"])
    return rows


def published_adjustments(plan: SpotCheckPlan) -> list[dict[str, Any]]:
    """The adjustments as sealed in the snapshot, with the agencies' names."""
    from portal.models import Agency

    sealed = sealed_snapshot(plan).get("plan", {}).get("adjustments")
    if sealed is None:
        rows = [
            {
                "object": f"agency:{a.agency_id}",
                "from": a.computed_tier,
                "to": a.tier,
                "reason": a.reason,
            }
            for a in plan.adjustments.all()
        ]
    else:
        rows = sealed
    ids = [int(r["object"].split(":")[1]) for r in rows]
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [{**r, "agency": names.get(int(r["object"].split(":")[1]), r["object"])} for r in rows]


def check_items_of(plan: SpotCheckPlan):
    return plan.check_items.order_by("code")


@dataclass
class DrawnRow:
    position: int
    object_id: str
    tier: int
    agency_name: str
    session_label: str
    people: list[str]
    names: list[str]
    stood_aside: list[str]
    task: Any = None


def drawn_rows(plan: SpotCheckPlan, *, with_names: bool = False) -> list[DrawnRow]:
    """The drawn list with the agencies' names from the directory; ``with_names`` (officials
    only) adds the people's names and the inspection (or visit) rows."""
    from portal.models import Agency

    if not plan.result:
        return []
    objects = plan.result["objects"]
    agency_of: dict[str, int] = {}
    session_ids = [int(o["id"].split(":")[1]) for o in objects if o["id"].startswith("session:")]
    sessions = {}
    if session_ids:
        from assessments.models import AssessmentSession

        for s in AssessmentSession.objects.filter(pk__in=session_ids):
            sessions[s.pk] = s
    for o in objects:
        kind, _sep, pk = o["id"].partition(":")
        agency_of[o["id"]] = int(pk) if kind == "agency" else sessions[int(pk)].agency_id
    names = dict(Agency.objects.filter(pk__in=set(agency_of.values())).values_list("pk", "name"))
    people = snapshot.people_by_pseudonym(plan) if with_names else {}
    tasks = {}
    if with_names:
        model = QualityVisit if plan.kind == PlanKind.QUALITY else Inspection
        tasks = {t.position: t for t in model.objects.filter(plan=plan)}
    out = []
    for position, o in enumerate(objects, start=1):
        session = (
            sessions.get(int(o["id"].split(":")[1])) if o["id"].startswith("session:") else None
        )
        out.append(
            DrawnRow(
                position=position,
                object_id=o["id"],
                tier=int(o["tier"]),
                agency_name=names.get(agency_of[o["id"]], ""),
                session_label=str(session) if session else "",
                people=list(o["people"]),
                names=[str(people[p]) if p in people else p for p in o["people"]],
                stood_aside=list(o.get("stood_aside", [])),
                task=tasks.get(position),
            )
        )
    return out


# --- Verification ------------------------------------------------------------------------


@dataclass
class Check:
    key: str
    ok: bool
    expected: str
    got: str


def verify_plan(plan: SpotCheckPlan, numbers: str | None = None) -> list[Check]:
    """The checks of ``supervision.verification.verify_plan`` (the same as ``manage.py
    verify_draw``'s) as rows of the public page: what is published beside what was computed."""
    found = verification.verify_plan(plan, numbers)
    rerun = ", ".join(draw.object_ids(found.result)) if found.result else ""
    return [
        Check("digest", found.digest_ok, plan.sealed_digest, found.digest),
        Check("secret", found.secret_ok, plan.secret_digest, draw.secret_digest_of(plan.secret)),
        Check("seed", found.seed_ok, plan.seed, found.seed),
        Check(
            "list", found.list_ok, ", ".join(draw.object_ids(plan.result or {"objects": []})), rerun
        ),
    ]


def draw_is_due(plan: SpotCheckPlan) -> bool:
    return plan.state == PlanState.SEALED and plan.randomness_date <= clock.today()
