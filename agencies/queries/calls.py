"""Reads of the calls for agencies (Art 11): the public list, the officials' own calls."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from agencies.models import AgencyApplication, AgencyCall, ApplicationStatus, CallStatus
from portal import access, clock
from portal.models import AgencyMembership
from portal.roles import AgencyRole


def open_calls() -> QuerySet[AgencyCall]:
    today = clock.today()
    return AgencyCall.objects.filter(
        status=CallStatus.PUBLISHED, opens_on__lte=today, deadline__gte=today
    )


def published_calls() -> QuerySet[AgencyCall]:
    return AgencyCall.objects.exclude(status=CallStatus.DRAFT).order_by("-published_at")


def calls_for_official(user) -> QuerySet[AgencyCall]:
    return access.visible(user, AgencyCall.objects.all())


def calls_kept_by(user) -> QuerySet[AgencyCall]:
    """The calls the official keeps (Art 11): the ministry's officials the national calls, a
    province's officials their province's; nobody else keeps any (their pages answer 404)."""
    if not access.can(user, "agencies.call.manage"):
        return AgencyCall.objects.none()
    return calls_for_official(user).filter(jurisdiction=user.jurisdiction)


def managed_calls(user) -> QuerySet[AgencyCall]:
    """The calls the official keeps, with the number of submitted applications."""
    return (
        calls_kept_by(user)
        .annotate(
            submitted=Count(
                "applications",
                distinct=True,
                filter=~Q(applications__status=ApplicationStatus.DRAFT),
            ),
        )
        .order_by("-opens_on", "-pk")
    )


def applicant_agencies(user, call: AgencyCall) -> list[dict]:
    """The agencies the user administers, with their application to ``call`` if any, so the
    call's page offers each of them to apply (or to open its application)."""
    if not user.is_authenticated:
        return []
    rows = []
    for m in AgencyMembership.objects.filter(user=user, role=AgencyRole.ADMIN).select_related(
        "agency"
    ):
        applied = AgencyApplication.objects.filter(agency=m.agency, call=call).first()
        rows.append(
            {"agency": m.agency, "application": applied, "accepted": call.accepts(m.agency.kind)}
        )
    return rows
