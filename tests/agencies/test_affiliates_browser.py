"""Affiliated employers in the browser (Art 16): the employer agency's administrator declares
a subsidiary (a bad credit code first), the filing authority's official finds it on the
dashboard and in the queue and confirms it; the admin sees it confirmed, on a phone too."""

from __future__ import annotations

import pytest

from agencies.models import AffiliatedEmployer, AffiliateStatus
from tests.agencies.builders import list_agency, uscc
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_declare_and_confirm_an_affiliate(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    agency = world.hlj_agency
    list_agency(world, agency, world.hlj_admin)
    code = uscc("91230100MA1X00001")
    page.set_viewport_size({"width": 1366, "height": 900})

    sign_in(page, live_server, "hlj_admin")
    page.goto(f"{live_server.url}/workspace/agency/{agency.pk}/")
    page.locator("nav").get_by_role("link", name="所属单位").first.click()
    page.get_by_label("单位名称").fill("龙江电力维修有限公司")
    page.get_by_label("统一社会信用代码").fill(code[:-1] + ("0" if code[-1] != "0" else "1"))
    page.get_by_label("与本机构的关系").fill("全资子公司")
    page.get_by_role("button", name="申报").click()
    assert "校验" in page.locator("main").inner_text()
    page.get_by_label("统一社会信用代码").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="申报").click()
    assert "已申报 龙江电力维修有限公司" in page.locator("main").inner_text()
    assert "待备案机关" in page.locator("main table").inner_text()
    page.screenshot(path=screenshot_dir / "affiliates-declared.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, live_server, "hlj_official")
    assert "1 个所属单位申报待您确认" in page.locator("main").inner_text()
    page.get_by_role("link", name="打开所属单位申报").click()
    page.locator("main table").get_by_role("link", name="龙江电力维修有限公司").click()
    page.screenshot(path=screenshot_dir / "affiliates-decision.png", full_page=True)
    with page.expect_navigation():
        page.locator("button[value=confirm]").click()
    assert "其职工自即日起视为本机构职工" in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / "affiliates-confirm-step.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="确认该所属单位").click()
    assert "已确认该所属单位" in page.content()
    assert AffiliatedEmployer.objects.get(uscc=code).status == AffiliateStatus.CONFIRMED

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "hlj_admin")
    page.goto(f"{live_server.url}/workspace/agency/{agency.pk}/affiliates/")
    assert "已确认" in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / "affiliates-phone.png", full_page=True)
