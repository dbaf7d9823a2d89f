"""Reads of affiliated employers (Art 16): the agency's own declarations and the filing
authority's queue, scoped by ``portal.access`` (an official sees those of agencies filed in
their jurisdiction, national users all)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from agencies.models import AffiliatedEmployer, AffiliateStatus
from portal import access
from portal.ui import queues


def own_affiliates(agency) -> QuerySet[AffiliatedEmployer]:
    return AffiliatedEmployer.objects.filter(agency=agency).select_related("decided_by")


def affiliates_for_official(user) -> QuerySet[AffiliatedEmployer]:
    return access.visible(user, AffiliatedEmployer.objects.all()).select_related(
        "agency", "declared_by", "decided_by"
    )


def affiliate_queue(
    user, *, status: str = AffiliateStatus.PENDING, q: str = "", sort: str = ""
) -> dict:
    """The official's declarations: by default those waiting, longest waiting first; "all"
    lists every one, waiting first; searched by agency or employer name or code."""
    rows = affiliates_for_official(user)
    pending = rows.filter(status=AffiliateStatus.PENDING).count()
    if status and status != "all":
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(
            Q(agency__name__icontains=q)
            | Q(name__icontains=q)
            | Q(uscc__icontains=q.upper())
            | Q(agency__uscc__icontains=q.upper())
        )
    rows = rows.annotate(
        waiting=Case(
            When(status=AffiliateStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    order = {
        queues.RECENT: ["-declared_at", "-pk"],
        queues.NAME: ["agency__name", "name", "pk"],
    }.get(sort, ["waiting", "declared_at", "pk"])
    return {"affiliates": rows.order_by(*order), "pending": pending}


def pending_for_decider(user) -> QuerySet[AffiliatedEmployer]:
    """Declarations this official decides: of agencies filed with their own authority."""
    return access.visible(
        user,
        AffiliatedEmployer.objects.filter(
            status=AffiliateStatus.PENDING, agency__filing_jurisdiction=user.jurisdiction
        ),
    )
