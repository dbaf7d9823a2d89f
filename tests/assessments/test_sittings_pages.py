"""Pages of the sitting: the agency's seats-and-tickets page and downloads, the check-in on a
phone (typed code, the QR's URL, another session, absentees with a confirm step), access (an
unassigned or undeclared examiner gets 404), incidents, the supervisor's report, the worker's
ticket download (no-store; the same answer for an unknown person and a wrong name)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Attendance, AttendanceStatus, Incident, Ticket
from assessments.services import sittings as svc
from tests.assessments.builders import assign_to_sitting, sitting_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_ENABLED = False


@pytest.fixture
def ticketed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = sitting_session(world, candidates=3)
        sitting = session.sittings.get()
        svc.allocate_seats(world.members["admin"], sitting, rule="random")
        svc.issue_tickets(world.members["admin"], session)
    return session, sitting


def test_the_agency_allocates_issues_and_downloads(
    client, world, django_capture_on_commit_callbacks
):
    session = sitting_session(world, candidates=2)
    sitting = session.sittings.get()
    client.force_login(world.members["staff"])
    url = reverse("assessments:sittings", args=[world.gd_agency.pk, session.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "allocate", "sitting": sitting.pk, "rule": "id_order"})
        client.post(url, {"action": "issue"})
    page = client.get(url).content.decode()
    ticket = Ticket.objects.filter(enrolment__session=session).first()
    assert ticket.code in page and ticket.enrolment.candidate.id_number not in page
    batch = client.get(reverse("assessments:tickets_pdf", args=[world.gd_agency.pk, session.pk]))
    assert batch.status_code == 200 and batch["Content-Type"] == "application/pdf"
    one = client.get(
        reverse("assessments:ticket_pdf", args=[world.gd_agency.pk, session.pk, ticket.pk])
    )
    assert one.status_code == 200


def test_an_invigilator_checks_in_by_code_and_by_the_qr(client, world, ticketed):
    session, sitting = ticketed
    invigilator = world.members["examiner"]
    assign_to_sitting(world, sitting, invigilator)
    client.force_login(invigilator)
    home = reverse("assessments:checkin", args=[sitting.pk])
    assert client.get(home).status_code == 200
    first, second, _third = Ticket.objects.filter(enrolment__session=session).order_by("pk")
    typed = client.post(home, {"action": "code", "code": svc.format_code(first.code).lower()})
    assert typed.url == reverse("assessments:checkin_ticket", args=[sitting.pk, first.code])
    card = client.get(typed.url)
    assert first.enrolment.candidate.masked_id in card.content.decode()
    assert card["Cache-Control"] == "no-store"
    client.post(typed.url, {"action": "present"})
    scanned = client.get(reverse("assessments:checkin_scan", args=[second.code]))
    target = reverse("assessments:checkin_ticket", args=[sitting.pk, second.code])
    assert scanned.status_code == 200 and f'action="{target}"' in scanned.content.decode()
    client.post(target, {"action": "present"})
    assert Attendance.objects.filter(sitting=sitting, status=AttendanceStatus.PRESENT).count() == 2
    confirm = client.post(home, {"action": "absent"})
    assert confirm.status_code == 200 and not Attendance.objects.filter(status="absent").exists()
    client.post(home, {"action": "absent", "confirmed": "1"})
    assert Attendance.objects.filter(sitting=sitting, status=AttendanceStatus.ABSENT).count() == 1


def test_a_ticket_of_another_session_says_so(
    client, world, ticketed, django_capture_on_commit_callbacks
):
    _session, sitting = ticketed
    other = sitting_session(world, candidates=1)
    svc.allocate_seats(world.members["admin"], other.sittings.get(), rule="random")
    svc.issue_tickets(world.members["admin"], other)
    foreign = Ticket.objects.get(enrolment__session=other)
    client.force_login(world.members["admin"])
    page = client.get(reverse("assessments:checkin_ticket", args=[sitting.pk, foreign.code]))
    text = page.content.decode()
    assert page.status_code == 200 and foreign.enrolment.real_name not in text
    assert str(svc.checkin_refusal(sitting, foreign)) in text


def test_unassigned_and_undeclared_examiners_get_404(client, world, ticketed):
    session, sitting = ticketed
    ticket = Ticket.objects.filter(enrolment__session=session).first()
    urls = [
        reverse("assessments:checkin", args=[sitting.pk]),
        reverse("assessments:checkin_ticket", args=[sitting.pk, ticket.code]),
        reverse("assessments:checkin_scan", args=[ticket.code]),
        reverse("assessments:incident_new", args=[sitting.pk]),
    ]
    client.force_login(world.members["examiner"])
    assert {client.get(u).status_code for u in urls} == {404}
    assign_to_sitting(world, sitting, world.members["examiner"], declared=False)
    assert {client.get(u).status_code for u in urls} == {404}


def test_incidents_are_recorded_then_decided_with_a_reason(client, world, ticketed):
    session, sitting = ticketed
    invigilator = world.members["examiner"]
    assign_to_sitting(world, sitting, invigilator)
    client.force_login(invigilator)
    enrolment = session.enrolments.first()
    client.post(
        reverse("assessments:incident_new", args=[sitting.pk]),
        {"kind": "device", "enrolment": enrolment.pk, "description": "携带手机"},
    )
    incident = Incident.objects.get(sitting=sitting)
    client.force_login(world.members["admin"])
    url = reverse("assessments:incident", args=[world.gd_agency.pk, session.pk, incident.pk])
    missing = client.post(url, {"decision": "void", "reason": ""})
    assert missing.status_code == 200 and "reason" in missing.context["form"].errors
    client.post(url, {"decision": "void", "reason": "考场使用手机"})
    incident.refresh_from_db()
    assert incident.decision == "void" and incident.decision_reason == "考场使用手机"


def test_the_report_is_filed_by_the_supervisor_and_read_by_the_province(client, world, ticketed):
    session, sitting = ticketed
    url = reverse("assessments:supervisor_report", args=[session.pk])
    assign_to_sitting(world, sitting, world.members["quality_supervisor"], kind="supervisor", n=3)
    client.force_login(world.members["quality_supervisor"])
    client.post(url, {"process": "秩序良好", "incidents": "", "rating": "good"})
    for user, status in (
        (world.gd_official, 200), (world.members["admin"], 200), (world.hlj_official, 404),
    ):  # fmt: skip
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == status
        if status == 200:
            assert "秩序良好" in page.content.decode()


def test_the_worker_downloads_tickets_and_learns_nothing_else(client, world, ticketed):
    session, _sitting = ticketed
    enrolment = session.enrolments.select_related("candidate").first()
    url = reverse("assessments:ticket_lookup")
    right = client.post(url, {"real_name": enrolment.real_name, "id_type": "resident_id",
                              "id_number": enrolment.candidate.id_number})  # fmt: skip
    assert right["Cache-Control"].startswith("no-store") or "no-store" in right["Cache-Control"]
    link = right.context["found"][0]["token"]
    pdf = client.get(reverse("assessments:ticket_download", args=[link]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    wrong_name = client.post(url, {"real_name": "别人", "id_type": "resident_id",
                                   "id_number": enrolment.candidate.id_number})  # fmt: skip
    nobody = client.post(url, {"real_name": enrolment.real_name, "id_type": "resident_id",
                               "id_number": "110101199003077777"})  # fmt: skip
    assert wrong_name.context["found"] == nobody.context["found"] == []
    assert _body(wrong_name) == _body(nobody)


def _body(response) -> str:
    """The page without what changes per request (the CSRF token)."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
