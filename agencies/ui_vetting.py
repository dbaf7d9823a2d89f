"""Menu entries and dashboard panels of the officials' and experts' vetting pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.dashboards import Panel, PanelLink, register_panel
from portal.roles import AuthorityRole as R

CALL_KEEPERS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL}
QUEUE_READERS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF}


def register() -> None:
    navigation.register(
        "agencies_calls",
        _("Calls for agencies"),
        "agencies:manage_calls",
        area=navigation.WORKSPACE,
        order=300,
        roles=CALL_KEEPERS,
    )
    navigation.register(
        "agencies_vetting",
        _("Agency vetting"),
        "agencies:vetting",
        area=navigation.WORKSPACE,
        order=310,
        roles=QUEUE_READERS,
    )
    navigation.register(
        "agencies_site_serials",
        _("Site serials"),
        "agencies:site_serials",
        area=navigation.WORKSPACE,
        order=320,
        roles={R.PROVINCIAL_OFFICIAL},
    )
    navigation.register(
        "agencies_expert_reviews",
        _("My reviews"),
        "agencies:expert_assignments",
        area=navigation.WORKSPACE,
        order=330,
        roles={R.EXPERT},
    )
    register_panel("agencies.vetting_queue", QUEUE_READERS, _vetting_panel)
    register_panel("agencies.expert_reviews", {R.EXPERT}, _expert_panel)


def _vetting_panel(request) -> Panel | None:
    from agencies import queries
    from agencies.models import ApplicationStatus

    user = request.user
    if not user.jurisdiction:
        return None
    mine = queries.applications_for_official(user).filter(call__jurisdiction=user.jurisdiction)
    waiting = mine.filter(status=ApplicationStatus.SUBMITTED).count()
    reviewing = mine.filter(status=ApplicationStatus.UNDER_REVIEW).count()
    url = reverse("agencies:vetting")
    return Panel(
        title=_("Applications awaiting the material check"),
        text=_(
            "Applications to the calls of your jurisdiction (Art 14); %(n)d more are in "
            "technical evaluation."
        )
        % {"n": reviewing},
        links=[PanelLink(_("Open the vetting queue"), f"{url}?status=submitted")],
        count=waiting,
        order=20,
    )


def _expert_panel(request) -> Panel | None:
    from agencies import queries
    from agencies.models import ApplicationStatus, ExpertAssignment

    pending = (
        queries.assignments_for_expert(request.user)
        .filter(
            application__status=ApplicationStatus.UNDER_REVIEW,
            submitted_at__isnull=True,
        )
        .exclude(conflict=ExpertAssignment.Conflict.WITHDRAWN)
        .count()
    )
    return Panel(
        title=_("Reviews to do"),
        text=_(
            "Applications assigned to you for expert review: declare conflicts of interest, "
            "then score the five conditions."
        ),
        links=[PanelLink(_("Open my reviews"), reverse("agencies:expert_assignments"))],
        count=pending,
        order=20,
    )
