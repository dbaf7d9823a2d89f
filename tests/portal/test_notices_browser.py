"""Browser journey of public notices: a visitor objects to a notice and tracks the objection;
a provincial official dismisses it. Screenshots land in var/screenshots/."""

from __future__ import annotations

import re

import pytest

from portal import notices
from portal.models import Objection, ObjectionStatus
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = "该机构申报的考评场地实际为临时租用，视频监控设备未安装。"


@pytest.fixture
def notice(world, settings, tmp_path):
    settings.CAPTCHA_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    notices.register_kind(
        "tests.browser",
        label="评价机构遴选结果",
        on_stood=lambda notice: None,
        on_overturned=lambda notice, objection: None,
    )
    notices.publish_notice(
        world.gd_official,
        world.hlj_agency,
        kind="tests.browser",
        title="关于黑龙江测试评价中心拟纳入评价机构目录的公示",
        body="根据工作规程第十四条，经技术评估，拟确定下列机构为社会培训评价组织。\n特此公示。",
        period_working_days=5,
        jurisdiction="230000",
        agency=world.hlj_agency,
    )
    return notices.publish_notice(
        world.gd_official,
        world.gd_agency,
        kind="tests.browser",
        title="关于广东测试评价中心拟纳入评价机构目录的公示",
        body=(
            "根据《职业技能等级认定工作规程（试行）》第十四条，经材料核验、专家论证和现场考察，"
            "拟确定广东测试评价中心为社会培训评价组织，评价职业（工种）范围：电工（五级至三级）。\n"
            "公示期内，如有异议，请通过本页提交书面意见并提供必要的证明材料。"
        ),
        period_working_days=5,
        jurisdiction="440000",
        agency=world.gd_agency,
    )


def test_a_visitor_objects_and_an_official_dismisses(
    page, live_server, world, notice, screenshot_dir, tmp_path
):
    page.goto(live_server.url + "/")
    page.locator(".public-nav a[href='/notices/']").click()
    page.wait_for_url(f"{live_server.url}/notices/")
    assert page.get_by_role("link", name=notice.title).is_visible()
    page.screenshot(path=screenshot_dir / "notices-list.png", full_page=True)

    page.get_by_role("link", name=notice.title).click()
    assert page.locator("h1").inner_text() == notice.title
    page.screenshot(path=screenshot_dir / "notices-detail.png", full_page=True)
    evidence = tmp_path / "现场照片说明.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n%%EOF\n")
    page.locator("[name=name]").fill("李四")
    page.locator("[name=contact]").fill("13800138000")
    page.locator("[name=content]").fill(CONTENT)
    page.locator("[name=evidence]").set_input_files(str(evidence))
    page.locator("#objection button[type=submit]").click()
    code = page.locator("#tracking-code").inner_text()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}", code)
    page.screenshot(path=screenshot_dir / "notices-objection-filed.png", full_page=True)

    page.goto(f"{live_server.url}/notices/track/")
    page.locator("[name=code]").fill(code.lower())
    page.locator("main form button[type=submit]").click()
    assert notice.title in page.content()
    assert "李四" not in page.content() and "13800138000" not in page.content()

    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/notices/")
    page.get_by_role("link", name=notice.title).click()
    assert "李四" in page.content() and "13800138000" in page.content()
    objection = Objection.objects.get()
    page.locator(f"[name=o{objection.pk}-reason]").fill(
        "经现场核查，考评场地与视频监控设备均符合要求。"
    )
    page.screenshot(path=screenshot_dir / "notices-official.png", full_page=True)
    page.locator(f"button[name=o{objection.pk}-decision][value=dismiss]").click()
    page.wait_for_load_state()
    assert page.locator(".message.success").is_visible()
    page.screenshot(path=screenshot_dir / "notices-official-decided.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/notices/")
    page.screenshot(path=screenshot_dir / "notices-list-phone.png", full_page=True)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
