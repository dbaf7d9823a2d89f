"""Results in the browser: the agency's admin publishes a session's results after the
confirmation step; a member of the public on a phone (390 px) finds the results notice with
the kind filter, reads it and its rows of those who passed (names and IDs masked)."""

from __future__ import annotations

import pytest

from assessments.models import ResultPublication, ResultStatus
from assessments.services import results as services
from tests.assessments.builders import sat_session
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_the_agency_publishes_results(page, live_server, world, screenshot_dir, width):
    session = sat_session(world)
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    base = f"{live_server.url}/workspace/agency/{world.gd_agency.pk}"
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{base}/sessions/{session.pk}/")
    page.locator(f"main a[href$='/sessions/{session.pk}/results/']").click()
    assert "应公示日期" in page.content()
    page.screenshot(path=screenshot_dir / f"results-before-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("#publish button[type=submit]").click()
    assert "3 名考生的成绩将公示 5 个工作日" in page.content()
    page.screenshot(path=screenshot_dir / f"results-confirm-{width}.png", full_page=True)
    assert not ResultPublication.objects.exists()  # nothing before the confirmation
    page.locator("main form button[type=submit]", has_text="公示成绩").last.click()
    page.locator(".messages .message.success").wait_for()
    assert set(session.results.values_list("status", flat=True)) == {ResultStatus.ON_NOTICE}
    assert "第 1 次公示" in page.content()
    page.screenshot(path=screenshot_dir / f"results-published-{width}.png", full_page=True)
    _fits(page, width)


def test_the_public_reads_a_results_notice_on_a_phone(page, live_server, world, screenshot_dir):
    session = sat_session(world)
    publication = services.publish_results(world.members["admin"], session)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/notices/")
    page.locator("[name=kind]").select_option(services.NOTICE_KIND)
    page.locator("main form[role=search] button[type=submit]").click()
    page.screenshot(path=screenshot_dir / "results-notices-phone.png", full_page=True)
    _fits(page, 390)
    page.locator(f"main a[href='/notices/{publication.notice_id}/']").click()
    assert "2 名考生合格" in page.content()
    page.screenshot(path=screenshot_dir / "results-notice-phone.png", full_page=True)
    _fits(page, 390)
    page.locator(f"main a[href='/notices/{publication.notice_id}/results/']").click()
    body = page.content()
    assert "李**1" in body and "李考生1" not in body
    page.screenshot(path=screenshot_dir / "results-rows-phone.png", full_page=True)
    _fits(page, 390)


def test_a_worker_looks_up_their_result_and_asks_for_a_review_on_a_phone(
    page, live_server, world, settings, screenshot_dir
):
    from assessments.models import ScoreReview
    from tests.assessments.builders import candidate_id

    settings.CAPTCHA_ENABLED = False
    session = sat_session(world)
    services.publish_results(world.members["admin"], session)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/results/")
    page.locator("[name=ticket]").fill(f"T{session.pk}-1")
    page.locator("[name=name]").fill("李考生1")
    page.locator("[name=id_number]").fill(candidate_id(1))
    page.locator("main form button[type=submit]", has_text="查询").click()
    assert "理论知识考试" in page.content() and "公示中" in page.content()
    assert candidate_id(1) not in page.content()
    page.screenshot(path=screenshot_dir / "results-lookup-phone.png", full_page=True)
    _fits(page, 390)
    page.locator("[name=contact]").fill("13800000001")
    page.locator("[name=request]").fill("技能操作成绩偏低，申请复核。")
    page.locator("main form button[type=submit]", has_text="申请复核").click()
    review = ScoreReview.objects.get()
    assert review.tracking_code[:4] in page.content()
    page.screenshot(path=screenshot_dir / "results-review-sent-phone.png", full_page=True)
    _fits(page, 390)
