"""Scores in the browser: two examiners enter their skill marks on their own pages (one on a
phone, 390 px), the agency's admin accepts the theory double entry, submits both methods and
computes the results."""

from __future__ import annotations

import pytest

from assessments.models import Mark, MethodScore, Result
from assessments.services import scores as sc
from tests.assessments.builders import scoring_session
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _marks(page, live_server, s, username, values, width, screenshot_dir, name):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    sign_in(page, live_server, username)
    page.goto(f"{live_server.url}/workspace/scores/sitting/{s.skill.pk}/marks/")
    for enrolment, value in zip(s.people, values, strict=True):
        page.locator(f"[name=mark_{enrolment.pk}]").fill(str(value))
    page.screenshot(path=screenshot_dir / f"scores-marks-{name}-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("button[name=action][value=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.screenshot(path=screenshot_dir / f"scores-marks-{name}-done-{width}.png", full_page=True)
    _fits(page, width)
    page.context.clear_cookies()


def test_two_examiners_mark_and_the_agency_computes_results(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    s = scoring_session(world, tag="b")
    first, second = s.panel
    _marks(page, live_server, s, first.user.username, [80, 72.5, 55, 66], 1366, screenshot_dir,
           "first")  # fmt: skip
    assert not MethodScore.objects.filter(method="skill").exists()
    _marks(page, live_server, s, second.user.username, [84, 70, 57, 64], 390, screenshot_dir,
           "second-phone")  # fmt: skip
    assert Mark.objects.filter(submitted_at__isnull=False).count() == 8
    assert MethodScore.objects.get(enrolment=s.people[0], method="skill").value == 82

    for user in (world.members["admin"], world.members["staff"]):
        sc.enter_theory(user, s.theory, values={e.pk: 61 + i for i, e in enumerate(s.people)})
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, world.members["admin"].username)
    page.goto(f"{live_server.url}/workspace/agency/{world.gd_agency.pk}/sessions/{s.session.pk}/")
    page.locator("main a", has_text="成绩").first.click()
    page.screenshot(path=screenshot_dir / "scores-session-before-1366.png", full_page=True)
    page.locator("#method-theory a", has_text="理论成绩").click()
    page.locator("button[name=action][value=accept]").click()
    page.locator(".messages .message.success").wait_for()
    page.goto(f"{live_server.url}/workspace/scores/{s.session.pk}/")
    page.locator("#method-theory button[name=action][value=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.locator("#method-skill button[name=action][value=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.screenshot(path=screenshot_dir / "scores-session-locked-1366.png", full_page=True)
    page.locator("#results button[name=action][value=compute]").click()
    page.locator(".messages .message.success").wait_for()
    page.screenshot(path=screenshot_dir / "scores-results-1366.png", full_page=True)
    _fits(page, 1366)
    outcomes = dict(Result.objects.values_list("enrolment_id", "outcome"))
    assert outcomes[s.people[2].pk] == "failed"  # skill 56 of pass mark 60
    assert list(outcomes.values()).count("passed") == 3
    assert "不合格" in page.content() or "未达" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=screenshot_dir / "scores-results-390.png", full_page=True)
    _fits(page, 390)
