"""Sessions in the browser: the agency's admin plans a session (a room too small for the
capacity refused first) and files it after the confirmation step; ``gd_official`` asks a
question on the filed plan; a worker on a phone (390 px) finds the session on ``/sessions/``
from the home page."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import services
from assessments.models import AssessmentSession, SessionStatus
from portal import clock
from tests.assessments.builders import planned_session, ready_agency
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_admin_plans_and_files_a_session(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    venue = ready_agency(world)
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    agency = world.gd_agency
    base = f"{live_server.url}/workspace/agency/{agency.pk}"
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{base}/")
    assert page.locator(f"nav a[href='/workspace/agency/{agency.pk}/sessions/']").count() == 1
    page.goto(f"{base}/sessions/")
    page.locator(f"main a[href='/workspace/agency/{agency.pk}/sessions/new/']").click()

    today = clock.today()
    page.locator("[name=venue]").select_option(str(venue.pk))
    page.locator("[name=city]").fill("深圳市")
    page.locator("[name=occupation]").select_option("6-31-01-03")
    page.locator("[name=level]").select_option("4")
    page.locator("[name=capacity]").fill("45")
    page.locator("[name=registration_opens]").fill((today + dt.timedelta(days=3)).isoformat())
    page.locator("[name=registration_closes]").fill((today + dt.timedelta(days=20)).isoformat())
    page.locator("[name=fee]").fill("260")
    page.locator("[name=how_to_register]").fill("携带身份证到深圳站报名。")
    page.locator("[name=sittings-0-method]").select_option("theory")
    page.locator("[name=sittings-0-date]").fill((today + dt.timedelta(days=30)).isoformat())
    page.locator("[name=sittings-0-starts_at]").fill("09:00")
    page.locator("[name=sittings-0-ends_at]").fill("11:00")
    page.locator("[name=sittings-0-room]").select_option(str(venue.rooms.get(kind="theory").pk))
    page.locator("[name=sittings-1-method]").select_option("")
    page.locator("main form button[type=submit]").click()

    # 45 candidates in a room of 40: refused above the sittings, nothing saved.
    problems = page.locator("#sittings .form-errors")
    assert "少于计划人数" in problems.inner_text()
    assert not AssessmentSession.objects.exists()
    problems.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / f"session-room-too-small-{width}.png", full_page=True)
    _fits(page, width)

    page.locator("[name=capacity]").fill("30")
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    session = AssessmentSession.objects.get()
    assert session.status == SessionStatus.DRAFT
    assert "电工国家职业技能标准" in page.content()
    page.screenshot(path=screenshot_dir / f"session-draft-{width}.png", full_page=True)
    _fits(page, width)

    page.locator("#file button[type=submit]").click()
    page.locator("main form button[type=submit]", has_text="报送备案").last.click()
    page.locator(".messages .message.success").wait_for()
    session.refresh_from_db()
    assert session.status == SessionStatus.FILED and session.filed_by.username == "gd_admin"
    page.screenshot(path=screenshot_dir / f"session-filed-{width}.png", full_page=True)
    _fits(page, width)


def test_the_official_asks_a_question_on_a_filed_plan(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    session = services.file_session(world.members["admin"], planned_session(world))
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/plans/?level=4")
    page.locator(f"main a[href='/workspace/plans/{session.pk}/']").click()
    page.locator("[name=q-text]").fill("请补充技能考场的设备清单。")
    page.locator("#ask button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    session.refresh_from_db()
    assert session.awaiting_answer and session.questions.get().asked_by == world.gd_official
    assert "等待机构答复" in page.content()
    page.screenshot(path=screenshot_dir / "plan-question-1366.png", full_page=True)


def test_a_worker_finds_the_session_on_a_phone(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    session = services.file_session(world.members["admin"], planned_session(world))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.locator("main a[href='/sessions/']").first.click()
    page.locator("[name=city]").fill("深圳")
    page.locator("[name=level]").select_option("4")
    page.locator("main form.filters button[type=submit]").click()
    page.locator(f"a[href='/sessions/{session.pk}/']").wait_for()
    page.screenshot(path=screenshot_dir / "public-sessions-390.png", full_page=True)
    _fits(page, 390)
    page.locator(f"a[href='/sessions/{session.pk}/']").click()
    assert "携带身份证" in page.content() and "260" in page.content()
    page.screenshot(path=screenshot_dir / "public-session-390.png", full_page=True)
    _fits(page, 390)
