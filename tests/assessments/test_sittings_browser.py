"""The sitting in the browser: the agency's staff allocate seats and issue tickets, then open
the batch to print (desktop); an invigilator on a phone (390 px) types a ticket number, sees
the card with the masked ID and marks the candidate present, then marks the rest absent after
the confirmation step."""

from __future__ import annotations

import pytest

from assessments.models import Attendance, Ticket
from assessments.services import sittings as svc
from tests.assessments.builders import assign_to_sitting, sitting_session
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_agency_allocates_seats_and_prints_tickets(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    session = sitting_session(world, candidates=3)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "gd_staff")
    page.goto(f"{live_server.url}/workspace/agency/{world.gd_agency.pk}/sessions/{session.pk}/")
    page.locator("main a[href$='/sittings/']").click()
    page.locator("#seats button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.locator("#tickets button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.reload()
    assert page.locator("#tickets a[href$='tickets.pdf']").count() == 1
    page.screenshot(path=screenshot_dir / "sitting-agency-tickets-1366.png", full_page=True)
    assert Ticket.objects.filter(enrolment__session=session).count() == 3


def test_an_invigilator_checks_candidates_in_on_a_phone(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    session = sitting_session(world, candidates=3)
    sitting = session.sittings.get()
    svc.allocate_seats(world.members["admin"], sitting, rule="random")
    svc.issue_tickets(world.members["admin"], session)
    assign_to_sitting(world, sitting, world.members["examiner"])
    ticket = (
        Ticket.objects.filter(enrolment__session=session)
        .select_related("enrolment__candidate")
        .first()
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "gd_examiner")
    page.goto(f"{live_server.url}/workspace/sittings/{sitting.pk}/checkin/")
    page.locator("[name=code]").fill(svc.format_code(ticket.code).lower())
    page.locator("#code button[type=submit]").click()
    assert ticket.enrolment.candidate.masked_id in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / "sitting-checkin-card-390.png", full_page=True)
    _fits(page, 390)
    page.locator("main form button[type=submit]").first.click()
    page.locator(".messages .message.success").wait_for()
    page.locator("#absent button[type=submit]").click()
    page.screenshot(path=screenshot_dir / "sitting-checkin-confirm-390.png", full_page=True)
    page.locator("main form button[type=submit]").first.click()
    page.locator(".messages .message.success").wait_for()
    page.screenshot(path=screenshot_dir / "sitting-checkin-done-390.png", full_page=True)
    _fits(page, 390)
    assert sorted(Attendance.objects.values_list("status", flat=True)) == [
        "absent", "absent", "present"
    ]  # fmt: skip
