"""Demo data of assignment (Art 19): a full staff for one session of the demo agency.

``assign_full_staff(session)`` takes a filed session of the 广东 demo agency (from
``assessments.demo``; the candidates stage may have enrolled people on it) and assigns, with
the services, as many examiners, invigilators and reviewers as its frozen basis asks for per
sitting (a group leader on each scoring sitting) and the internal quality supervisor
(演示督导员). Where the agency's demo examiners are too few or busy, more demo examiners are
recorded (演示考评员N, accounts ``agency_examiner_N`` with the demo password, synthetic IDs).
Every assigned person then declares: their employer is the agency itself (which assesses its
own staff, Art 16), and no conflict, except ``agency_examiner`` who declares one candidate
(when there are any) as a trainee, to show a declared conflict.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import (
    AssessmentSession,
    AssignmentKind,
    AssignmentStatus,
    Engagement,
    Examiner,
    Grade,
    QualitySupervisor,
    Sitting,
)
from assessments.services import assignments as staffing
from catalog.models import Occupation, SkillLevel
from portal import clock
from portal.models import Province, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXTRA_LIMIT = 40


def _admin(session) -> User:
    from portal.models import AgencyMembership

    return (
        AgencyMembership.objects.filter(agency=session.agency, role="admin")
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def _extra_examiner(admin, session, n: int) -> Examiner:
    """Demo examiner ``n`` (senior, every level of 电工), engaged by the session's agency."""
    from assessments.demo import _account, resident_id

    username = f"agency_examiner_{n}"
    user = _account(session.agency, username, f"演示考评员{n}", "examiner")
    existing = Examiner.objects.filter(user=user).first()
    if existing is not None:
        return existing
    today = clock.today()
    levels = SkillLevel.objects.in_bulk(["5", "1"])
    engagement, _created = services.add_person(
        admin,
        session.agency,
        "examiner",
        services.PersonInput(
            real_name=f"演示考评员{n}",
            id_type="resident_id",
            id_number=resident_id(f"44010619790101{n:03d}"),
            province=Province.objects.get(code="440000"),
            qualification_number=f"GD-KPY-2025-9{n:03d}",
            valid_from=today - dt.timedelta(days=365),
            valid_until=today + dt.timedelta(days=1500),
            grade=Grade.SENIOR,
            username=username,
            document=SimpleUploadedFile("资格证书.pdf", PDF, content_type="application/pdf"),
            occupations=[
                services.OccupationRange(
                    session.occupation or Occupation.objects.get(code="6-31-01-03"),
                    levels["5"],
                    levels["1"],
                )
            ],
        ),
    )
    return engagement.examiner


def _engaged_examiners(session) -> list[Examiner]:
    ids = Engagement.objects.filter(
        agency=session.agency, retired_on__isnull=True, examiner__isnull=False
    ).values("examiner")
    return list(Examiner.objects.filter(pk__in=ids, user__isnull=False).order_by("pk"))


def _try_assign(admin, sitting, kind, person, leader):
    """The assignment, or None when the person is refused (unqualified or busy)."""
    from django.core.exceptions import ValidationError

    try:
        return services.assign(admin, sitting, kind=kind, person=person, is_leader=leader)
    except ValidationError:
        return None


def assign_full_staff(session: AssessmentSession) -> list:
    """Staff ``session`` fully (see the module's text); the assignments it made."""
    admin = _admin(session)
    made = []
    extra = 0
    for need in staffing.staffing(session):
        if need.kind == AssignmentKind.SUPERVISOR:
            continue
        sitting: Sitting = need.sitting
        tried: set[int] = {a.examiner_id for a in need.assignments}
        while need.missing or need.leader_missing:
            candidates = [p for p in _engaged_examiners(session) if p.pk not in tried]
            if not candidates:
                extra += 1
                if extra > EXTRA_LIMIT:
                    raise RuntimeError("demo staffing: too many examiners needed")
                candidates = [_extra_examiner(admin, session, extra)]
            person = candidates[0]
            tried.add(person.pk)
            leader = need.leader_needed and not need.has_leader
            assignment = _try_assign(admin, sitting, need.kind, person, leader)
            if assignment is not None:
                made.append(assignment)
            need = next(n for n in staffing.staffing(session) if n.sitting == sitting)
    supervisor = QualitySupervisor.objects.filter(
        engagements__agency=session.agency, engagements__retired_on__isnull=True
    ).first()
    if (
        supervisor is not None
        and not session.assignments.filter(
            kind=AssignmentKind.SUPERVISOR, status=AssignmentStatus.ACTIVE
        ).exists()
    ):
        made.append(services.assign(admin, session, kind="supervisor", person=supervisor))
    _declare_all(session)
    return made


def _declare_all(session: AssessmentSession) -> None:
    candidates = list(
        staffing.candidates_to_declare(session.assignments.first())
        if session.assignments.exists()
        else []
    )
    for assignment in session.assignments.filter(
        status=AssignmentStatus.ACTIVE, declared_at__isnull=True
    ).select_related("user", "examiner", "supervisor", "session__agency"):
        conflicts = {}
        if assignment.user.username == "agency_examiner" and candidates:
            conflicts = {candidates[0].pk: ("trainee", "")}
        services.declare_conflicts(
            assignment.user,
            assignment,
            employer_name=session.agency.name,
            employer_uscc=session.agency.uscc,
            conflicts=conflicts,
        )


def seed(stdout=None) -> None:
    """Staff the demo agency's open session (registration open, filed)."""
    from portal.demo import DEMO_AGENCY_USCC

    session = (
        AssessmentSession.objects.filter(agency__uscc=DEMO_AGENCY_USCC, status="open")
        .order_by("first_sitting_on", "pk")
        .first()
    )
    if session is None or session.assignments.exists():
        return
    made = assign_full_staff(session)
    if stdout is not None:
        stdout.write(f"assessments: {len(made)} staff assigned to the demo session {session}")
