"""Scoped reads of exam affairs (decision 0017): what each audience's pages list.

``verified_venues`` is what part 2 (sessions) asks: only a verified venue whose lease still
runs on the day takes a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from assessments.models import (
    AssessmentSession,
    Engagement,
    Examiner,
    QualitySupervisor,
    Room,
    SessionStatus,
    Tenure,
    Venue,
    VenueStatus,
)
from portal import access, clock


def engagements_of(agency) -> QuerySet:
    """The agency's own use of examiners and supervisors, retired ones last."""
    return (
        Engagement.objects.filter(agency=agency)
        .select_related("examiner", "supervisor", "agency")
        .order_by("retired_on", "examiner__real_name", "supervisor__real_name")
    )


def engagements_for_workspace(request) -> QuerySet:
    """``@loads`` source in the agency workspace: the current agency's engagements."""
    return engagements_of(request.agency)


def registry_for(user, kind: str) -> QuerySet:
    """The examiners or supervisors of the user's jurisdiction (testing centre, officials)."""
    model = Examiner if kind == "examiner" else QualitySupervisor
    return access.visible(user, model.objects.select_related("province")).order_by(
        "valid_until", "real_name"
    )


def own_records(user) -> list:
    """The signed-in person's own records (examiner and supervisor), with their uses."""
    found = []
    for model in (Examiner, QualitySupervisor):
        record = model.objects.filter(user=user).select_related("province").first()
        if record is not None:
            found.append(record)
    return found


# venues (Art 12, 19)
def _venues() -> QuerySet:
    return Venue.objects.select_related("site", "site__agency", "site__province", "verified_by")


def venues_of_agency(agency) -> QuerySet:
    """Every venue of the agency's sites (the agency workspace; its pages are members-only)."""
    return _venues().filter(site__agency=agency)


def venues_for_official(user) -> QuerySet:
    """The venues an official reads: those at sites in their province (national: all)."""
    return access.visible(user, _venues())


def venue_queue(user) -> QuerySet:
    """Venues waiting for verification in the official's jurisdiction, longest-waiting first."""
    return venues_for_official(user).filter(status=VenueStatus.TO_VERIFY).order_by("waiting_since")


def verified_venues(agency, on: dt.date | None = None) -> QuerySet:
    """The agency's venues that may take a session on ``on`` (default today): verified, and
    owned or leased until at least that day (Art 12 (3))."""
    on = on or clock.today()
    return venues_of_agency(agency).filter(
        Q(tenure=Tenure.OWNED) | Q(lease_ends__gte=on), status=VenueStatus.VERIFIED
    )


def rooms_of(venue) -> list:
    return list(venue.rooms.prefetch_related("occupations").order_by("kind", "name"))


# sessions (Art 17, 18)
def _sessions() -> QuerySet:
    return AssessmentSession.objects.select_related(
        "agency", "site", "site__province", "venue", "occupation", "work_type", "level"
    )


def sessions_of_agency(agency) -> QuerySet:
    """The agency's own sessions (its workspace), the next sitting first."""
    return _sessions().filter(agency=agency).order_by("-first_sitting_on", "-pk")


def plans_for_official(user) -> QuerySet:
    """Filed plans at sites in the official's province (national: all); drafts never."""
    return access.visible(user, _sessions().exclude(status=SessionStatus.DRAFT))


def sittings_of(session) -> list:
    return list(session.sittings.select_related("room").order_by("date", "starts_at"))


def bookable_rooms(agency, on: dt.date | None = None) -> QuerySet:
    """Rooms of the agency's verified venues (the planning form's choices)."""
    return (
        Room.objects.filter(venue__in=verified_venues(agency, on=on))
        .select_related("venue")
        .order_by("venue__name", "kind", "name")
    )


def public_sessions(on: dt.date | None = None) -> QuerySet:
    """Sessions workers may register for: filed, registration open or coming (the window has
    not closed), the soonest first. What ``/sessions/`` and the directory entry list."""
    on = on or clock.today()
    return (
        _sessions()
        .filter(status__in=[SessionStatus.FILED, SessionStatus.OPEN], registration_closes__gte=on)
        .order_by("first_sitting_on", "pk")
    )


# conduct (Art 18–21): assignment, results


