"""Read paths of the agencies app, scoped to what each user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from agencies.models import (
    AgencyApplication,
    AgencyCall,
    ApplicationStatus,
    CallStatus,
    DirectoryEntry,
    ExpertAssignment,
)
from portal import access, clock
from portal.models import AgencySite, AgencyStatus

# Suspended and lapsed agencies stay in the directory, marked; removed ones leave it.
DIRECTORY_STATUSES = (AgencyStatus.LISTED, AgencyStatus.SUSPENDED, AgencyStatus.LAPSED)


def open_calls() -> QuerySet[AgencyCall]:
    today = clock.today()
    return AgencyCall.objects.filter(
        status=CallStatus.PUBLISHED, opens_on__lte=today, deadline__gte=today
    )


def published_calls() -> QuerySet[AgencyCall]:
    return AgencyCall.objects.exclude(status=CallStatus.DRAFT).order_by("-published_at")


def calls_for_official(user) -> QuerySet[AgencyCall]:
    return access.visible(user, AgencyCall.objects.all())


def applications_for_official(user) -> QuerySet[AgencyApplication]:
    """Applications to calls of the official's jurisdiction (drafts are the applicant's own)."""
    if not access.can(user, "agencies.application.queue"):
        return AgencyApplication.objects.none()
    return access.visible(
        user, AgencyApplication.objects.exclude(status=ApplicationStatus.DRAFT)
    ).select_related("call", "agency")


def applications_for_agency(agency) -> QuerySet[AgencyApplication]:
    return AgencyApplication.objects.filter(agency=agency).select_related("call")


def assignments_for_expert(user) -> QuerySet[ExpertAssignment]:
    return (
        ExpertAssignment.objects.filter(expert=user)
        .select_related("application", "application__call")
        .order_by("-assigned_at")
    )


def directory(
    *, q: str = "", province: str = "", kind: str = "", occupation: str = "", level: str = ""
) -> QuerySet[DirectoryEntry]:
    """The public directory (Art 15, 22): listed agencies, and suspended or lapsed ones marked."""
    entries = DirectoryEntry.objects.filter(agency__status__in=DIRECTORY_STATUSES).select_related(
        "agency"
    )
    if q:
        entries = entries.filter(agency__name__contains=q.strip()[:40])
    if province:
        entries = entries.filter(
            Q(filing_jurisdiction=province) | Q(agency__sites__province=province)
        )
    if kind in ("Y", "S"):
        entries = entries.filter(agency__kind=kind)
    if occupation:
        entries = entries.filter(
            Q(scope__occupation__code__startswith=occupation)
            | Q(scope__occupation__name__contains=occupation)
        )
    if level:
        entries = entries.filter(scope__levels=level)
    return entries.distinct().order_by("agency__name")


def sites_awaiting_serial(user) -> QuerySet[AgencySite]:
    """Sites in the official's province whose agency is listed and that have no serial yet."""
    if not user.jurisdiction or user.jurisdiction == "000000":
        return AgencySite.objects.none()
    return AgencySite.objects.filter(
        province_id=user.jurisdiction, site_serial="", agency__status=AgencyStatus.LISTED
    ).select_related("agency")
