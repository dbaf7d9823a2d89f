"""At 390 px: the objection's confirmation (copy, print, pre-filled tracking, due date) and an
occupation's page with the agencies that may assess it. Screenshots in var/screenshots/."""

from __future__ import annotations

import re

import pytest

from portal import notices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def notice(world, settings, tmp_path):
    settings.CAPTCHA_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    notices.register_kind(
        "tests.browser.confirmation",
        label="评价机构遴选结果",
        on_stood=lambda notice: None,
        on_overturned=lambda notice, objection: None,
    )
    return notices.publish_notice(
        world.gd_official,
        world.gd_agency,
        kind="tests.browser.confirmation",
        title="关于广东测试评价中心拟纳入评价机构目录的公示",
        body="拟确定广东测试评价中心为社会培训评价组织，评价职业（工种）范围：电工（四级、三级）。",
        period_working_days=5,
        jurisdiction="440000",
        agency=world.gd_agency,
    )


def test_the_objection_confirmation_on_a_phone(page, live_server, notice, screenshot_dir):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/notices/{notice.pk}/")
    page.locator("[name=name]").fill("李四")
    page.locator("[name=contact]").fill("13800138000")
    page.locator("[name=content]").fill("该机构申报的考评场地实际为临时租用。")
    page.locator("#objection button[type=submit]").click()
    code = page.locator("#tracking-code").inner_text()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}", code)
    due = notices.answer_due_on(notices.Objection.objects.get().submitted_at)
    due_text = f"{due.year}年{due.month}月{due.day}日"
    assert due_text in page.locator("main").inner_text()

    copy = page.get_by_role("button", name="复制查询码")
    assert copy.is_visible() and page.get_by_role("button", name="打印本页").is_visible()
    copy.click()
    page.locator(".copy-status", has_text="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "objection-confirmation-phone.png", full_page=True)

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not copy.is_visible() and page.locator("#tracking-code").is_visible()
    page.screenshot(path=screenshot_dir / "objection-confirmation-print.png", full_page=True)
    page.emulate_media(media="screen")

    page.get_by_role("button", name="查询本异议的办理情况").click()
    page.wait_for_url(f"{live_server.url}/notices/track/")
    assert page.locator("[name=code]").input_value() == code
    result = page.locator("section.panel").inner_text()
    assert notice.title in result and "答复期限" in result and due_text in result
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "objection-tracked-phone.png", full_page=True)


def test_the_occupation_page_lists_its_agencies_on_a_phone(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    from catalog import reference
    from tests.agencies.builders import list_agency

    settings.MEDIA_ROOT = tmp_path
    reference.load()  # transactional tests flush what the migrations loaded
    list_agency(world, world.gd_agency, world.members["admin"], levels=("4", "3"))
    list_agency(world, world.hlj_agency, world.hlj_admin, levels=("5",))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/catalog/occupations/6-31-01-03/")
    section = page.locator("section.occupation-agencies")
    section.scroll_into_view_if_needed()
    assert section.get_by_role("heading", name="广东省").is_visible()
    assert section.get_by_role("heading", name="黑龙江省").is_visible()
    assert "三级/高级工、四级/中级工" in section.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "occupation-agencies-phone.png", full_page=True)
    section.get_by_role("link", name=world.gd_agency.name).click()
    page.wait_for_url(f"{live_server.url}/directory/{world.gd_agency.pk}/")
    assert world.gd_agency.name in page.locator("h1").inner_text()
