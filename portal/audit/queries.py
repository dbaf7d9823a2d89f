"""Read paths of the audit trail, scoped to what the user may see (Art 24)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from portal import access
from portal.models import Agency, Audience, AuditEntry, PeriodicRun

# The periodic job that recomputes every chain (registered in PortalConfig.ready()).
VERIFY_JOB = "portal.verify_audit"


def audit_entries_for_official(user) -> QuerySet[AuditEntry]:
    """Entries of the official's jurisdiction (all for national users), Art 24."""
    if not access.can(user, "portal.audit.view"):
        return AuditEntry.objects.none()
    return access.visible(user, AuditEntry.objects.all()).select_related("actor", "agency")


def audit_entries_for_agency(user, agency: Agency) -> QuerySet[AuditEntry]:
    """Entries addressed to the agency (audience ``agency``), for its administrators."""
    if not access.can(user, "portal.audit.view_agency", agency):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(agency=agency, audience=Audience.AGENCY).select_related(
        "actor", "agency"
    )


def filter_audit(
    entries: QuerySet[AuditEntry],
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    agency_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if agency_id:
        entries = entries.filter(agency_id=agency_id)
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(
            created_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
        )
    if date_to:
        entries = entries.filter(
            created_at__lt=dt.datetime.combine(
                date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz
            )
        )
    return entries


def visible_agencies(user) -> QuerySet[Agency]:
    return access.visible(user, Agency.objects.all())


def _distinct(entries: QuerySet[AuditEntry], name: str) -> list[str]:
    return sorted(v for v in entries.order_by().values_list(name, flat=True).distinct() if v)


def object_types(entries: QuerySet[AuditEntry]) -> list[str]:
    """The object types among the entries the user may read (choices of the type filter)."""
    return _distinct(entries, "object_type")


def actions(entries: QuerySet[AuditEntry]) -> list[str]:
    """The actions among the entries the user may read (choices of the action filter)."""
    return _distinct(entries, "action")


def last_verification() -> PeriodicRun | None:
    """The last finished run of the nightly chain verification, whether it passed or not."""
    return (
        PeriodicRun.objects.filter(job=VERIFY_JOB, finished_at__isnull=False)
        .order_by("-started_at")
        .first()
    )
