"""What exam affairs registers with portal, once, from ``AssessmentsConfig.ready()``: access
rules of its actions, audit sentences, links from the audit trail, menu entries, dashboard
panels and periodic jobs, one function per stage."""

from __future__ import annotations

import datetime as dt

from celery.schedules import crontab
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import access, audit, clock
from portal.access import agency_role, any_of, authority_role, in_jurisdiction, register_action
from portal.jobs import periodic
from portal.roles import NATIONAL
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, register_panel

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)
VENUE_DAYS_TO_VERIFY = 20  # working days; decision 0032


def register() -> None:
    _register_people()
    _register_venues()
    _register_candidates()
    _register_sessions()
    _register_conduct()
    _register_sitting()
    _register_assign()
    _register_archive()
    _register_results()
    _register_scores()


# --- people (Art 19, 23) ------------------------------------------------------------------------


def _registering_centre(user, record=None) -> bool:
    """The testing centre the qualification is registered with, or the national centre."""
    if not authority_role(R.OSTA_STAFF)(user):
        return False
    if record is None or user.jurisdiction == NATIONAL:
        return bool(user.jurisdiction)
    return user.jurisdiction == record.province_id


def _register_people() -> None:
    register_action(
        "assessments.people.manage",
        agency_role(A.ADMIN),
        "Add, edit and retire the agency's examiners and supervisors; record training",
    )
    register_action(
        "assessments.people.registry",
        any_of(in_jurisdiction(*OFFICIALS)),
        "Read the examiners and supervisors of the jurisdiction",
    )
    register_action(
        "assessments.people.suspend",
        _registering_centre,
        "Suspend or reinstate a qualification (every agency)",
    )
    for kind in ("examiner", "supervisor"):
        for action, label in {
            "add": _("recorded an examiner or supervisor"),
            "join": _("took up an examiner or supervisor already on record"),
            "edit": _("changed a qualification"),
            "training": _("recorded a training"),
            "retire": _("retired an examiner or supervisor"),
            "suspend": _("suspended a qualification"),
            "reinstate": _("reinstated a qualification"),
        }.items():
            audit.register_label(f"assessments.{kind}.{action}", label)
    audit.register_object_url("assessments.examiner", _record_url("examiner"))
    audit.register_object_url("assessments.qualitysupervisor", _record_url("supervisor"))
    navigation.register(
        "assessments_people",
        _("Examiners and supervisors"),
        "assessments:people",
        area=navigation.AGENCY,
        order=66,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "assessments_registry",
        _("Examiner registry"),
        "assessments:registry",
        area=navigation.WORKSPACE,
        order=330,
        roles=set(OFFICIALS),
    )
    navigation.register(
        "assessments_my_qualifications",
        _("My qualifications"),
        "assessments:my_qualifications",
        area=navigation.WORKSPACE,
        order=20,
        visible_if=_has_own_record,
    )
    register_panel("assessments.people.ending", {R.OSTA_STAFF}, _registry_panel)
    register_panel("assessments.people.agency", {"agency:admin", "agency:staff"}, _agency_panel)


def _record_url(kind: str):
    """The registry page for officials who see the record; for the admin or staff of an
    agency using the person, that agency's page of them."""

    def url(user, object_id: str) -> str | None:
        from assessments import queries
        from assessments.models import Engagement
        from portal.models import AgencyMembership

        if queries.registry_for(user, kind).filter(pk=object_id).exists():
            return reverse("assessments:registry_person", args=[kind, object_id])
        agencies = AgencyMembership.objects.filter(
            user_id=user.pk, role__in=[A.ADMIN, A.STAFF]
        ).values("agency")
        field = "examiner_id" if kind == "examiner" else "supervisor_id"
        found = Engagement.objects.filter(agency__in=agencies, **{field: object_id}).first()
        return reverse("assessments:person", args=[found.agency_id, found.pk]) if found else None

    return url


