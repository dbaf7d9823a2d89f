"""Browser checks of issue 11's wording pages at 1366 and 390 px: the sign-in page's name, the
catalogue's legend, hints and filter note, the directory's hint, and the national officials'
authorities page. Screenshots land in var/screenshots/ (wording-*.png)."""

from __future__ import annotations

import pytest

from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "职业技能等级认定服务平台"


def shoot(page, screenshot_dir, name: str) -> None:
    page.screenshot(path=screenshot_dir / f"wording-{name}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / f"wording-{name}-phone.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_public_pages_say_what_to_try(page, live_server, world, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    assert page.title() == f"登录 | {NAME}"
    assert page.locator(".brand").inner_text().strip() == NAME
    shoot(page, screenshot_dir, "login")

    page.goto(live_server.url + "/catalog/?q=没有这种职业&marker=X")
    note = page.locator("p.message.info")
    assert "已忽略：标识" in note.inner_text()
    assert page.locator("p.error").count() == 0
    assert "可尝试输入更短的代码前缀" in page.locator("tbody").inner_text()
    assert "S 数字职业" in page.locator("#marker-legend").inner_text()
    shoot(page, screenshot_dir, "catalogue-empty")

    page.goto(live_server.url + "/directory/?q=没有这个机构&province=999999")
    assert "已忽略：省份" in page.locator("p.message.info").inner_text()
    page.get_by_role("link", name="显示全部评价机构").click()
    page.wait_for_url(live_server.url + "/directory/")
    page.goto(live_server.url + "/directory/?q=没有这个机构")
    shoot(page, screenshot_dir, "directory-empty")

    page.goto(live_server.url + "/notices/")
    shoot(page, screenshot_dir, "notices")


def test_national_officials_keep_the_authorities(page, live_server, world, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "ministry")
    page.get_by_role("link", name="人社部门名称与文号").first.click()
    assert "广东省人力资源和社会保障厅" in page.content()
    shoot(page, screenshot_dir, "authorities")
    page.get_by_role("link", name="编辑 广东省人力资源和社会保障厅").click()
    page.get_by_label("文号代字").fill("GD")
    page.get_by_role("button", name="保存").click()
    assert "文号代字为2至12个汉字" in page.content()
    shoot(page, screenshot_dir, "authority-form")
    page.get_by_label("文号代字").fill("粤人社认定")
    page.get_by_label("机关名称").fill("广东省人力资源和社会保障厅")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(live_server.url + "/workspace/authorities/")
    assert "已保存" in page.content()