def assignment_on(user, sitting, *, kinds=None, declared: bool = True):
    """The user's active assignment on ``sitting`` (of one of ``kinds``), or None. With
    ``declared`` only once the person has declared conflicts: before that no candidate detail
    or score opens to them (Art 19)."""
    from assessments.models import Assignment, AssignmentStatus

    if user is None or not user.is_authenticated:
        return None
    queryset = Assignment.objects.filter(user=user, sitting=sitting, status=AssignmentStatus.ACTIVE)
    if kinds:
        queryset = queryset.filter(kind__in=list(kinds))
    if declared:
        queryset = queryset.filter(declared_at__isnull=False)
    return queryset.select_related("examiner", "session").first()


def conflicted_enrolment_ids(assignment) -> set[int]:
    """Candidates this assigned person must not score or see (declared or found)."""
    return set(assignment.conflicts.values_list("enrolment_id", flat=True))


@dataclass(frozen=True)
class PassedResult:
    """A final passing result with the candidate snapshot certificates freeze (Art 20)."""

    result_id: int
    enrolment_id: int
    candidate_id: int
    real_name: str
    id_type: str
    id_number: str  # decrypted from the stored value; the certificate stores it with pii
    photo: object  # portal.Document or None
    occupation: object  # catalog.Occupation
    work_type: object  # catalog.WorkType or None
    level: object  # catalog.SkillLevel
    basis: dict
    session_id: int
    agency_id: int
    site_id: int
    first_sitting_on: dt.date | None
    last_sitting_on: dt.date | None
    final_at: dt.datetime
    scores: dict
    certificate_number: str  # "" until certificates recorded it


def final_passed_results(session) -> list[PassedResult]:
    """The session's final passing results, used by certificates and nothing else: only
    results whose notice closed without an upheld objection (status final, outcome passed)."""
    from assessments.models import AssessmentSession, Result, ResultOutcome, ResultStatus
    from portal.models import Document

    s = AssessmentSession.objects.select_related("occupation", "work_type", "level").get(
        pk=session.pk
    )
    # Plain values, no model per row: certificates issue 100,000 results in one batch, and
    # building five related models per row took most of that time.
    rows = (
        Result.objects.filter(session=s, status=ResultStatus.FINAL, outcome=ResultOutcome.PASSED)
        .order_by("enrolment__candidate__id_index", "pk")
        .values_list(
            "pk",
            "enrolment_id",
            "enrolment__candidate_id",
            "enrolment__real_name",
            "enrolment__candidate__id_type",
            "enrolment__candidate__id_number",
            "enrolment__photo_id",
            "final_at",
            "scores",
            "certificate_number",
        )
    )
    rows = list(rows)
    photos = Document.objects.in_bulk({row[6] for row in rows if row[6]})
    out = []
    for (
        pk,
        enrolment_id,
        candidate_id,
        name,
        id_type,
        id_number,
        photo,
        final,
        scores,
        number,
    ) in rows:
        out.append(
            PassedResult(
                result_id=pk,
                enrolment_id=enrolment_id,
                candidate_id=candidate_id,
                real_name=name,
                id_type=id_type,
                id_number=id_number,
                photo=photos.get(photo),
                occupation=s.occupation,
                work_type=s.work_type,
                level=s.level,
                basis=s.basis,
                session_id=s.pk,
                agency_id=s.agency_id,
                site_id=s.site_id,
                first_sitting_on=s.first_sitting_on,
                last_sitting_on=s.last_sitting_on,
                final_at=final,
                scores=scores,
                certificate_number=number,
            )
        )
    return out


# statistics and archive (Art 21)


def sessions_for_statistics(user) -> QuerySet:
    """The sessions an official's statistics count: filed (never drafts) at sites in their
    province (national: all)."""
    return access.visible(user, _sessions().exclude(status=SessionStatus.DRAFT))


def filter_statistics(sessions: QuerySet, data: dict) -> QuerySet:
    """The statistics' filters: the period by the last sitting, occupation (name or code),
    level."""
    if data.get("sat_from"):
        sessions = sessions.filter(last_sitting_on__gte=data["sat_from"])
    if data.get("sat_until"):
        sessions = sessions.filter(last_sitting_on__lte=data["sat_until"])
    if occupation := data.get("occupation"):
        sessions = sessions.filter(
            Q(occupation__name__icontains=occupation) | Q(occupation__code=occupation)
        )
    if data.get("level"):
        sessions = sessions.filter(level=data["level"])
    return sessions


# results: publication, rows on notice, reviews (Art 20) -----------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    """One passing candidate as the public page of a results notice shows them."""

    name: str  # masked 张*三
    id_number: str  # masked
    occupation: str
    level: str
    agency: str


