"""Registrations of the quality stage of supervision (Art 26): access rules of
``supervision.quality.*``, audit sentences and links, the receiver of ``plan_drawn`` that opens
the drawn sessions to their supervisors, menu entries and the dashboard panels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import access, audit
from portal.access import agency_role, any_of, assigned, authority_role, in_jurisdiction
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)
GRANT = "supervise_qualityvisit"


def register() -> None:
    from portal.ui import navigation
    from portal.ui.dashboards import register_panel
    from supervision.services import quality as services
    from supervision.signals import plan_drawn

    access.register_action(
        "supervision.quality.visits",
        authority_role(R.EXPERT),
        "List one's own external quality supervision visits (Art 26)",
    )
    access.register_action(
        "supervision.quality.read",
        any_of(assigned(GRANT), in_jurisdiction(*OFFICIALS)),
        "Read a quality supervision visit: the supervisors sent to it, officials and the "
        "testing centre of the jurisdiction (Art 26)",
    )
    access.register_action(
        "supervision.quality.report",
        assigned(GRANT),
        "File the report of a quality supervision visit one was sent to (Art 26)",
    )
    access.register_action(
        "supervision.quality.reports",
        in_jurisdiction(*OFFICIALS),
        "Read the external supervision reports of the jurisdiction (Art 26)",
    )
    access.register_action(
        "supervision.quality.agency_reports",
        agency_role(A.ADMIN, A.STAFF),
        "Read the external supervision reports on the agency's sessions (Art 26)",
    )
    audit.register_label(
        "supervision.quality.report",
        _("filed an external quality supervision report"),
        summary=("rating", "findings"),
    )
    audit.display.register_change_labels({"findings": _("findings")})
    audit.register_object_url("supervision.qualityvisit", _visit_url)
    plan_drawn.connect(services.on_plan_drawn, dispatch_uid="supervision.quality.plan_drawn")
    navigation.register(
        "supervision_quality_visits",
        _("External quality supervision"),
        "supervision:quality_visits",
        area=navigation.WORKSPACE,
        order=352,
        visible_if=_is_supervisor,
    )
    navigation.register(
        "supervision_quality_reports",
        _("External supervision reports"),
        "supervision:quality_reports",
        area=navigation.WORKSPACE,
        order=353,
        roles=set(OFFICIALS),
    )
    navigation.register(
        "supervision_agency_quality",
        _("External supervision reports"),
        "supervision:agency_quality_reports",
        area=navigation.AGENCY,
        order=88,
        roles={"agency:admin", "agency:staff"},
    )
    register_panel("supervision.quality.supervisor", {R.EXPERT}, _supervisor_panel)
    register_panel("supervision.quality.overdue", {R.OSTA_STAFF}, _overdue_panel)


def _is_supervisor(request) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and R.EXPERT in user.authority_roles()
        and hasattr(user, "external_supervisor_entry")
    )


def _visit_url(user, object_id: str) -> str | None:
    from supervision.models import QualityVisit

    visit = QualityVisit.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    if visit is None or not access.can(user, "supervision.quality.read", visit):
        return None
    return reverse("supervision:quality_visit", args=[visit.pk])


def _supervisor_panel(request):
    """To-do: the visits this external supervisor was sent to that wait for their report."""
    from portal.ui.dashboards import Todo, todo_panel
    from supervision.queries import quality as queries

    if not hasattr(request.user, "external_supervisor_entry"):
        return None
    waiting = list(
        queries.waiting_for_report(request.user).values_list("created_at", "review_until")
    )
    return todo_panel(
        _("External quality supervision"),
        todos=[
            Todo(
                len(waiting),
                ngettext(
                    "%(n)d supervision visit waits for your report",
                    "%(n)d supervision visits wait for your report",
                    len(waiting),
                )
                % {"n": len(waiting)},
                url=reverse("supervision:quality_visits"),
                oldest=min((w[0] for w in waiting), default=None),
                due_on=min((w[1] for w in waiting), default=None),
                working_days=False,
            )
        ],
        order=52,
    )


def _overdue_panel(request):
    """To-do of the testing centre: visits still without a report after the session's last
    sitting."""
    from portal.ui.dashboards import Todo, todo_panel
    from supervision.queries import quality as queries

    late = list(
        queries.overdue_visits(request.user).values_list("session__last_sitting_on", flat=True)
    )
    return todo_panel(
        _("External quality supervision"),
        todos=[
            Todo(
                len(late),
                ngettext(
                    "%(n)d supervision visit has no report after the session's last sitting",
                    "%(n)d supervision visits have no report after the session's last sitting",
                    len(late),
                )
                % {"n": len(late)},
                url=reverse("supervision:quality_reports") + "?state=assigned",
                oldest=min(late, default=None),
                working_days=False,
            )
        ],
        order=52,
    )
