"""The roster import in the browser, at desktop width and at 390 px: the agency's admin
downloads nothing but uploads the demo's sample roster with three bad rows, reads the errors
column by column, finds the apply button disabled, uploads the corrected file and applies it."""

from __future__ import annotations

import pytest

from assessments.demo import sample_roster
from assessments.models import Enrolment
from assessments.services import imports
from tests.assessments.builders import open_session
from tests.assessments.test_roster import row
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_admin_imports_a_roster_with_errors_fixes_it_and_imports_again(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    session = open_session(world)
    base = f"{live_server.url}/workspace/agency/{world.gd_agency.pk}/sessions/{session.pk}"
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{base}/candidates/")
    page.locator(f"main a[href$='/sessions/{session.pk}/roster/']").click()
    page.locator("[name=roster]").set_input_files(
        {"name": "名单.xlsx", "mimeType": XLSX, "buffer": sample_roster()}
    )
    page.locator("main form button[type=submit]").click()

    summary = page.locator(".error-summary")
    summary.wait_for()
    text = page.content()
    assert "共读取 8 行，其中 3 行有错误" in text
    assert "请将证件号码列设为文本" in text and "累计从事本职业6年" in text
    assert page.locator("button:has-text('全部导入')").is_disabled()
    page.screenshot(path=screenshot_dir / f"roster-errors-{width}.png", full_page=True)
    _fits(page, width)
    assert not Enrolment.objects.exists()

    page.locator("main a:has-text('上传更正后的文件')").first.click()
    fixed = imports.template([row(i) for i in range(1, 9)])
    page.locator("[name=roster]").set_input_files(
        {"name": "名单（已修改）.xlsx", "mimeType": XLSX, "buffer": fixed}
    )
    page.locator("main form button[type=submit]").click()
    page.locator("button:has-text('全部导入')").wait_for()
    assert "共读取 8 行，其中 0 行有错误" in page.content()
    page.screenshot(path=screenshot_dir / f"roster-ready-{width}.png", full_page=True)
    page.locator("button:has-text('全部导入')").click()
    page.locator(".messages .message.success").wait_for()
    assert "已从名单导入 8 名考生" in page.content()
    assert session.enrolments.count() == 8
    page.screenshot(path=screenshot_dir / f"roster-applied-{width}.png", full_page=True)
    _fits(page, width)
