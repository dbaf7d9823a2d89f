"""An official publishes a spot-check result from the tracker and a member of the public reads
it on the plan's results page (Art 25; decision 0056), on a desktop and a phone (390 px)."""

from __future__ import annotations

import pytest

from supervision.models import Inspection, InspectionState
from tests.portal.builders import sign_in
from tests.supervision import builders_publication as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_an_official_publishes_and_the_public_reads_the_result(
    page, live_server, world, screenshot_dir, width
):
    built = b.build(world)
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    results = f"{live_server.url}/spot-checks/{built.plan.pk}/results/"

    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/")
    panel = page.locator("main").inner_text()
    assert "2 项检查结果待公布" in panel
    page.screenshot(path=screenshot_dir / f"publication-dashboard-{width}.png", full_page=True)
    _fits(page, width)
    page.get_by_role("link", name="待公布结果").first.click()
    assert "待公布的抽查结果" in page.locator("h1").inner_text()
    row = page.locator(f"#inspection-{built.clean.pk}")
    assert "剩余" in row.inner_text()
    page.screenshot(path=screenshot_dir / f"publication-tracker-{width}.png", full_page=True)
    _fits(page, width)
    row.get_by_role("link", name="公布…").click()
    text = page.locator("main").inner_text()
    assert "确认公布检查结果" in text and "未发现问题" in text and "不接受异议" in text
    page.screenshot(path=screenshot_dir / f"publication-confirm-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main form button[name=confirmed]").click()
    page.locator(".messages .message.success").wait_for()
    assert Inspection.objects.get(pk=built.clean.pk).state == InspectionState.PUBLISHED
    assert "没有待公布" not in page.locator("main").inner_text()  # the other one still waits

    page.context.clear_cookies()
    page.goto(results)
    clean = page.locator("#object-2").inner_text()
    assert "未发现问题" in clean and "公布" in clean
    assert "检查中" in page.locator("#object-1").inner_text()
    assert "5e" * 32 in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"publication-results-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("#object-2 a[href^='/notices/']").click()
    text = page.locator("main").inner_text()
    assert "本公告公开检查结果，不接受异议。" in text and "提交异议" not in text
    assert b.INSPECTOR_NAME not in text
    page.screenshot(path=screenshot_dir / f"publication-notice-{width}.png", full_page=True)
    _fits(page, width)
