"""Browser journey of the shell: a visitor reads the home page; officials and agency staff
sign in and see their Chinese workspace. Screenshots land in var/screenshots/."""

from __future__ import annotations

import pytest

from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_home_page(page, live_server, screenshot_dir):
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "职业技能等级认定服务平台"
    assert page.get_by_role("navigation", name="主导航").get_by_text("首页").is_visible()
    page.screenshot(path=screenshot_dir / "shell-home.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "shell-home-phone.png", full_page=True)


def test_officials_and_agency_staff_see_their_dashboards(page, live_server, world, screenshot_dir):
    sign_in(page, live_server, "gd_official")
    assert "省级人社部门官员" in page.content()
    page.screenshot(path=screenshot_dir / "shell-dashboard-provincial.png", full_page=True)
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, live_server, "gd_admin")
    page.get_by_role("link", name="广东测试评价中心").click()
    assert "机构管理员" in page.content()
    page.screenshot(path=screenshot_dir / "shell-dashboard-agency.png", full_page=True)


def test_the_language_switch_shows_english(page, live_server):
    page.goto(live_server.url + "/")
    page.select_option("#lang-select", "en")
    page.get_by_role("button", name="切换").click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == "Skill-Level Recognition Service Portal"
