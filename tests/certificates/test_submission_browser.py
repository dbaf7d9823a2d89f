"""Data submission in the browser (Art 21; decision 0052): the agency's staff submit now;
the Guangdong testing centre opens the dashboard's to-do, the batch with its manifest and
files, and acknowledges it after the confirmation step; the agency then sees it acknowledged.
Desktop and phone (390 px)."""

from __future__ import annotations

import pytest

from certificates.models import Certificate, SubmissionBatch
from certificates.services import issue_certificates
from tests.certificates.builders import final_session
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_the_testing_centre_acknowledges_a_batch(page, live_server, world, screenshot_dir, width):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    issue_certificates(world.members["admin"], [final_session(world, 3, failed=0)])
    full_ids = set(Certificate.objects.values_list("id_number", flat=True))
    agency_url = (
        f"{live_server.url}/workspace/agency/{world.gd_agency.pk}/certificates/submissions/"
    )

    sign_in(page, live_server, "gd_staff")
    page.goto(agency_url)
    assert "3 条事项尚未报送" in page.locator("main").inner_text()
    page.locator("main form.actions button").click()
    page.locator(".messages .message.success").wait_for()
    assert "已向鉴定中心报送第 1 批" in page.locator(".messages").inner_text()
    page.screenshot(path=screenshot_dir / f"submission-agency-{width}.png", full_page=True)
    _fits(page, width)
    batch = SubmissionBatch.objects.get()
    page.context.clear_cookies()

    sign_in(page, live_server, "osta_gd")
    page.goto(f"{live_server.url}/workspace/")
    assert "1 批报送数据待确认接收" in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"submission-dashboard-{width}.png", full_page=True)
    page.locator("main a", has_text="1 批报送数据待确认接收").click()
    page.locator("main table").wait_for()
    page.screenshot(path=screenshot_dir / f"submission-list-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main table a", has_text=world.gd_agency.name).click()
    page.locator("main h1", has_text="第 1 批报送").wait_for()
    text = page.locator("main").inner_text()
    assert batch.files.get(kind="csv").sha256 in text.replace("\n", "")
    assert not any(n in page.content() for n in full_ids)
    with page.expect_download() as caught:
        page.locator("main table a", has_text="CSV").click()
    assert caught.value.suggested_filename.endswith("-000001.csv")
    page.locator("[name=note]").fill("已核对，共 3 条。")
    page.screenshot(path=screenshot_dir / f"submission-detail-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main form.card button[type=submit]").click()
    page.locator("main .confirm").wait_for()
    assert "3 条事项" in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"submission-confirm-{width}.png", full_page=True)
    _fits(page, width)
    batch.refresh_from_db()
    assert not batch.acknowledged, "nothing happens before the confirmation"
    page.locator("main button[name=confirmed]").click()
    page.locator(".messages .message.success").wait_for()
    batch.refresh_from_db()
    assert batch.acknowledged and batch.acknowledged_by == world.osta_gd
    assert batch.acknowledgement_note == "已核对，共 3 条。"
    page.screenshot(path=screenshot_dir / f"submission-acknowledged-{width}.png", full_page=True)
    _fits(page, width)
    page.goto(f"{live_server.url}/workspace/certificates/submissions/late/")
    page.screenshot(path=screenshot_dir / f"submission-late-{width}.png", full_page=True)
    _fits(page, width)
    page.context.clear_cookies()

    sign_in(page, live_server, "gd_staff")
    page.goto(agency_url)
    main = page.locator("main").inner_text()
    assert "已确认接收" in main and "已核对，共 3 条。" in main
    page.screenshot(path=screenshot_dir / f"submission-agency-done-{width}.png", full_page=True)
    _fits(page, width)
