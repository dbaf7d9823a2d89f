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
