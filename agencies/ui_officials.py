"""Menu entries and the dashboard panel of the officials' supervision of listed agencies."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import navigation
from portal.dashboards import Panel, PanelLink, register_panel
from portal.roles import AuthorityRole as R

SUPERVISORS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL}


def register() -> None:
    navigation.register(
        "agencies_listed",
        _("Listed agencies"),
        "agencies:listed_agencies",
        area=navigation.WORKSPACE,
        order=340,
        roles=SUPERVISORS,
    )
    navigation.register(
        "agencies_changes",
        _("Change requests"),
        "agencies:change_requests",
        area=navigation.WORKSPACE,
        order=350,
        roles=SUPERVISORS,
    )
    register_panel("agencies.change_requests", SUPERVISORS, _changes_panel)


def _changes_panel(request) -> Panel | None:
    from agencies.models import ChangeRequest, ChangeStatus
    from portal import access

    user = request.user
    if not user.jurisdiction or not access.can(user, "agencies.change.queue"):
        return None
    # The requests this official decides: those of agencies filed with their authority.
    pending = (
        access.visible(user, ChangeRequest.objects.filter(status=ChangeStatus.PENDING))
        .filter(agency__filing_jurisdiction=user.jurisdiction)
        .count()
    )
    url = reverse("agencies:change_requests")
    return Panel(
        title=_("Change requests awaiting your decision"),
        text=_(
            "Listed agencies filed with your authority ask to change their details or scope, "
            "to serve others (Art 16) or to renew their filing term."
        ),
        links=[
            PanelLink(_("Open the change requests"), f"{url}?status=pending"),
            PanelLink(_("Listed agencies"), reverse("agencies:listed_agencies")),
        ],
        count=pending,
        order=25,
    )
