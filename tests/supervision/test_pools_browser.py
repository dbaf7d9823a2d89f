"""The inspector pool in the browser (Art 25): gd_official opens the pool from the menu, is
refused an account outside the inspector group (in Chinese, at the field), adds an inspector,
and records a former-employer conflict on an agency by its unified social credit code; then
reads the object pool. Desktop and phone (390 px)."""

from __future__ import annotations

import pytest

from supervision.models import ConflictTag, Inspector
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_an_official_adds_an_inspector_and_a_conflict_tag(
    page, live_server, world, screenshot_dir, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/supervision/inspectors/")
    assert "执法检查人员名录库" in page.locator("h1").inner_text()
    page.locator("main a[href$='/workspace/supervision/inspectors/add/']").click()
    page.get_by_label("账号用户名").fill("expert")
    page.get_by_label("所在单位").fill("广州市人力资源和社会保障局")
    page.locator("main form.card button[type=submit]").click()
    assert "此账号不是执法检查人员角色" in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"pools-add-refused-{width}.png", full_page=True)
    assert not Inspector.objects.exists()

    page.get_by_label("账号用户名").fill("inspector")
    page.get_by_label("专业特长").fill("电工、考务管理")
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/workspace/supervision/inspectors/*/")
    entry = Inspector.objects.get(user=world.inspector)
    assert entry.specialities == "电工、考务管理"

    page.locator("main [name=agency]").fill(world.gd_agency.uscc)
    page.locator("main [name=kind]").select_option("former_employer")
    page.locator("main [name=note]").fill("2019—2022年曾任考务主管")
    page.get_by_role("button", name="记录回避关系").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert world.gd_agency.name in text and "原工作单位" in text
    tag = ConflictTag.objects.get()
    assert (tag.inspector, tag.agency, tag.kind) == (entry, world.gd_agency, "former_employer")
    page.screenshot(path=screenshot_dir / f"pools-inspector-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(f"{live_server.url}/workspace/supervision/objects/")
    assert world.gd_agency.name in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"pools-objects-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
