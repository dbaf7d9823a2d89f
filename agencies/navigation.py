"""Menu entries, dashboard panels and public announcements of the agencies app, by stage.

``register()`` is called once from the app's registry (``agencies.rules.register()``).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies import queries
from agencies.models import ApplicationStatus, ChangeRequest, ChangeStatus, ExpertAssignment
from agencies.services import assessment_refusal
from portal import access, clock, notices
from portal.models import AgencyStatus
from portal.roles import AgencyRole
from portal.roles import AuthorityRole as R
from portal.templatetags.portal_tags import cndate
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, register_panel

CALL_KEEPERS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL}
QUEUE_READERS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF}
SUPERVISORS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL}
MEMBERS = {"agency:admin", "agency:staff", "agency:examiner", "agency:quality_supervisor"}
SOON_DAYS = 90


def register() -> None:
    _register_menus()
    register_panel("agencies.applicant", {"agency:admin"}, _applications_panel)
    register_panel("agencies.vetting_queue", QUEUE_READERS, _vetting_panel)
    register_panel("agencies.expert_reviews", {R.EXPERT}, _expert_panel)
    register_panel("agencies.running.term", {"agency:admin", "agency:staff"}, _term_panel)
    register_panel("agencies.running.refusal", {"agency:admin", "agency:staff"}, _refusal_panel)
    register_panel("agencies.change_requests", SUPERVISORS, _changes_panel)
    notices.register_announcements(_calls_as_announcements)


def _register_menus() -> None:
    # Public header
    navigation.register(
        "agency_directory",
        _("Agency directory"),
        "agencies:directory",
        area=navigation.PUBLIC,
        order=20,
    )
    # Agency workspace
    navigation.register(
        "agency_applications",
        _("Applications"),
        "agencies:applications",
        area=navigation.AGENCY,
        order=50,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "agency_staff",
        _("Staff"),
        "agencies:staff",
        area=navigation.AGENCY,
        order=60,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "agency_rules",
        _("Published rules and fees"),
        "agencies:rules",
        area=navigation.AGENCY,
        order=62,
        roles=MEMBERS,
    )
    navigation.register(
        "agency_public_contact",
        _("Published contact"),
        "agencies:public_contact",
        area=navigation.AGENCY,
        order=63,
        roles={"agency:admin"},
    )
    navigation.register(
        "agency_changes",
        _("Change requests"),
        "agencies:changes",
        area=navigation.AGENCY,
        order=64,
        roles={"agency:admin"},
    )
    # Authorities' workspace
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


# --- Calls -----------------------------------------------------------------------------------


def _calls_as_announcements() -> list[notices.Announcement]:
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


# --- Applications ------------------------------------------------------------------------


def _applications_panel(request) -> Panel | None:
    agency = getattr(request, "agency", None)
    if agency is None:
        return None
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
    text = f"{current.call.title}：{current.get_status_display()}。{queries.next_step(current)}"
    return Panel(title=_("Selection application"), text=text, links=links, order=5)


# --- Vetting -----------------------------------------------------------------------------


def _vetting_panel(request) -> Panel | None:
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


# --- Running -----------------------------------------------------------------------------


def term_text(valid_until: dt.date, today: dt.date) -> str:
    days = (valid_until - today).days
    date = cndate(valid_until)
    if days < 0:
        return gettext("The filing term ended on %(date)s.") % {"date": date}
    return gettext("The filing term ends on %(date)s, %(days)d days left.") % {
        "date": date,
        "days": days,
    }


def _term_panel(request) -> Panel | None:
    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    entry = queries.entry_of(agency)
    if entry is None:
        return None
    today = clock.today()
    days = (entry.valid_until - today).days
    soon = days <= SOON_DAYS
    text = term_text(entry.valid_until, today)
    if soon:
        text = gettext("Renew in time: %(text)s") % {"text": text}
    links = []
    if AgencyRole.ADMIN in request.agency_roles:
        links.append(
            PanelLink(
                _("Request renewal of the filing term"),
                reverse("agencies:change_renewal", args=[agency.pk]),
            )
        )
    return Panel(
        title=_("Filing term"),
        text=text,
        links=links,
        count=max(days, 0) if soon else None,  # the badge highlights a term ending soon
        order=3,
    )


def _refusal_panel(request) -> Panel | None:
    agency = getattr(request, "agency", None)
    if agency is None or agency.status == AgencyStatus.APPLICANT:
        return None
    refusal = assessment_refusal(agency)
    if not refusal:
        return None
    return Panel(
        title=_("Warning: no new assessments"),
        text=gettext("%(reason)s The agency may not start new assessments.") % {"reason": refusal},
        order=1,
    )


def _changes_panel(request) -> Panel | None:
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