def _has_own_record(request) -> bool:
    """Asked by the menu on every workspace page: one query, and none for officials."""
    from assessments.models import Examiner, QualitySupervisor

    user = request.user
    if not user.is_authenticated or user.jurisdiction:
        return False
    mine = Examiner.objects.filter(user_id=user.pk).values("pk")
    return mine.union(QualitySupervisor.objects.filter(user_id=user.pk).values("pk")).exists()


def _ending_panel(examiners, supervisors, *, text, url) -> Panel | None:
    """``count``: qualifications in force ending within 30 days; ``due_on``: the first end."""
    from assessments.services.people import SOON_DAYS, ending_soon

    dates = [
        *ending_soon(examiners).values_list("valid_until", flat=True),
        *ending_soon(supervisors).values_list("valid_until", flat=True),
    ]
    if not dates:
        return None
    return Panel(
        title=_("Qualifications ending"),
        text=text % {"count": len(dates), "days": SOON_DAYS},
        links=[PanelLink(_("See who"), url)],
        count=len(dates),
        due_on=min(dates),
        order=40,
    )


def _registry_panel(request) -> Panel | None:
    from assessments.models import Examiner, QualitySupervisor
    from portal import access

    return _ending_panel(
        access.visible(request.user, Examiner.objects.all()),
        access.visible(request.user, QualitySupervisor.objects.all()),
        text=gettext("%(count)s qualifications in your jurisdiction end within %(days)s days."),
        url=reverse("assessments:registry") + "?ending=1",
    )


def _agency_panel(request) -> Panel | None:
    from assessments.models import Engagement, Examiner, QualitySupervisor

    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    used = Engagement.objects.filter(agency=agency, retired_on__isnull=True)
    return _ending_panel(
        Examiner.objects.filter(pk__in=used.values("examiner")),
        QualitySupervisor.objects.filter(pk__in=used.values("supervisor")),
        text=gettext("%(count)s qualifications of the agency's people end within %(days)s days."),
        url=reverse("assessments:people", args=[agency.pk]),
    )


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


# --- candidates (Art 16, 18) ------------------------------------------------------------------


