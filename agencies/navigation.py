"""Menu entries, dashboard panels and public announcements of the agencies app, by stage.

``register()`` is called once from the app's registry (``agencies.rules.register()``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Count, Min, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from agencies import queries
from agencies.models import (
    ApplicationStatus,
    ChangeRequest,
    ChangeStatus,
    ExpertAssignment,
    MaterialReview,
)
from agencies.queries.vetting import Stage
from agencies.services import assessment_refusal
from portal import access, clock, notices
from portal.models import AgencyKind, AgencyStatus
from portal.roles import AgencyRole
from portal.roles import AuthorityRole as R
from portal.templatetags.portal_tags import cndate
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, Todo, register_panel, todo_panel

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
    register_panel("agencies.affiliates", SUPERVISORS, _affiliates_panel)
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
    navigation.register(
        "agency_affiliates",
        _("Affiliated employers"),
        "agencies:affiliates",
        area=navigation.AGENCY,
        order=65,
        roles={"agency:admin"},
        visible_if=_is_employer,
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
    navigation.register(
        "agencies_affiliates",
        _("Affiliated employers"),
        "agencies:affiliate_queue",
        area=navigation.WORKSPACE,
        order=355,
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
    todos = []
    if current.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        edit_url = reverse("agencies:application_edit", args=[agency.pk, current.pk])
        links.insert(0, PanelLink(_("Edit the application"), edit_url))
        if current.status == ApplicationStatus.DRAFT:
            todo = Todo(1, gettext("Complete and submit the application"), edit_url)
            todo.due_on = current.call.deadline
        else:
            returned = (
                current.material_reviews.filter(decision=MaterialReview.Decision.RETURNED)
                .order_by("-round")
                .values_list("decided_at", flat=True)
                .first()
            )
            todo = Todo(1, gettext("Correct the returned materials and submit again"), edit_url)
            todo.oldest = returned
            todo.due_on = current.call.deadline
        todo.working_days = False
        todos.append(todo)
    if current.status == ApplicationStatus.APPROVED:
        sign_url = reverse("agencies:application_sign", args=[agency.pk, current.pk])
        links.insert(0, PanelLink(_("Sign the commitment letter"), sign_url))
        todos.append(
            Todo(
                1,
                gettext("Sign the commitment letter"),
                sign_url,
                oldest=current.decided_at,
                working_days=False,
            )
        )
    text = f"{current.call.title}：{current.get_status_display()}。{queries.next_step(current)}"
    return todo_panel(_("Selection application"), todos=todos, text=text, links=links, order=5)


# --- Vetting -----------------------------------------------------------------------------


def _stage_texts() -> dict[str, object]:
    """The sentence of each stage with its number of applications (in the active language)."""
    return {
        Stage.CHECK: lambda n: ngettext(
            "%(n)d application awaits the material check",
            "%(n)d applications await the material check",
            n,
        ),
        Stage.ASSIGN: lambda n: ngettext(
            "%(n)d application needs experts assigned",
            "%(n)d applications need experts assigned",
            n,
        ),
        Stage.VISIT: lambda n: ngettext(
            "%(n)d site visit to record", "%(n)d site visits to record", n
        ),
        Stage.DECIDE: lambda n: ngettext(
            "%(n)d application ready for decision",
            "%(n)d applications ready for decision",
            n,
        ),
        Stage.OPINIONS: lambda n: ngettext(
            "%(n)d application waits for the experts' opinions",
            "%(n)d applications wait for the experts' opinions",
            n,
        ),
        Stage.RETURNED: lambda n: ngettext(
            "%(n)d application returned, waiting for the applicant's correction",
            "%(n)d applications returned, waiting for the applicants' corrections",
            n,
        ),
        Stage.NOTICE: lambda n: ngettext(
            "%(n)d approval on public notice", "%(n)d approvals on public notice", n
        ),
        Stage.COMMITMENT: lambda n: ngettext(
            "%(n)d approved applicant has yet to sign the commitment letter",
            "%(n)d approved applicants have yet to sign the commitment letter",
            n,
        ),
    }


def _vetting_panel(request) -> Panel | None:
    """The vetting official's to-dos by step; what waits for others is information. The
    testing centre reads the queue without vetting: every line is information for it."""
    user = request.user
    if not user.jurisdiction:
        return None
    work = queries.vetting_worklist(user)
    texts = _stage_texts()
    url = reverse("agencies:vetting")
    vets = access.can(user, "agencies.application.vet")
    todos, facts = [], []
    for stage in Stage.OFFICIAL:
        found = work.get(stage)
        if not found:
            continue
        sentence = texts[stage](found["count"]) % {"n": found["count"]}
        if vets:
            todos.append(
                Todo(found["count"], sentence, f"{url}?stage={stage}", oldest=found["oldest"])
            )
        else:
            facts.append(sentence)
    for stage in (Stage.OPINIONS, Stage.RETURNED, Stage.NOTICE, Stage.COMMITMENT):
        found = work.get(stage)
        if not found:
            continue
        sentence = texts[stage](found["count"]) % {"n": found["count"]}
        if found["due_on"]:
            sentence = gettext("%(text)s (the first period ends on %(date)s)") % {
                "text": sentence,
                "date": cndate(found["due_on"]),
            }
        facts.append(sentence)
    text = _("Applications to the calls of your jurisdiction (Art 14).")
    links = [PanelLink(_("Open the vetting queue"), url)]
    if not vets:
        return Panel(title=_("Agency vetting"), text=text, links=links, facts=facts, order=20)
    return todo_panel(
        _("Agency vetting"), todos=todos, facts=facts, text=text, links=links, order=20
    )


def _expert_panel(request) -> Panel | None:
    """An expert's to-dos: conflicts of interest to declare, then reviews to submit."""
    open_ones = (
        queries.assignments_for_expert(request.user)
        .filter(application__status=ApplicationStatus.UNDER_REVIEW, submitted_at__isnull=True)
        .order_by()
    )
    figures = {
        row["conflict"]: row
        for row in open_ones.filter(
            conflict__in=[ExpertAssignment.Conflict.UNDECLARED, ExpertAssignment.Conflict.NONE]
        )
        .values("conflict")
        .annotate(n=Count("pk"), assigned=Min("assigned_at"), declared=Min("declared_at"))
    }
    url = reverse("agencies:expert_assignments")
    declare = figures.get(ExpertAssignment.Conflict.UNDECLARED, {})
    review = figures.get(ExpertAssignment.Conflict.NONE, {})
    n_declare, n_review = declare.get("n", 0), review.get("n", 0)
    todos = [
        Todo(
            n_declare,
            ngettext(
                "%(n)d conflict-of-interest declaration to make",
                "%(n)d conflict-of-interest declarations to make",
                n_declare,
            )
            % {"n": n_declare},
            url,
            oldest=declare.get("assigned"),
        ),
        Todo(
            n_review,
            ngettext("%(n)d review to submit", "%(n)d reviews to submit", n_review)
            % {"n": n_review},
            url,
            oldest=review.get("declared"),
        ),
    ]
    return todo_panel(
        _("Reviews to do"),
        todos=todos,
        text=_(
            "Applications assigned to you for expert review: declare conflicts of interest, "
            "then score the five conditions."
        ),
        links=[PanelLink(_("Open my reviews"), url)],
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
    if not (soon and links):
        # Information for the staff, and for the administrator while the end is far.
        return Panel(title=_("Filing term"), text=text, links=links, order=3)
    todo = Todo(1, gettext("Renew the filing term"), links[0].url, due_on=entry.valid_until)
    return todo_panel(_("Filing term"), todos=[todo], text=text, links=links, order=3)


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
    figures = _supervision_figures(request)
    pending = figures.get(ChangeStatus.PENDING, {})
    n, on_notice = pending.get("n", 0), figures.get(ChangeStatus.ON_NOTICE, {}).get("n", 0)
    url = reverse("agencies:change_requests")
    todo = Todo(
        n,
        ngettext(
            "%(n)d change request awaits your decision",
            "%(n)d change requests await your decision",
            n,
        )
        % {"n": n},
        url,
        oldest=pending.get("oldest"),
    )
    facts = []
    if on_notice:
        facts.append(
            ngettext(
                "%(n)d scope extension on public notice",
                "%(n)d scope extensions on public notice",
                on_notice,
            )
            % {"n": on_notice}
        )
    return todo_panel(
        _("Change requests"),
        todos=[todo],
        facts=facts,
        text=_(
            "Listed agencies filed with your authority ask to change their details or scope, "
            "to serve others (Art 16) or to renew their filing term."
        ),
        links=[
            PanelLink(_("Open the change requests"), url),
            PanelLink(_("Listed agencies"), reverse("agencies:listed_agencies")),
        ],
        order=25,
    )


AFFILIATES = "affiliates"


def _supervision_figures(request) -> dict:
    """What waits for the filing authority, in one query shared by the change-request and
    affiliated-employer panels: count and oldest per change status, and of the pending
    affiliated employers (under ``AFFILIATES``). Only of agencies filed with their authority."""
    cached = getattr(request, "_agencies_supervision", None)
    if cached is not None:
        return cached
    user = request.user
    changes = (
        access.visible(
            user,
            ChangeRequest.objects.filter(
                status__in=[ChangeStatus.PENDING, ChangeStatus.ON_NOTICE],
                agency__filing_jurisdiction=user.jurisdiction,
            ),
        )
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), oldest=Min("requested_at"))
    )
    affiliates = (
        queries.pending_for_decider(user)
        .order_by()
        .annotate(key=Value(AFFILIATES, output_field=CharField()))
        .values("key")
        .annotate(n=Count("pk"), oldest=Min("declared_at"))
    )
    figures = {row["status"]: row for row in changes.union(affiliates, all=True)}
    request._agencies_supervision = figures
    return figures


def _is_employer(request) -> bool:
    """Only an employer agency has affiliated employers (Art 16)."""
    agency = getattr(request, "agency", None)
    return agency is not None and agency.kind == AgencyKind.EMPLOYER


def _affiliates_panel(request) -> Panel | None:
    """The declarations of affiliated employers this official decides (Art 16)."""
    user = request.user
    if not user.jurisdiction or not access.can(user, "agencies.change.queue"):
        return None
    figures = _supervision_figures(request).get(AFFILIATES, {})
    n = figures.get("n") or 0
    url = reverse("agencies:affiliate_queue")
    todo = Todo(
        n,
        ngettext(
            "%(n)d affiliated employer awaits your decision",
            "%(n)d affiliated employers await your decision",
            n,
        )
        % {"n": n},
        url,
        oldest=figures.get("oldest"),
    )
    return todo_panel(
        _("Affiliated employers"),
        todos=[todo],
        text=_(
            "Employer agencies filed with your authority declare the employers whose staff "
            "count as their own (Art 16)."
        ),
        links=[PanelLink(_("Open the declarations"), url)],
        order=26,
    )
