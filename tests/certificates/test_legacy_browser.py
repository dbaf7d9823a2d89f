"""Legacy certificates in the browser (Art 4; decision 0046): the Guangdong testing centre
downloads the template, uploads a file with one bad row (the preview names it; nothing can be
applied), uploads the corrected file and imports every row; then the printed QR of an issued
certificate opens its page saying the printed facts verify. Desktop and phone (390 px)."""

from __future__ import annotations

import pytest

from certificates import qr, services
from certificates.models import Certificate, LegacyCertificate
from tests.certificates.builders import candidate_number, final_session
from tests.certificates.legacy_helpers import csv, row
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_testing_centre_imports_legacy_certificates(
    page, live_server, world, tmp_path, screenshot_dir, width
):
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    sign_in(page, live_server, "osta_gd")
    page.goto(f"{live_server.url}/workspace/certificates/legacy/")
    with page.expect_download() as caught:
        page.locator("main a[href$='/legacy/template.xlsx']").click()
    assert caught.value.suggested_filename == "legacy-certificates.xlsx"

    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv(
            row("4401061907000123", "李四光", candidate_number(1), level="高级工"),
            row("12345", "王五", candidate_number(2)),
        )
    )
    page.locator("[name=source]").fill("广州市职业技能鉴定指导中心")
    page.locator("[name=file]").set_input_files(str(bad))
    page.locator("main form button[type=submit]").click()
    page.locator("#problems").wait_for()
    text = page.locator("main").inner_text()
    assert "第 3 行" in text or "Row 3" in text or "3" in text
    assert "16 位" in text
    assert page.locator("main button[type=submit]:disabled, main [aria-disabled=true]").count()
    page.screenshot(path=screenshot_dir / f"legacy-preview-errors-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not LegacyCertificate.objects.exists()

    good = tmp_path / "good.csv"
    good.write_bytes(
        csv(
            row("4401061907000123", "李四光", candidate_number(1), level="高级工"),
            row("S000044000101194000050", "王五", candidate_number(2)),
        )
    )
    page.goto(f"{live_server.url}/workspace/certificates/legacy/")
    page.locator("[name=source]").fill("广州市职业技能鉴定指导中心")
    page.locator("[name=file]").set_input_files(str(good))
    page.locator("main form button[type=submit]").click()
    page.locator("main form.actions button").wait_for()
    assert "可导入" in page.locator("main").inner_text()
    assert "李*光" in page.locator("main").inner_text()
    assert candidate_number(1) not in page.content()
    page.screenshot(path=screenshot_dir / f"legacy-preview-ready-{width}.png", full_page=True)
    page.locator("main form.actions button").click()
    page.locator(".messages .message.success").wait_for()
    assert LegacyCertificate.objects.count() == 2
    page.screenshot(path=screenshot_dir / f"legacy-applied-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{live_server.url}/workspace/certificates/legacy/")
    page.screenshot(path=screenshot_dir / f"legacy-imports-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_printed_qr_opens_the_page_saying_the_facts_verify(
    page, live_server, world, screenshot_dir, width
):
    session = final_session(world, 1)
    services.issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.get()
    url = qr.signed_url(cert)
    path = url[url.index("/c/") :]
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    page.goto(f"{live_server.url}{path}")
    assert page.locator("[data-qr=verified]").is_visible()
    page.screenshot(path=screenshot_dir / f"qr-verified-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{live_server.url}/c/{cert.token}/AQIDBA/")
    assert page.locator("[data-qr=not-verified]").is_visible()
    assert cert.number in page.locator("main").inner_text()
    page.screenshot(path=screenshot_dir / f"qr-not-verified-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
