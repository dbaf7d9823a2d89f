"""Demo data of the sitting stage (Art 18, 19): for a session that already has its
assignments (invigilators declared, a supervisor), allocate the seats, issue the tickets,
check everyone in but one absentee, record one incident (decided or not) and file the
supervisor's report, all through the services. The clock is frozen on each sitting's day."""

from __future__ import annotations

from assessments.models import (
    AssessmentSession,
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    SeatRule,
    Ticket,
)
from assessments.services import sittings as services
from portal import clock


def _acting(session: AssessmentSession, sitting):
    """Someone assigned (declared) to the sitting, else the agency admin who planned it."""
    found = Assignment.objects.filter(
        sitting=sitting, status=AssignmentStatus.ACTIVE, declared_at__isnull=False
    ).first()
    return found.user if found else session.created_by


def advance(session: AssessmentSession, *, decided: bool = True) -> AssessmentSession:
    """Seats, tickets, check-in with one absentee, one incident (``decided``: a warning with a
    reason; otherwise open, so the candidate's result is withheld), the supervisor's report."""
    admin = session.created_by
    sittings = list(session.sittings.select_related("room").order_by("date", "starts_at"))
    for sitting in sittings:
        services.allocate_seats(admin, sitting, rule=SeatRule.RANDOM)
    services.issue_tickets(admin, session)
    tickets = list(
        Ticket.objects.filter(enrolment__session=session, enrolment__status="enrolled").order_by(
            "enrolment__pk"
        )
    )
    absentee = tickets[-1] if len(tickets) > 1 else None
    for index, sitting in enumerate(sittings):
        with clock.frozen(sitting.date):
            invigilator = _acting(session, sitting)
            for ticket in tickets:
                if ticket is absentee:
                    continue
                if services.checkin_refusal(sitting, ticket, invigilator) is None:
                    services.check_in(invigilator, sitting, ticket)
            if services.absentees_refusal(sitting, invigilator) is None:
                services.mark_absentees(invigilator, sitting)
            if index == 0 and tickets:
                incident = services.record_incident(
                    invigilator,
                    sitting,
                    kind="device",
                    description="开考后发现考生携带手机，已当场收缴并记录。",
                    enrolment=tickets[0].enrolment,
                )
                if decided:
                    services.decide_incident(
                        admin,
                        incident,
                        decision="warning",
                        reason="手机处于关机状态，未发现使用，予以警告。",
                    )
    supervisor = Assignment.objects.filter(
        session=session,
        kind=AssignmentKind.SUPERVISOR,
        status=AssignmentStatus.ACTIVE,
        declared_at__isnull=False,
    ).first()
    if supervisor is not None and sittings:
        with clock.frozen(sittings[-1].date):
            services.file_supervisor_report(
                supervisor.user,
                session,
                process="各场次按时开考，入场核验、座位编排和监考到位，视频监控正常。",
                incidents="一名考生携带手机，已按规定处理。",
                rating="minor",
            )
    return session
