"""Menus, the dashboard panel and the public announcements of the applicant side.

``register()`` is called once from ``agencies.rules.register()``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyApplication, ApplicationStatus
from portal import navigation, notices
from portal.dashboards import Panel, PanelLink, register_panel

NEXT_STEPS = {
    ApplicationStatus.DRAFT: _(
        "Complete every section (details, the five conditions with evidence, the requested "
        "scope and the sites), then submit with the pledge before the deadline."
    ),
    ApplicationStatus.SUBMITTED: _(
        "The authority is checking your materials. You will see the result of the material "
        "check here."
    ),
    ApplicationStatus.RETURNED: _(
        "The materials were returned for correction: correct the items commented on and "
        "submit again."
    ),
    ApplicationStatus.UNDER_REVIEW: _(
        "The materials were accepted; the technical evaluation is under way. Nothing to do for now."
    ),
    ApplicationStatus.ON_NOTICE: _(
        "The approval is on public notice (Art 14). Objections and their outcome appear "
        "under Public notices of your agency."
    ),
    ApplicationStatus.APPROVED: _(
        "Sign the commitment letter (Art 15): your organisation is then listed in the "
        "agency directory."
    ),
    ApplicationStatus.LISTED: _("Your organisation is listed in the agency directory."),
    ApplicationStatus.REJECTED: _("The application was rejected; the reasons are given below."),
    ApplicationStatus.WITHDRAWN: _("The application was withdrawn."),
}


def next_step(application: AgencyApplication) -> str:
    return str(NEXT_STEPS.get(application.status, ""))


def _applications_panel(request) -> Panel | None:
    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    from agencies import queries

    applications = list(
        queries.applications_for_agency(agency)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .order_by("-created_at")
    )
    links = [
        PanelLink(
            _("Applications and open calls"), reverse("agencies:applications", args=[agency.pk])
        )
    ]
    if not applications:
        calls = [c for c in queries.open_calls() if c.accepts(agency.kind)]
        if not calls:
            return None
        return Panel(
            title=_("Selection application"),
            text=_("No application yet. Choose an open call for agencies and apply (Art 11, 12)."),
            links=links,
            count=len(calls),
            order=5,
        )
    current = applications[0]
    status_url = reverse("agencies:application", args=[agency.pk, current.pk])
    links.insert(0, PanelLink(_("Status of the application"), status_url))
    if current.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        links.insert(
            0,
            PanelLink(
                _("Edit the application"),
                reverse("agencies:application_edit", args=[agency.pk, current.pk]),
            ),
        )
    if current.status == ApplicationStatus.APPROVED:
        links.insert(
            0,
            PanelLink(
                _("Sign the commitment letter"),
                reverse("agencies:application_sign", args=[agency.pk, current.pk]),
            ),
        )
    text = f"{current.call.title}：{current.get_status_display()}。{next_step(current)}"
    return Panel(title=_("Selection application"), text=text, links=links, order=5)


def _calls_as_announcements() -> list[notices.Announcement]:
    from agencies import queries

    label = gettext("Call for agencies")
    return [
        notices.Announcement(
            title=call.title,
            url=reverse("agencies:call", args=[call.pk]),
            published_on=timezone.localdate(call.published_at)
            if call.published_at
            else call.opens_on,
            kind_label=label,
            ends_on=call.deadline,
        )
        for call in queries.published_calls()[:50]
    ]


def register() -> None:
    navigation.register(
        "agency_directory",
        _("Agency directory"),
        "agencies:directory",
        area=navigation.PUBLIC,
        order=20,
    )
    navigation.register(
        "agency_applications",
        _("Applications"),
        "agencies:applications",
        area=navigation.AGENCY,
        order=50,
        roles={"agency:admin", "agency:staff"},
    )
    register_panel("agencies.applicant", {"agency:admin"}, _applications_panel)
    notices.register_announcements(_calls_as_announcements)
