"""The sitting (Art 18, 19; decision 0037): seats by a rule reproducible from its seed and
within the room's places per round; tickets with an unguessable code, a PDF whose QR opens
the check-in of that ticket, rendered anew when what it prints changes; check-in (present,
another session, absentees); incidents decided with a reason; the supervisor's report; the
queries results read."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import queries
from assessments.models import (
    Attendance,
    AttendanceStatus,
    Seat,
    SeatAllocation,
    Sitting,
    SupervisorReport,
    Ticket,
)
from assessments.services import sittings as svc
from portal import clock
from portal.models import AuditEntry
from tests.assessments.builders import assign_to_sitting, sitting_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sitting(session) -> Sitting:
    return session.sittings.select_related("room", "session__site").get()


# --- seats ---------------------------------------------------------------------------------


def test_the_random_plan_is_re_derived_from_its_recorded_seed(world):
    session = sitting_session(world, candidates=8)
    sitting = _sitting(session)
    allocation = svc.allocate_seats(world.members["admin"], sitting, rule="random")
    assert len(allocation.seed) == 32
    stored = list(
        Seat.objects.filter(sitting=sitting)
        .order_by("round", "number")
        .values_list("enrolment_id", "round", "number")
    )
    ids = list(session.enrolments.values_list("pk", flat=True))
    assert svc.seat_plan(svc.seat_order(ids, allocation.seed), sitting.room.places) == stored
    assert svc.seat_order(ids, "another seed") != svc.seat_order(ids, allocation.seed)
    entry = AuditEntry.objects.filter(action="assessments.sitting.seats_allocated").latest("pk")
    assert entry.changes["seed"][1] == allocation.seed


def test_id_order_and_the_rounds_fill_the_room_without_overflow(world):
    session = sitting_session(world, candidates=7, theory_places=3, rounds=3)
    sitting = _sitting(session)
    svc.allocate_seats(world.members["admin"], sitting, rule="id_order")
    seats = list(Seat.objects.filter(sitting=sitting).select_related("enrolment__candidate"))
    assert sorted((s.round, s.number) for s in seats) == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1)
    ]  # fmt: skip
    by_seat = sorted(seats, key=lambda s: (s.round, s.number))
    numbers = [s.enrolment.candidate.id_number for s in by_seat]
    assert numbers == sorted(numbers)
    assert SeatAllocation.objects.get(sitting=sitting).seed == ""


def test_too_many_candidates_for_the_places_and_rounds_are_refused(world):
    session = sitting_session(world, candidates=7, theory_places=3, rounds=2)
    sitting = _sitting(session)
    assert "7" in svc.allocation_refusal(sitting)
    with pytest.raises(ValidationError):
        svc.allocate_seats(world.members["admin"], sitting, rule="random")
    assert not Seat.objects.filter(sitting=sitting).exists()


def test_re_allocation_stops_once_check_in_started(world):
    session = sitting_session(world, candidates=3)
    sitting = _sitting(session)
    admin = world.members["admin"]
    first = svc.allocate_seats(admin, sitting, rule="random").seed
    second = svc.allocate_seats(admin, sitting, rule="random").seed
    assert first != second and SeatAllocation.objects.filter(sitting=sitting).count() == 1
    svc.issue_tickets(admin, session)
    svc.check_in(admin, sitting, Ticket.objects.filter(enrolment__session=session).first())
    with pytest.raises(ValidationError, match="Check-in|入场核验"):
        svc.allocate_seats(admin, sitting, rule="random")


# --- tickets -------------------------------------------------------------------------------


def _ticketed(world, candidates=3):
    session = sitting_session(world, candidates=candidates)
    sitting = _sitting(session)
    svc.allocate_seats(world.members["admin"], sitting, rule="random")
    svc.issue_tickets(world.members["admin"], session)
    return session, sitting


def test_tickets_need_seats_and_get_unguessable_unique_codes(world):
    session = sitting_session(world, candidates=4)
    assert svc.issue_refusal(session)
    with pytest.raises(ValidationError):
        svc.issue_tickets(world.members["admin"], session)
    svc.allocate_seats(world.members["admin"], _sitting(session), rule="id_order")
    assert svc.issue_tickets(world.members["admin"], session) == 4
    assert svc.issue_tickets(world.members["admin"], session) == 0  # once per candidate
    codes = list(Ticket.objects.filter(enrolment__session=session).values_list("code", flat=True))
    assert len(set(codes)) == 4
    assert all(len(c) == 10 and set(c) <= set(svc.TICKET_ALPHABET) for c in codes)
    assert not set("01OI") & set("".join(codes))


def test_the_ticket_pdf_carries_a_qr_of_the_check_in_url(
    world, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session, _s = _ticketed(world, candidates=1)
    ticket = Ticket.objects.select_related("document").get(enrolment__session=session)
    assert ticket.document.is_ready  # rendered after the commit (eager in tests)
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(ticket.document.file.read())
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", pdf, tmp_path / "t"], check=True
    )
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", tmp_path / "t.png"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == svc.checkin_url(ticket.code)
    assert decoded.endswith(f"/workspace/checkin/{ticket.code}/")
    enrolment = ticket.enrolment
    assert enrolment.real_name in text and enrolment.candidate.masked_id in text
    assert enrolment.candidate.id_number not in text
    assert "考场规则" in text and svc.format_code(ticket.code) in text


def test_a_change_of_what_is_printed_renders_the_ticket_again(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session, sitting = _ticketed(world, candidates=2)
    ticket = Ticket.objects.filter(enrolment__session=session).first()
    batch_doc = session.ticket_batch.document_id
    first = ticket.document_id
    assert svc.refresh_tickets(world.members["admin"], session) == 0  # nothing changed
    Sitting.objects.filter(pk=sitting.pk).update(starts_at=dt.time(8, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.refresh_tickets(world.members["admin"], session) == 2
    ticket.refresh_from_db()
    session.ticket_batch.refresh_from_db()
    assert ticket.document_id != first and ticket.document.is_ready
    assert session.ticket_batch.document_id != batch_doc


# --- check-in ------------------------------------------------------------------------------


def test_an_assigned_invigilator_checks_in_and_marks_the_rest_absent(world):
    session, sitting = _ticketed(world, candidates=3)
    invigilator = world.members["examiner"]
    assign_to_sitting(world, sitting, invigilator)
    tickets = list(Ticket.objects.filter(enrolment__session=session).order_by("pk"))
    svc.check_in(invigilator, sitting, tickets[0])
    assert svc.checkin_refusal(sitting, tickets[0], invigilator)  # already checked in
    with pytest.raises(ValidationError):
        svc.check_in(invigilator, sitting, tickets[0])
    assert svc.mark_absentees(invigilator, sitting) == 2
    assert svc.absentees_refusal(sitting, invigilator)
    attendance = queries.attendance_of(session)
    assert attendance[tickets[0].enrolment_id] == {sitting.pk: AttendanceStatus.PRESENT}
    assert attendance[tickets[1].enrolment_id] == {sitting.pk: AttendanceStatus.ABSENT}


def test_a_ticket_of_another_session_is_refused_with_a_clear_message(world):
    _session, sitting = _ticketed(world, candidates=1)
    other, _other_sitting = _ticketed(world, candidates=1)
    foreign = Ticket.objects.get(enrolment__session=other)
    refusal = svc.checkin_refusal(sitting, foreign, world.members["admin"])
    assert "another session" in refusal or "其他批次" in refusal
    with pytest.raises(ValidationError):
        svc.check_in(world.members["admin"], sitting, foreign)
    assert not Attendance.objects.exists()


def test_check_in_waits_for_the_day_of_the_sitting(world):
    session, sitting = _ticketed(world, candidates=1)
    ticket = Ticket.objects.get(enrolment__session=session)
    with clock.frozen(sitting.date - dt.timedelta(days=1)):
        assert svc.checkin_refusal(sitting, ticket, world.members["admin"])


def test_undeclared_or_unassigned_people_cannot_check_in(world):
    session, sitting = _ticketed(world, candidates=1)
    ticket = Ticket.objects.get(enrolment__session=session)
    assign_to_sitting(world, sitting, world.members["examiner"], declared=False)
    for user in (world.members["examiner"], world.members["quality_supervisor"], world.hlj_admin):
        with pytest.raises(PermissionDenied):
            svc.check_in(user, sitting, ticket)


# --- incidents and the report ---------------------------------------------------------------


def test_an_incident_withholds_until_decided_with_a_reason(world):
    session, sitting = _ticketed(world, candidates=2)
    invigilator = world.members["examiner"]
    assign_to_sitting(world, sitting, invigilator)
    enrolment = session.enrolments.first()
    incident = svc.record_incident(
        invigilator, sitting, kind="device", description="携带手机", enrolment=enrolment
    )
    assert queries.incident_effects(session) == {enrolment.pk: "withheld"}
    with pytest.raises(PermissionDenied):  # the invigilator does not decide
        svc.decide_incident(invigilator, incident, decision="void", reason="x")
    with pytest.raises(ValidationError) as refused:
        svc.decide_incident(world.members["admin"], incident, decision="void", reason=" ")
    assert "reason" in refused.value.message_dict
    svc.decide_incident(world.members["admin"], incident, decision="void", reason="考场使用手机")
    assert queries.incident_effects(session) == {enrolment.pk: "void"}
    warning = svc.record_incident(invigilator, sitting, kind="other", description="迟到")
    svc.decide_incident(world.members["staff"], warning, decision="warning", reason="提醒")
    assert queries.incident_effects(session) == {enrolment.pk: "void"}
    assert AuditEntry.objects.filter(action="assessments.incident.decide").count() == 2


def test_the_supervisor_files_one_report_after_the_sitting(world):
    session, sitting = _ticketed(world, candidates=1)
    supervisor = world.members["quality_supervisor"]
    with pytest.raises(PermissionDenied):
        svc.file_supervisor_report(supervisor, session, process="x", incidents="", rating="good")
    assign_to_sitting(world, sitting, supervisor, kind="supervisor", n=2)
    with clock.frozen(sitting.date - dt.timedelta(days=1)):
        assert svc.report_refusal(session, supervisor)
    with pytest.raises(ValidationError) as refused:
        svc.file_supervisor_report(supervisor, session, process="", incidents="", rating="good")
    assert "process" in refused.value.message_dict
    report = svc.file_supervisor_report(
        supervisor, session, process="秩序良好", incidents="无", rating="good"
    )
    assert report.supervisor.user_id == supervisor.pk
    with pytest.raises(ValidationError):
        svc.file_supervisor_report(supervisor, session, process="再", incidents="", rating="good")
    assert SupervisorReport.objects.filter(session=session).count() == 1


def test_a_worker_finds_tickets_only_with_the_right_name(world):
    session, _s = _ticketed(world, candidates=1)
    enrolment = session.enrolments.select_related("candidate").get()
    number = enrolment.candidate.id_number
    found = svc.tickets_of_worker(enrolment.real_name, "resident_id", number)
    assert [t.enrolment_id for t in found] == [enrolment.pk]
    assert svc.tickets_of_worker("别人", "resident_id", number) == []
    assert svc.tickets_of_worker(enrolment.real_name, "resident_id", "110101199001011234") == []
    token = svc.ticket_link_token(found[0])
    assert svc.ticket_from_token(token).pk == found[0].pk
    assert svc.ticket_from_token(token + "x") is None


def test_the_demo_advances_a_session_through_the_sitting(world):
    from assessments import demo_sitting

    session = sitting_session(world, candidates=4, days=3)
    sitting = _sitting(session)
    assign_to_sitting(world, sitting, world.members["examiner"])
    assign_to_sitting(world, sitting, world.members["quality_supervisor"], kind="supervisor", n=4)
    with clock.frozen(sitting.date):
        demo_sitting.advance(session, decided=False)
    marks = queries.attendance_of(session)
    assert sorted(s for row in marks.values() for s in row.values()) == [
        "absent", "present", "present", "present"
    ]  # fmt: skip
    assert list(queries.incident_effects(session).values()) == ["withheld"]
    assert SupervisorReport.objects.filter(session=session).exists()