def publication_of_notice(notice_id: int):
    from assessments.models import ResultPublication

    return (
        ResultPublication.objects.select_related(
            "notice",
            "session",
            "session__agency",
            "session__occupation",
            "session__work_type",
            "session__level",
            "session__site__province",
        )  # fmt: skip
        .filter(notice_id=notice_id)
        .first()
    )


def notice_result_rows(publication):
    """The passing results of one publication, in a stable order, for a paginator (a session
    of 2,000 pages through them; the rows are built per page by ``notice_rows``)."""
    from assessments.models import Result, ResultOutcome

    return (
        Result.objects.filter(publication=publication, outcome=ResultOutcome.PASSED)
        .select_related("enrolment__candidate")
        .order_by("enrolment__real_name", "pk")
    )


def notice_rows(results, session) -> list[NoticeRow]:
    from portal import pii

    occupation = session.occupation.name + (
        f"（{session.work_type.name}）" if session.work_type_id else ""
    )
    return [
        NoticeRow(
            name=pii.mask_name(r.enrolment.real_name),
            id_number=r.enrolment.candidate.masked_id,
            occupation=occupation,
            level=session.level.display,
            agency=session.agency.name,
        )
        for r in results
    ]


def session_results(session):
    """Every result of the session for its agency's page, with the candidate."""
    from assessments.models import Result

    return (
        Result.objects.filter(session=session)
        .select_related("enrolment__candidate", "publication")
        .order_by("enrolment__real_name", "pk")
    )


def reviews_of_session(session):
    from assessments.models import ScoreReview

    return (
        ScoreReview.objects.filter(result__session=session)
        .select_related("result__enrolment", "answered_by")
        .order_by("answered_at", "requested_at", "pk")
    )


def results_notices_for_official(user):
    """Results notices of the official's jurisdiction (the site's province; national: all)."""
    from assessments.services.results import NOTICE_KIND
    from portal import notices

    return notices.notices_for_official(user).filter(kind=NOTICE_KIND)


# assignment (Art 19): the person's own assignments across their agencies


def assignments_of_user(user):
    """Every assignment of ``user`` in every agency, newest sitting first."""
    from assessments.models import Assignment

    if user is None or not user.is_authenticated:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(user=user)
        .select_related("session__agency", "session__occupation", "session__level", "sitting__room")
        .order_by("-session__first_sitting_on", "sitting__date", "sitting__starts_at", "pk")
    )


def assignments_for_request(request):
    """The scoped source of the person's own assignment page."""
    return assignments_of_user(request.user)


def session_assignments(session):
    from assessments.models import Assignment

    return (
        Assignment.objects.filter(session=session)
        .select_related("examiner", "supervisor", "sitting__room", "user")
        .order_by("status", "sitting__date", "sitting__starts_at", "kind", "-is_leader", "pk")
    )


def superseding_publication(publication):
    """The session's later publication that replaced this one (the corrected list after an
    upheld objection), or None when this is the latest: its results moved to the later one."""
    return (
        publication.session.publications.filter(round__gt=publication.round)
        .select_related("notice")
        .order_by("-round")
        .first()
    )


# the sitting (Art 18, 19): attendance and incidents, read by scores and results


def attendance_of(session) -> dict[int, dict[int, str]]:
    """``{enrolment_id: {sitting_id: "present"|"absent"}}`` of the session's check-ins."""
    from assessments.models import Attendance

    out: dict[int, dict[int, str]] = {}
    rows = Attendance.objects.filter(sitting__session=session).values_list(
        "enrolment_id", "sitting_id", "status"
    )
    for enrolment_id, sitting_id, status in rows:
        out.setdefault(enrolment_id, {})[sitting_id] = status
    return out


def incident_effects(session) -> dict[int, str]:
    """``{enrolment_id: "void"|"disqualified"|"withheld"}``: what the session's incidents do
    to a candidate's result. An undecided incident withholds it; of decided ones,
    disqualification outweighs a void score; a warning has no effect (not listed)."""
    from assessments.models import Incident, IncidentDecision

    weight = {"withheld": 3, IncidentDecision.DISQUALIFIED: 2, IncidentDecision.VOID: 1}
    out: dict[int, str] = {}
    rows = Incident.objects.filter(sitting__session=session, enrolment__isnull=False).values_list(
        "enrolment_id", "decision"
    )
    for enrolment_id, decision in rows:
        effect = "withheld" if not decision else str(decision)
        if effect not in weight:
            continue
        if weight[effect] > weight.get(out.get(enrolment_id, ""), 0):
            out[enrolment_id] = effect
    return out
