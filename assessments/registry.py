"""What the assessments app registers with portal, once, from ``AssessmentsConfig.ready()``:
access rules of its actions, audit sentences, menu entries, dashboard panels, periodic jobs and
audit-trail links; one function per stage."""

from __future__ import annotations

import datetime as dt

from celery.schedules import crontab
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import access, audit, clock
from portal.access import agency_role, authority_role, in_jurisdiction, register_action
from portal.jobs import periodic
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, register_panel

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)
VENUE_DAYS_TO_VERIFY = 20  # working days; decision 0032


def register() -> None:
    _register_venues()


# --- Venues (Art 12 (3), 19) -------------------------------------------------------------------


def _register_venues() -> None:
    register_action(
        "assessments.venue.manage",
        agency_role(A.ADMIN, A.STAFF),
        "Declare and change the agency's venues and rooms",
    )
    register_action(
        "assessments.venue.view",
        in_jurisdiction(*OFFICIALS),
        "Read the venues of sites in one's jurisdiction",
    )
    register_action(
        "assessments.venue.verify",
        in_jurisdiction(*OFFICIALS),
        "Verify or refuse a venue of a site in one's jurisdiction",
    )
    register_action(
        "assessments.venue.queue", authority_role(*OFFICIALS), "See the venues to verify"
    )
    for action, label in {
        "assessments.venue.create": _("declared a venue"),
        "assessments.venue.change": _("changed a venue"),
        "assessments.venue.verify": _("verified a venue"),
        "assessments.venue.refuse": _("refused a venue"),
        "assessments.venue.lease_ended": _("venue back to verification: lease ended"),
    }.items():
        audit.register_label(action, label)
    audit.register_object_url("assessments.venue", _venue_url)
    navigation.register(
        "agency_venues",
        _("Venues"),
        "assessments:venues",
        area=navigation.AGENCY,
        order=70,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "assessments_venue_queue",
        _("Venues to verify"),
        "assessments:venue_queue",
        area=navigation.WORKSPACE,
        order=400,
        roles=set(OFFICIALS),
    )
    register_panel("assessments.venue_queue", set(OFFICIALS), _venue_queue_panel)
    register_panel("assessments.venues", {"agency:admin", "agency:staff"}, _agency_venues_panel)
    from assessments.services import venues

    periodic.register(
        "assessments.reset_ended_leases",
        venues.reset_ended_leases,
        schedule=crontab(minute=10, hour=0),
        every=dt.timedelta(days=1),
        description="Send verified venues whose lease ended back to verification",
    )


def _venue_queue_panel(request) -> Panel | None:
    if not request.user.jurisdiction:
        return None
    from assessments import queries

    waiting = list(queries.venue_queue(request.user).values_list("waiting_since", flat=True))
    oldest = waiting[0] if waiting else None
    due_on = (
        clock.add_working_days(timezone.localdate(oldest), VENUE_DAYS_TO_VERIFY) if oldest else None
    )
    return Panel(
        title=_("Venues to verify"),
        text=_(
            "Venues of agency sites in your jurisdiction waiting for verification: rooms, "
            "lease and video surveillance (Art 12)."
        ),
        links=[PanelLink(_("Open the venues to verify"), reverse("assessments:venue_queue"))],
        count=len(waiting),
        oldest=oldest,
        due_on=due_on,
        order=30,
    )


def _agency_venues_panel(request) -> Panel | None:
    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    from assessments import queries
    from assessments.models import VenueStatus

    counts = dict.fromkeys(VenueStatus.values, 0)
    for status in queries.venues_of_agency(agency).values_list("status", flat=True):
        counts[status] += 1
    if not any(counts.values()):
        text = gettext("No venue declared yet: only verified venues take sessions (Art 12).")
    else:
        text = gettext(
            "%(verified)d verified, %(waiting)d waiting for verification, %(refused)d refused."
        ) % {
            "verified": counts[VenueStatus.VERIFIED],
            "waiting": counts[VenueStatus.TO_VERIFY],
            "refused": counts[VenueStatus.REFUSED],
        }
    return Panel(
        title=_("Venues"),
        text=text,
        links=[PanelLink(_("Open the venues"), reverse("assessments:venues", args=[agency.pk]))],
        count=counts[VenueStatus.REFUSED] or None,  # refused venues need the agency's correction
        order=40,
    )


def _venue_url(user, object_id: str) -> str | None:
    from assessments.models import Venue

    venue = (
        Venue.objects.select_related("site").filter(pk=object_id).first()
        if object_id.isdigit()
        else None
    )
    if venue is None:
        return None
    if access.can(user, "assessments.venue.view", venue):
        return reverse("assessments:venue_review", args=[venue.pk])
    if access.can(user, "assessments.venue.manage", venue):
        return reverse("assessments:venue", args=[venue.site.agency_id, venue.pk])
    return None
