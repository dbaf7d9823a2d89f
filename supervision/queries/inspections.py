"""What the inspections stage reads, scoped through ``portal.access`` (Art 25): inspectors
their assigned inspections (the object grant), officials (ministry, provincial) those of their
jurisdiction, the agency its own inspections' findings and orders."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal import access, clock
from portal.roles import AuthorityRole as R
from supervision.models import (
    Finding,
    Inspection,
    InspectionState,
    OrderState,
    PlanKind,
    QualityVisit,
    RectificationOrder,
)

PERM = "supervision.inspect_inspection"
VISIT_PERM = "supervision.supervise_qualityvisit"
READERS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.INSPECTOR}


def _inspections() -> QuerySet[Inspection]:
    return Inspection.objects.filter(plan__kind=PlanKind.SPOT_CHECK).select_related(
        "plan", "agency", "session"
    )


def inspections_for(user) -> QuerySet[Inspection]:
    """The inspections ``user`` reads in the workspace: an inspector's assigned ones, an
    official's of the jurisdiction (national: all). Others: none."""
    if not user.is_authenticated or not (user.authority_roles() & READERS):
        return Inspection.objects.none()
    return access.visible(user, _inspections(), assigned_perm=PERM)


def inspections_for_request(request) -> QuerySet[Inspection]:
    return inspections_for(request.user)


def orders_for(user) -> QuerySet[RectificationOrder]:
    """The orders of the inspections (and visits) ``user`` reads in the workspace."""
    rows = RectificationOrder.objects.select_related("agency", "inspection__plan", "visit__plan")
    if not user.is_authenticated or not user.authority_roles():
        return rows.none()
    q = Q(inspection__in=inspections_for(user).values("pk"))
    if user.authority_roles() & {R.EXPERT, R.INSPECTOR}:
        visits = access.visible(user, QualityVisit.objects.all(), assigned_perm=VISIT_PERM)
        q |= Q(visit__in=visits.values("pk"))
    return rows.filter(q)


def orders_for_request(request) -> QuerySet[RectificationOrder]:
    return orders_for(request.user)


def overdue_orders_for(user) -> QuerySet[RectificationOrder]:
    """Orders past their deadline and not accepted, of the official's jurisdiction."""
    return orders_for(user).exclude(state=OrderState.ACCEPTED).filter(deadline__lt=clock.today())


def waiting_for_inspector(user) -> dict:
    """An inspector's to-dos: assigned inspections not concluded, answers to review."""
    mine = access.visible(user, _inspections(), assigned_perm=PERM)
    return {
        "inspections": mine.filter(state=InspectionState.ASSIGNED),
        "answers": RectificationOrder.objects.filter(
            inspection__in=mine.values("pk"), state=OrderState.ANSWERED
        ),
    }


# --- The agency ---------------------------------------------------------------------------------


def orders_of_agency(agency) -> QuerySet[RectificationOrder]:
    return (
        RectificationOrder.objects.filter(agency=agency)
        .select_related("inspection__plan", "visit__plan", "issued_by")
        .prefetch_related("findings__check_item", "answer_documents")
    )


def order_of_agency(request) -> QuerySet[RectificationOrder]:
    return orders_of_agency(request.agency)


def inspections_of_agency(agency) -> QuerySet[Inspection]:
    """The agency's own inspections with their findings (Art 25)."""
    return (
        _inspections()
        .filter(agency=agency)
        .prefetch_related("findings__check_item")
        .order_by("-plan__period_start", "position")
    )


def findings_of(inspection: Inspection) -> QuerySet[Finding]:
    return inspection.findings.select_related("check_item", "recorded_by").prefetch_related(
        "orders"
    )


def waiting_for_agency(agency) -> QuerySet[RectificationOrder]:
    return RectificationOrder.objects.filter(agency=agency, state=OrderState.OPEN)
