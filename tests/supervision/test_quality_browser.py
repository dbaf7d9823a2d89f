"""An external quality supervisor files a report and the agency reads it (Art 26), on a
desktop and a phone (390 px): from the supervisor's visits to the visit page with the
session's read-only pages, the report form, the confirmation page, the filed report; then the
agency's admin opens the report in the agency workspace."""

from __future__ import annotations

import pytest

from supervision.models import VisitState
from tests.portal.builders import sign_in
from tests.supervision.builders_quality import drawn_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FINDING = "第3考场座位号标签脱落，考生入场需引导。"


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_a_supervisor_files_a_report_and_the_agency_reads_it(
    page, live_server, world, screenshot_dir, width
):
    visit = drawn_visit(world)
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    sign_in(page, live_server, "expert")
    page.goto(f"{live_server.url}/workspace/")
    page.screenshot(path=screenshot_dir / f"quality-dashboard-{width}.png", full_page=True)
    assert "待提交报告" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/workspace/supervision/quality/")
    page.locator(f"main a[href='/workspace/supervision/quality/{visit.pk}/']").click()
    text = page.locator("main").inner_text()
    assert "本场次记录（只读）" in text and "本场次成绩" in text
    page.screenshot(path=screenshot_dir / f"quality-visit-{width}.png", full_page=True)
    _fits(page, width)
    page.get_by_role("link", name="填写督导报告").click()
    page.get_by_label("考务组织实施情况").fill("身份核验规范，监考到位，评分记录完整。")
    page.get_by_label("合格").check()
    page.get_by_label("问题 1：严重程度").select_option("minor")
    page.get_by_label("问题 1：问题描述").fill(FINDING)
    page.screenshot(path=screenshot_dir / f"quality-report-form-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main form button[type=submit]").click()
    assert "督导报告只能提交一次" in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"quality-report-confirm-{width}.png", full_page=True)
    _fits(page, width)
    visit.refresh_from_db()
    assert visit.state == VisitState.ASSIGNED
    page.locator("main form button[name=confirmed]").click()
    page.locator(".messages .message.success").wait_for()
    visit.refresh_from_db()
    assert (visit.state, visit.rating) == (VisitState.REPORTED, "acceptable")
    assert FINDING in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"quality-visit-reported-{width}.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{live_server.url}/workspace/agency/{visit.agency_id}/supervision/quality/")
    page.locator(
        f"main a[href='/workspace/agency/{visit.agency_id}/supervision/quality/{visit.pk}/']"
    ).click()
    text = page.locator("main").inner_text()
    assert FINDING in text and "合格" in text and "外部质量督导员" in text
    page.screenshot(path=screenshot_dir / f"quality-agency-report-{width}.png", full_page=True)
    _fits(page, width)
