"""Reads of the publication stage (一公开, Art 25; decision 0056): the officials' deadline
tracker and the public results page of a drawn plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from portal import clock
from portal.roles import NATIONAL
from supervision.models import (
    Finding,
    Inspection,
    InspectionState,
    PlanKind,
    PlanState,
    RectificationOrder,
    RiskTier,
    SpotCheckPlan,
)
from supervision.services import publication


def _of_jurisdiction(user, queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """The inspections of the plans the user is an official of (decision 0056): every plan
    for national ministry officials, the province's plans for its provincial officials."""
    if not publication.plan_official(user, None):
        return queryset.none()
    if user.jurisdiction == NATIONAL:
        return queryset
    return queryset.filter(plan__jurisdiction=user.jurisdiction)


def inspections_for(request) -> QuerySet[Inspection]:
    """The spot-check inspections of the official's plans (the source of the publish page)."""
    return _of_jurisdiction(
        request.user,
        Inspection.objects.filter(plan__kind=PlanKind.SPOT_CHECK).select_related("plan", "agency"),
    )


def waiting_for(user) -> QuerySet[Inspection]:
    """Concluded results of the official's plans not published yet."""
    return _of_jurisdiction(user, publication.waiting())


def overdue_count(queryset: QuerySet[Inspection]) -> int:
    return queryset.filter(publish_due__lt=clock.today()).count()


@dataclass
class TrackerRow:
    inspection: Inspection
    days_left: int | None  # working days after today up to the due day (0: due today)
    days_late: int | None  # working days past the due day
    refusal: str | None

    @property
    def overdue(self) -> bool:
        return bool(self.days_late)


def tracker(user) -> dict:
    """The tracker: results waiting (due day first) and the latest published ones."""
    waiting = list(waiting_for(user).select_related("plan", "agency").order_by("publish_due", "pk"))
    today = clock.today()
    dates = [i.publish_due for i in waiting if i.publish_due]
    start, end = min([today, *dates]), max([today, *dates])
    counter = clock.working_days_counter(start, end)
    rows = []
    for inspection in waiting:
        due = inspection.publish_due
        left = late = None
        if due is not None and due >= today:
            left = counter(today, due)
        elif due is not None:
            late = counter(due, today)
        rows.append(
            TrackerRow(inspection, left, late, publication.publish_refusal(inspection, user))
        )
    published = list(
        _of_jurisdiction(
            user,
            Inspection.objects.filter(
                plan__kind=PlanKind.SPOT_CHECK, state=InspectionState.PUBLISHED
            ),
        )
        .select_related("plan", "agency", "notice")
        .order_by("-published_at", "-pk")[:20]
    )
    return {"rows": rows, "published": published, "today": today}


# --- The public results page -----------------------------------------------------------------


def public_plan(pk: int) -> SpotCheckPlan | None:
    """A drawn (or closed) spot-check plan; None otherwise (404)."""
    return (
        SpotCheckPlan.objects.filter(
            pk=pk, kind=PlanKind.SPOT_CHECK, state__in=[PlanState.DRAWN, PlanState.CLOSED]
        )
        .only(
            "pk",
            "title",
            "jurisdiction",
            "state",
            "sealed_digest",
            "seed",
            "public_numbers",
            "randomness_source",
            "randomness_date",
            "drawn_at",
            "period_start",
            "period_end",
            "kind",
        )  # fmt: skip
        .first()
    )


def plan_page_url(plan: SpotCheckPlan) -> str:
    """The plan's public page (the plans stage's), or "" where it is not built."""
    try:
        return reverse("supervision:public_plan", args=[plan.pk])
    except NoReverseMatch:
        return ""


@dataclass
class ResultRow:
    position: int
    tier: str
    agency_name: str
    agency_uscc: str
    published: bool
    conclusion: str = ""
    concluded_on: dt.date | None = None
    published_on: dt.date | None = None
    findings: list = field(default_factory=list)
    serious: int = 0
    minor: int = 0
    deadlines: list = field(default_factory=list)
    notice_id: int | None = None


def results_page(plan: SpotCheckPlan) -> dict:
    """Every drawn object with its published result (or «检查中»), the drawn list's figures
    per tier; three queries whatever the number of objects."""
    inspections = list(
        Inspection.objects.filter(plan=plan)
        .select_related("agency", "notice")
        .only(
            "pk",
            "position",
            "tier",
            "state",
            "conclusion",
            "concluded_at",
            "published_at",
            "notice_id",
            "notice__published_on",
            "agency__name",
            "agency__uscc",
        )  # fmt: skip
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("check_item").only(
                    "pk", "inspection_id", "severity", "check_item__code", "check_item__title"
                ),
            ),
            Prefetch(
                "orders",
                queryset=RectificationOrder.objects.only("pk", "inspection_id", "deadline"),
            ),
        )
        .order_by("position")
    )
    rows = []
    for i in inspections:
        row = ResultRow(
            position=i.position,
            tier=RiskTier(i.tier).label,
            agency_name=i.agency.name,
            agency_uscc=i.agency.uscc,
            published=i.state == InspectionState.PUBLISHED and i.notice_id is not None,
        )
        if row.published:
            row.conclusion = i.get_conclusion_display()
            row.concluded_on = timezone.localdate(i.concluded_at) if i.concluded_at else None
            row.published_on = i.notice.published_on
            row.findings = publication.summarise(i.findings.all())
            row.serious = sum(f.serious for f in row.findings)
            row.minor = sum(f.minor for f in row.findings)
            row.deadlines = sorted({o.deadline for o in i.orders.all()})
            row.notice_id = i.notice_id
        rows.append(row)
    tiers = (
        Inspection.objects.filter(plan=plan).values("tier").annotate(n=Count("pk")).order_by("tier")
    )
    from portal.authorities import authority_for

    return {
        "authority": authority_for(plan.jurisdiction).name,
        "rows": rows,
        "tiers": [(RiskTier(t["tier"]).label, t["n"]) for t in tiers],
        "drawn": len(rows),
        "published_count": sum(r.published for r in rows),
    }
