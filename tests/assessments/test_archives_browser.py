"""The archive and the statistics in the browser: the agency's staff state where the recordings
are kept, upload a question paper, register a paper record, archive the session after the
confirmation step and download the export (its SHA-256 the one recorded); an official reads the
statistics with filters, on a desktop and on a phone (390 px)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assessments.models import ArchiveExport, AssessmentSession, SessionStatus
from tests.assessments.builders import PDF, certify, concluded_session
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_agency_archives_a_session_and_downloads_the_export(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    session = concluded_session(world)
    certify(session)
    agency = world.gd_agency
    sign_in(page, live_server, "gd_staff")
    page.goto(f"{live_server.url}/workspace/agency/{agency.pk}/sessions/{session.pk}/")
    page.locator("main a", has_text="档案").first.click()
    assert "归档前请登记考试视频录像的存放位置" in page.content()  # the refusal beside the button

    page.locator("[name=r-location]").fill("监控服务器 NAS-2 /2026/电工四级")
    page.locator("#recordings button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    paper = tmp_path / "理论试卷A.pdf"
    paper.write_bytes(PDF)
    page.locator("[name=f-kind]").select_option("question_paper")
    page.locator("[name=f-title]").fill("理论试卷 A卷")
    page.locator("[name=f-file]").set_input_files(str(paper))
    page.locator("#upload button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.locator("[name=p-title]").fill("纸质签到表")
    page.locator("[name=p-location]").fill("机构档案室 3 号柜")
    page.locator("#paper button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.screenshot(path=screenshot_dir / "archive-before.png", full_page=True)

    page.locator("#archive button[type=submit]").click()
    page.locator("main form button[type=submit]", has_text="归档本批次").last.click()
    page.locator(".messages .message.success").wait_for(timeout=60000)
    session.refresh_from_db()
    assert session.status == SessionStatus.ARCHIVED
    digest = ArchiveExport.objects.get(session=session).sha256
    assert digest in page.content()
    page.screenshot(path=screenshot_dir / "archive-archived.png", full_page=True)
    with page.expect_download() as info:
        page.locator("#export a.button").click()
    data = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest
    # On a phone the archived record reads without sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=screenshot_dir / "archive-archived-390.png", full_page=True)
    _fits(page, 390)


@pytest.mark.parametrize("width", [1366, 390])
def test_an_official_reads_the_statistics_with_filters(
    page, live_server, world, screenshot_dir, width
):
    recent = concluded_session(world)
    concluded_session(world, n0=100, days_ago=400)
    concluded_session(world, n0=200, site=world.hlj_site)
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    sign_in(page, live_server, "gd_official")
    link = page.locator("nav a[href='/workspace/statistics/']")
    assert link.count() == 1 and "等级认定统计" in link.text_content()
    page.goto(f"{live_server.url}/workspace/statistics/")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2  # 广东's agency and the total; 黑龙江 is not in the province
    assert "12" in rows.last.inner_text()
    page.locator("[name=sat_from]").fill(recent.last_sitting_on.isoformat())
    page.locator("[name=occupation]").fill("电工")
    page.locator("main form.filters button[type=submit]").click()
    page.wait_for_url("**sat_from=*")
    total = page.locator("main table tbody tr").last.inner_text()
    assert "6" in total and "80.0%（4/5）" in total
    page.screenshot(path=screenshot_dir / f"statistics-official-{width}.png", full_page=True)
    _fits(page, width)
    with page.expect_download() as info:
        page.locator("main a.button", has_text="XLSX").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    assert AssessmentSession.objects.count() == 3
