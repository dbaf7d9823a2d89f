"""The diploma check in the browser at 390 px: the agency's staff finds the candidate 学历待核验,
uploads the diploma, ticks the confirmation and the mark goes away."""

from __future__ import annotations

import pytest

from assessments.services import candidates as cs
from tests.assessments.builders import open_session
from tests.assessments.test_education import by_education
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_uploads_and_confirms_the_diploma(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": 390, "height": 844})
    session = open_session(world)
    enrolment = cs.enrol(world.members["admin"], session, by_education(7))
    base = f"{live_server.url}/workspace/agency/{world.gd_agency.pk}/sessions/{session.pk}"
    sign_in(page, live_server, "gd_staff")
    page.goto(f"{base}/candidates/")
    assert page.locator("main .badge:has-text('学历待核验')").count() == 1
    page.locator("main a:has-text('核验学历')").click()
    page.locator("[name=diploma]").set_input_files(
        {"name": "毕业证.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.locator("[name=confirmed]").check()
    page.screenshot(path=screenshot_dir / "education-check-390.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.locator("main a:has-text('学历证书')").wait_for()
    assert "学历待核验" not in page.content() and "学历已核验" in page.content()
    page.screenshot(path=screenshot_dir / "education-confirmed-390.png", full_page=True)
    enrolment.refresh_from_db()
    assert enrolment.education_confirmed_at is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
