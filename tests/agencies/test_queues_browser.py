"""The official's dashboard and vetting queue in the browser, on a desktop (1366 px) and a
phone (390 px), with the process tracker of an application on notice (docs/decisions/0027).
The pipeline is built on the Monday of last week, so the waiting times are real."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import clock
from tests.agencies.builders import vetting_pipeline
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_officials_dashboard_queue_and_tracker(page, live_server, world, media, screenshot_dir):
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    pipeline = vetting_pipeline(world, monday)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "gd_official")
    panel = page.locator("section.panel", has_text="1 份申请待作出审批决定")
    assert "已等待" in panel.inner_text() and "个工作日" in panel.inner_text()
    assert "1 件异议待处理" in page.content()
    page.screenshot(path=screenshot_dir / "queues-dashboard-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "queues-dashboard-390.png", full_page=True)

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("a", has_text="1 份申请待作出审批决定").click()
    assert "天河技能评价中心" in page.content() and "白云职业评价中心" not in page.content()
    page.goto(f"{live_server.url}/workspace/agencies/applications/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 4  # what waits for the official, longest waiting first
    assert "待材料核验" in rows.nth(0).inner_text()
    page.screenshot(path=screenshot_dir / "queues-vetting-desktop.png", full_page=True)
    page.get_by_label("名称或统一社会信用代码").fill("白云")
    page.get_by_role("button", name="搜索").click()
    assert page.locator("table tbody tr").count() == 1
    page.goto(f"{live_server.url}/workspace/agencies/applications/?status=all&sort=bogus")
    assert "已忽略：排序。" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "queues-vetting-390.png", full_page=True)

    page.goto(f"{live_server.url}/workspace/agencies/applications/{pipeline['notice'].pk}/")
    tracker = page.locator("ol.tracker")
    assert tracker.locator("li[aria-current=step]").inner_text().startswith("公示")
    top, height = page.evaluate(
        "() => { const r = document.querySelector('ol.tracker').getBoundingClientRect();"
        " return [r.top + window.scrollY, r.height]; }"
    )
    clip = {"x": 0, "y": top - 8, "width": 390, "height": height + 16}
    page.screenshot(path=screenshot_dir / "queues-tracker-390.png", full_page=True, clip=clip)
    page.set_viewport_size({"width": 1366, "height": 900})
    tracker.screenshot(path=screenshot_dir / "queues-tracker-desktop.png")