def _enrolled_addresses(session) -> list[str]:
    """Whom to tell when a session is stopped or cancelled: its enrolled candidates who gave
    an e-mail address (Art 18)."""
    from assessments.models import Enrolment, EnrolmentStatus

    return list(
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _register_candidates() -> None:
    from assessments.services import sessions as session_services

    session_services.register_recipients(_enrolled_addresses)
    register_action(
        "assessments.candidates.manage",
        agency_role(A.ADMIN, A.STAFF),
        "Enrol and withdraw the candidates of the agency's sessions; import rosters",
    )
    register_action(
        "assessments.candidates.view",
        any_of(agency_role(A.ADMIN, A.STAFF), in_jurisdiction(*OFFICIALS)),
        "Read the candidates of a session (the agency; officials of the site's province)",
    )
    for action, label in {
        "assessments.candidate.enrol": _("enrolled a candidate"),
        "assessments.candidate.withdraw": _("withdrew a candidate"),
        "assessments.candidate.confirm_education": _(
            "confirmed a candidate's education against the diploma"
        ),
        "assessments.roster.stage": _("uploaded a roster of candidates"),
        "assessments.roster.apply": _("applied a roster of candidates"),
    }.items():
        audit.register_label(action, label)
    audit.register_object_url("assessments.enrolment", _candidates_url("enrolment"))
    audit.register_object_url("assessments.rosterbatch", _candidates_url("batch"))


def _candidates_url(kind: str):
    """The candidates page of the session for its agency's admin and staff; for officials who
    see the filed plan, the plan's candidates."""

    def url(user, object_id: str) -> str | None:
        from assessments import queries
        from assessments.models import Enrolment, RosterBatch
        from portal.models import AgencyMembership

        model = Enrolment if kind == "enrolment" else RosterBatch
        row = model.objects.filter(pk=object_id).select_related("session").first()
        if row is None:
            return None
        session = row.session
        if AgencyMembership.objects.filter(
            user=user, agency_id=session.agency_id, role__in=[A.ADMIN, A.STAFF]
        ).exists():
            if kind == "batch":
                return reverse("assessments:roster", args=[session.agency_id, session.pk, row.pk])
            return reverse("assessments:candidates", args=[session.agency_id, session.pk])
        if queries.plans_for_official(user).filter(pk=session.pk).exists():
            return reverse("assessments:plan_candidates", args=[session.pk])
        return None

    return url


# --- Sessions (Art 17, 18) ---------------------------------------------------------------------


def _register_sessions() -> None:
    from assessments.services import sessions
    from portal import pagecache, slots

    register_action(
        "assessments.session.manage",
        agency_role(A.ADMIN, A.STAFF),
        "Plan, file, answer and cancel the agency's assessment sessions",
    )
    register_action(
        "assessments.session.view",
        in_jurisdiction(*OFFICIALS),
        "Read the filed plans of sites in one's jurisdiction",
    )
    register_action(
        "assessments.session.review",
        in_jurisdiction(R.PROVINCIAL_OFFICIAL, R.MINISTRY_OFFICIAL, R.OSTA_STAFF),
        "Ask a question on a filed plan or stop it (sites in one's jurisdiction)",
    )
    register_action("assessments.session.queue", authority_role(*OFFICIALS), "See the filed plans")
    for action, label in {
        "assessments.session.plan": _("planned an assessment session"),
        "assessments.session.file": _("filed an assessment plan"),
        "assessments.session.ask": _("asked a question on an assessment plan"),
        "assessments.session.answer": _("answered a question on an assessment plan"),
        "assessments.session.stop": _("stopped an assessment plan"),
        "assessments.session.cancel": _("cancelled an assessment session"),
        "assessments.session.registration_open": _("registration opened"),
        "assessments.session.registration_closed": _("registration closed"),
    }.items():
        audit.register_label(action, label)
    audit.register_object_url("assessments.assessmentsession", _session_url)
    navigation.register(
        "agency_sessions",
        _("Assessment sessions"),
        "assessments:sessions",
        area=navigation.AGENCY,
        order=75,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "assessments_plans",
        _("Filed assessment plans"),
        "assessments:plans",
        area=navigation.WORKSPACE,
        order=410,
        roles=set(OFFICIALS),
    )
    navigation.register(
        "public_sessions",
        _("Assessment sessions"),
        "assessments:public_sessions",
        area=navigation.PUBLIC,
        order=25,
    )
    register_panel("assessments.plans", set(OFFICIALS), _plans_panel)
    register_panel("assessments.sessions", {"agency:admin", "agency:staff"}, _sessions_panel)
    periodic.register(
        "assessments.advance_sessions",
        sessions.advance_sessions,
        schedule=crontab(minute=5),
        every=dt.timedelta(hours=1),
        description="Open registration at the window's start and close it at its end",
    )
    pagecache.watch("assessments.assessmentsession", "assessments.sitting")
    slots.register(
        "agencies.directory_entry",
        _directory_sessions,
        template="assessments/sessions/_directory_slot.html",
    )


def _directory_sessions(request, entry) -> dict | None:
    from assessments import queries

    found = list(queries.public_sessions().filter(agency_id=entry.agency_id)[:20])
    return {"sessions": found} if found else None


def _plans_panel(request) -> Panel | None:
    if not request.user.jurisdiction:
        return None
    from django.db.models import Count, Q

    from assessments import queries

    today = clock.today()
    counts = queries.plans_for_official(request.user).aggregate(
        coming=Count(
            "pk",
            filter=Q(first_sitting_on__gte=today, first_sitting_on__lte=today + dt.timedelta(30)),
        ),
        asked=Count("pk", filter=Q(awaiting_answer=True)),
    )
    facts = [
        gettext("%(count)s filed plans have sittings within 30 days.") % {"count": counts["coming"]}
    ]
    if counts["asked"]:
        facts.append(
            gettext("%(count)s plans wait for the agency's answer.") % {"count": counts["asked"]}
        )
    return Panel(
        title=_("Filed assessment plans"),
        text=_(
            "Plans are filed, not approved (Art 18): look through them by agency, occupation, "
            "level and dates; ask a question or stop a plan only where needed."
        ),
        links=[PanelLink(_("Open the filed plans"), reverse("assessments:plans"))],
        facts=facts,
        order=35,
    )


def _sessions_panel(request) -> Panel | None:
    from assessments import queries
    from assessments.models import SessionStatus
    from portal.ui.dashboards import Todo

    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    from django.db.models import Count, Min, Q

    url = reverse("assessments:sessions", args=[agency.pk])
    draft = Q(status=SessionStatus.DRAFT, first_sitting_on__gt=clock.today())
    counts = queries.sessions_of_agency(agency).aggregate(
        drafts=Count("pk", filter=draft),
        questions=Count("pk", filter=Q(awaiting_answer=True)),
        first_draft=Min("first_sitting_on", filter=draft),
    )
    return Panel(
        title=_("Assessment sessions"),
        text=_("Plan sessions within the approved scope and file them with the authority."),
        links=[PanelLink(_("Open the sessions"), url)],
        todos=[
            Todo(
                counts["questions"],
                gettext("%(count)s questions of the authority to answer")
                % {"count": counts["questions"]},
                url + "?status=filed",
            ),
            Todo(
                counts["drafts"],
                gettext("%(count)s draft plans to file") % {"count": counts["drafts"]},
                url + "?status=draft",
                due_on=(
                    sessions_latest_filing_day(counts["first_draft"])
                    if counts["first_draft"]
                    else None
                ),
            ),
        ],
        order=45,
    )


def sessions_latest_filing_day(first_sitting: dt.date) -> dt.date:
    from assessments.services.sessions import latest_filing_day

    return latest_filing_day(first_sitting)


def _session_url(user, object_id: str) -> str | None:
    from assessments.models import AssessmentSession

    session = (
        AssessmentSession.objects.select_related("site").filter(pk=object_id).first()
        if object_id.isdigit()
        else None
    )
    if session is None:
        return None
    if access.can(user, "assessments.session.view", session):
        return reverse("assessments:plan", args=[session.pk])
    if access.can(user, "assessments.session.manage", session):
        return reverse("assessments:session", args=[session.agency_id, session.pk])
    return None


# --- conduct: assignment, sittings, scores, results, archive (Art 18–21) ------------------------


def _register_conduct() -> None:
    register_action(
        "assessments.session.read",
        any_of(
            agency_role(A.ADMIN, A.STAFF),
            in_jurisdiction(*OFFICIALS),
            _assignment_grant_in_force,
        ),
        "Read one session's conduct records: its agency, officials of the site's province, "
        "the people assigned to it and reviewers given access",
    )
    audit.register_label(
        "assessments.session.certificates_recorded",
        _("recorded the certificates issued from the session's results"),
    )
    audit.display.register_change_labels(
        {
            "certificates": _("certificates"),
            "first": _("first number"),
            "last": _("last number"),
        }
    )


# --- archive: statistics and archiving a session (Art 18, 21) -----------------------------------


def _register_archive() -> None:
    register_action(
        "assessments.archive.read",
        any_of(agency_role(A.ADMIN, A.STAFF), in_jurisdiction(*OFFICIALS)),
        "Read a session's statistics, archive and archive export: its agency, officials and "
        "the testing centre of the site's province",
    )
    register_action(
        "assessments.statistics.view",
        authority_role(*OFFICIALS),
        "Read the statistics of the agencies of one's jurisdiction",
    )
    audit.register_label("assessments.session.archive", _("archived an assessment session"))
    audit.register_label(
        "assessments.session.recordings", _("said where the video recordings are kept")
    )
    audit.display.register_change_labels(
        {
            "documents": _("documents"),
            "sha256": _("SHA-256"),
            "grants_revoked": _("access taken away"),
            "recordings_kept_at": _("where the video recordings are kept"),
        }
    )
    navigation.register(
        "agency_statistics",
        _("Statistics"),
        "assessments:agency_statistics",
        area=navigation.AGENCY,
        order=77,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "assessments_statistics",
        _("Statistics of recognition"),
        "assessments:statistics",
        area=navigation.WORKSPACE,
        order=415,
        roles=set(OFFICIALS),
    )


# --- results: publication, objections, reviews (Art 20) --------------------------------------


def _register_results() -> None:
    from assessments.services import results
    from portal import notices

    register_action(
        "assessments.results.manage",
        agency_role(A.ADMIN, A.STAFF),
        "Publish the session's results on notice and answer score reviews",
    )
    notices.register_kind(
        results.NOTICE_KIND,
        label=_("Results of a skill-level assessment"),
        on_stood=results.results_stood,
        on_overturned=results.results_overturned,
        uphold_url=lambda objection: reverse("assessments:results_uphold", args=[objection.pk]),
    )
    for action, label in {
        "assessments.results.publish": _("published the results of a session on notice"),
        "assessments.results.final": _("made the results of a session final"),
        "assessments.results.correction": _(
            "returned results for correction after an upheld objection"
        ),
        "assessments.review.request": _("asked for a review of scores"),
        "assessments.review.answer": _("answered a review of scores"),
    }.items():
        audit.register_label(action, label)
    audit.display.register_change_labels(
        {
            "round": _("publication"),
            "results": _("results"),
            "passed": _("passed"),
            "notice": _("notice"),
            "result": _("result"),
            "changed": _("the score was changed"),
        }
    )
    audit.register_object_url("assessments.scorereview", _review_url)
    from portal import slots

    slots.register(
        "notices.detail", _notice_results, template="assessments/results/_notice_slot.html"
    )
    navigation.register(
        "assessments_results_notices",
        _("Results notices"),
        "assessments:results_notices",
        area=navigation.WORKSPACE,
        order=155,
        roles=set(OFFICIALS),
    )
    navigation.register(
        "public_result_lookup",
        _("Look up my result"),
        "assessments:result_lookup",
        area=navigation.PUBLIC,
        order=27,
    )
    register_panel("assessments.results.agency", {"agency:admin", "agency:staff"}, _results_panel)
    register_panel("assessments.results.late", set(OFFICIALS), _late_results_panel)


def _notice_results(request, notice) -> dict | None:
    """On a results notice's public page: the link to its rows (those who passed)."""
    from assessments import queries
    from assessments.services.results import NOTICE_KIND

    if notice.kind != NOTICE_KIND:
        return None
    publication = queries.publication_of_notice(notice.pk)
    if publication is None:
        return None
    return {
        "notice": notice,
        "passed": queries.notice_result_rows(publication).count(),
        "superseded_by": queries.superseding_publication(publication),
    }


def _review_url(user, object_id: str) -> str | None:
    from assessments.models import ScoreReview

    review = (
        ScoreReview.objects.select_related("result__session").filter(pk=object_id).first()
        if object_id.isdigit()
        else None
    )
    if review is None or not access.can(user, "assessments.results.manage", review.result.session):
        return None
    session = review.result.session
    return reverse("assessments:reviews", args=[session.agency_id, session.pk])


def _results_panel(request) -> Panel | None:
    from django.db.models import Min

    from assessments import queries
    from assessments.models import ScoreReview
    from assessments.services import results
    from portal.ui.dashboards import Todo

    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    own = queries.sessions_of_agency(agency)
    late = list(results.late_sessions(own).order_by("last_sitting_on")[:50])
    from django.db.models import Count

    waiting = ScoreReview.objects.filter(result__session__agency=agency, answered_at__isnull=True)
    reviews = waiting.aggregate(count=Count("pk"), oldest=Min("requested_at"))
    first = waiting.order_by("requested_at").values_list("result__session_id", flat=True).first()
    sessions_url = reverse("assessments:sessions", args=[agency.pk]) + "?status=closed"
    todos = [
        Todo(
            len(late),
            gettext("%(count)s sessions with results past their publication date")
            % {"count": len(late)},
            # One late session: straight to its results page; more: the sessions that sat.
            reverse("assessments:results", args=[agency.pk, late[0].pk])
            if len(late) == 1
            else sessions_url,
            due_on=results.results_due_on(late[0]) if late else None,
        ),
        Todo(
            reviews["count"],
            gettext("%(count)s score reviews to answer") % {"count": reviews["count"]},
            reverse("assessments:reviews", args=[agency.pk, first]) if first else sessions_url,
            oldest=reviews["oldest"],
        ),
    ]
    if not any(t.count for t in todos):
        return None
    return Panel(
        title=_("Results"),
        text=_(
            "Results go on public notice within 5 working days of the last sitting for a social "
            "organisation, 10 for an employer (Art 20)."
        ),
        todos=todos,
        order=46,
    )


def _late_results_panel(request) -> Panel | None:
    from assessments.models import AssessmentSession
    from assessments.services import results

    if not request.user.jurisdiction:
        return None
    mine = access.visible(request.user, AssessmentSession.objects.select_related("agency"))
    late = list(results.late_sessions(mine).order_by("last_sitting_on")[:50])
    if not late:
        return None
    return Panel(
        title=_("Results published late"),
        text=_(
            "Sessions of your jurisdiction whose results are not on public notice by their due "
            "day (Art 20)."
        ),
        facts=[
            gettext("%(agency)s: %(session)s, due %(date)s")
            % {"agency": s.agency.name, "session": str(s), "date": results.results_due_on(s)}
            for s in late[:5]
        ],
        count=len(late),
        due_on=results.results_due_on(late[0]),
        order=36,
    )


# --- scores and the pass rule (Art 18, 20; decision 0038) ----------------------------------------


def _register_scores() -> None:
    for action, label in {
        "assessments.marks.save": _("entered marks"),
        "assessments.marks.submit": _("submitted their marks"),
        "assessments.score.settle": _("settled a score whose marks were too far apart"),
        "assessments.theory.enter": _("entered theory scores"),
        "assessments.theory.accept": _("accepted the theory scores (both entries agree)"),
        "assessments.scores.submit": _("submitted and locked a method's scores"),
        "assessments.score.correction_request": _("asked to correct a locked score"),
        "assessments.score.correct": _("confirmed the correction of a locked score"),
        "assessments.score.correction_refuse": _("refused the correction of a locked score"),
        "assessments.results.compute": _("computed the results"),
    }.items():
        audit.register_label(action, label)
    audit.display.register_change_labels(
        {
            "marks": _("marks"),
            "method": _("method"),
            "score": _("score"),
            "entry": _("entry"),
            "scores": _("scores"),
            "before": _("before"),
            "after": _("after"),
            "results": _("results"),
            "passed": _("passed"),
            "withheld": _("withheld"),
        }
    )
    audit.register_object_url("assessments.methodscore", _score_url)
    audit.register_object_url("assessments.scorecorrection", _correction_url)


def _score_url(user, object_id: str) -> str | None:
    from assessments.models import MethodScore

    score = MethodScore.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    if score is None or not access.can(user, "assessments.session.read", score.enrolment.session):
        return None
    return reverse("assessments:scores", args=[score.enrolment.session_id])


def _correction_url(user, object_id: str) -> str | None:
    from assessments.models import ScoreCorrection

    found = ScoreCorrection.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    if found is None:
        return None
    if not access.can(user, "assessments.session.read", found.score.enrolment.session):
        return None
    return reverse("assessments:score_correction", args=[found.pk])


# --- assignment (Art 19): staffing, conflicts, review access (decision 0036) ---------------------


def _assignment_grant_in_force(user, obj=None) -> bool:
    """The guardian grant on the session, refused once the assignment ended or the review
    grant's date passed, even before the job revoked it."""
    if obj is None or not access.assigned("view_assessmentsession")(user, obj):
        return False
    from assessments.services.assignments import grant_in_force

    return grant_in_force(user, obj)


def _register_assign() -> None:
    from assessments.services import assignments
    from portal.signals import member_removed

    for action, label in {
        "assessments.assignment.add": _("assigned a person to a session"),
        "assessments.assignment.remove": _("took a person off a session"),
        "assessments.assignment.leader": _("named the group leader of a sitting"),
        "assessments.assignment.declare": _("declared conflicts of interest"),
        "assessments.assignment.stand_aside": _(
            "stood aside from a sitting (conflict of interest)"
        ),
        "assessments.assignment.member_removed": _(
            "ended the assignments of a person removed from the agency"
        ),
        "assessments.sitting.rounds": _("set the rounds of a skill sitting"),
        "assessments.session.review_opened": _("opened a session's records for review"),
    }.items():
        audit.register_label(action, label)
    audit.display.register_change_labels(
        {
            "person": _("person"),
            "kind": _("assignment"),
            "sitting": _("sitting"),
            "is_leader": _("group leader"),
            "leader": _("group leader"),
            "declared": _("conflicts declared"),
            "conflicts_declared": _("conflicts declared"),
            "conflicts_found": _("conflicts found by the portal"),
            "employer": _("employer"),
            "assignments": _("assignments"),
            "rounds": _("rounds"),
            "reviewer": _("reviewer"),
            "until": _("until"),
        }
    )
    audit.register_object_url("assessments.assignment", _assignment_url)
    member_removed.connect(
        assignments.on_member_removed, dispatch_uid="assessments.assignments.member_removed"
    )
    navigation.register(
        "assessments_my_assignments",
        _("My assignments"),
        "assessments:my_assignments",
        area=navigation.WORKSPACE,
        order=21,
        visible_if=_has_own_record,
    )
    periodic.register(
        "assessments.expire_review_grants",
        assignments.expire_review_grants,
        schedule=crontab(minute=15, hour=0),
        every=dt.timedelta(days=1),
        description="Take away reviewers' access to sessions once its date has passed",
    )


def _assignment_url(user, object_id: str) -> str | None:
    from assessments.models import Assignment

    row = (
        Assignment.objects.select_related("session").filter(pk=object_id).first()
        if object_id.isdigit()
        else None
    )
    if row is None:
        return None
    if access.can(user, "assessments.session.manage", row.session):
        return reverse("assessments:assignments", args=[row.session.agency_id, row.session_id])
    if row.user_id == user.pk:
        return reverse("assessments:declare", args=[row.pk])
    return None


# --- the sitting: seats, tickets, check-in, incidents, supervisor's report (Art 18, 19) ---------


def _register_sitting() -> None:
    from assessments.services import sittings
    from portal import documents

    documents.register_renderer(sittings.TICKET_RENDERER, sittings.render_ticket)
    documents.register_renderer(sittings.BATCH_RENDERER, sittings.render_batch)
    for action, label in {
        "assessments.sitting.seats_allocated": _("allocated the seats of a sitting"),
        "assessments.session.tickets_issued": _("issued admission tickets"),
        "assessments.sitting.checked_in": _("checked a candidate in"),
        "assessments.sitting.absentees_marked": _("marked the candidates not checked in absent"),
        "assessments.incident.record": _("recorded an incident"),
        "assessments.incident.decide": _("decided an incident"),
        "assessments.session.supervisor_report": _("filed the supervisor's report"),
    }.items():
        audit.register_label(action, label)
    audit.display.register_change_labels(
        {
            "rule": _("rule"),
            "seed": _("seed"),
            "seats": _("seats"),
            "tickets": _("tickets"),
            "ticket": _("ticket number"),
            "attendance": _("attendance"),
            "absent": _("absent"),
            "candidate": _("candidate"),
            "evidence": _("evidence"),
            "decision": _("decision"),
            "rating": _("rating"),
        }
    )
