"""Scoped reads of external quality supervision (Art 26): the supervisor's visits, a visit's
page, the agency's reports and the authority's reports, and the dashboards' queues."""

from __future__ import annotations

from django.db.models import QuerySet

from portal import access, clock
from portal.roles import OFFICIAL_ROLES
from supervision.models import Finding, QualityVisit, VisitState

GRANT = "supervise_qualityvisit"
#: The session's read-only pages a reviewer may open (assessments' URL names, label keys).
SESSION_PAGES = ("assessments:scores", "assessments:score_results", "assessments:supervisor_report")


def _base() -> QuerySet:
    return QualityVisit.objects.select_related(
        "plan",
        "agency",
        "session__site__province",
        "session__occupation",
        "session__level",
        "reported_by",
    ).prefetch_related("assignments__supervisor__user")


def visits_for_reader(user) -> QuerySet:
    """The visits ``user`` may open at ``/workspace/supervision/quality/<pk>/``: the supervisor
    sent to them (the assignment grant), officials and the testing centre of the
    jurisdiction (the plan's or the session's province; national: all)."""
    found = access.visible(user, _base(), assigned_perm=GRANT)
    if user.is_authenticated and user.authority_roles() & OFFICIAL_ROLES:
        return found
    return found.filter(assignments__supervisor__user=user).distinct()


def visits_of_supervisor(user) -> QuerySet:
    """The supervisor's own visits (assigned to them), newest plan first."""
    found = access.visible(user, _base(), assigned_perm=GRANT)
    return (
        found.filter(assignments__supervisor__user=user)
        .distinct()
        .order_by("state", "review_until", "pk")
    )


def waiting_for_report(user) -> QuerySet:
    return visits_of_supervisor(user).filter(state=VisitState.ASSIGNED)


def reports_for_authority(user) -> QuerySet:
    """Every visit of the official's jurisdiction, reported or not (reports first by date)."""
    if not (user.is_authenticated and user.authority_roles() & OFFICIAL_ROLES):
        return QualityVisit.objects.none()
    return access.visible(user, _base()).order_by("-reported_at", "review_until", "pk")


def overdue_visits(user) -> QuerySet:
    """The testing centre's queue: visits without a report after the session's last sitting."""
    return reports_for_authority(user).filter(
        state=VisitState.ASSIGNED, session__last_sitting_on__lt=clock.today()
    )


def reports_of_agency(agency) -> QuerySet:
    """The reports filed on the agency's sessions (the visits without a report are not shown)."""
    return _base().filter(agency=agency, state=VisitState.REPORTED).order_by("-reported_at")


def findings_of(visit: QualityVisit) -> list[Finding]:
    return list(visit.findings.select_related("check_item").order_by("pk"))


def orders_of(visit: QualityVisit) -> list:
    return list(visit.orders.order_by("pk"))


def supervisors_of(visit: QualityVisit) -> list:
    return [a.supervisor for a in visit.assignments.all()]


def session_links(user, visit: QualityVisit) -> list[tuple[str, str]]:
    """The session's read-only pages ``user`` may open (opened for review on the draw)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if not access.can(user, "assessments.session.read", visit.session):
        return []
    labels = {
        "assessments:scores": _("Scores of the session"),
        "assessments:score_results": _("Results of the session"),
        "assessments:supervisor_report": _("The internal quality supervisor's report"),
    }
    return [(labels[name], reverse(name, args=[visit.session_id])) for name in SESSION_PAGES]
