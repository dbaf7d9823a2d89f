"""Browser journeys of the certificate lookup (Art 22; decision 0047): a worker looks their
certificate up on a phone with the real ALTCHA widget and downloads the signed PDF; the QR of a
rendered certificate PDF, scanned, leads to the certificate's page. Screenshots in
var/screenshots/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from certificates import pdf, services
from certificates.models import Certificate
from tests.certificates.builders import final_session
from tests.certificates.pdf_helpers import decode_qr, needs_poppler, needs_zbar, page_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
#: The phone walk's measure (tests/portal/test_phone_browser.py): overflow, codes on one line.
MEASURE = (Path(__file__).parent.parent / "portal" / "phone_measure.js").read_text("utf-8")


def _solve_widget(page) -> None:
    checkbox = page.locator("altcha-widget input[type=checkbox]")
    checkbox.click()
    page.locator("altcha-widget").get_by_text("已验证").wait_for(timeout=30_000)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_a_worker_looks_up_the_certificate_and_downloads_it(
    page, live_server, world, settings, tmp_path, screenshot_dir, width, height
):
    settings.CAPTCHA_ENABLED = True
    settings.CAPTCHA_MAX_NUMBER = 5000  # the widget solves quickly here
    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 1, failed=0, photo=True)
    services.issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.get(session=session)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.set_viewport_size({"width": width, "height": height})

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="证书查询").first.click()
    page.wait_for_url(f"{live_server.url}/certificates/lookup/")
    assert page.locator("#id_number").is_hidden()  # the other way's field, hidden by CSS
    page.screenshot(path=screenshot_dir / f"lookup-form-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.locator("#id_name").fill(cert.holder_name)
    page.locator("#id_id_number").fill(cert.id_number)
    _solve_widget(page)
    page.locator("main form button[type=submit]").click()
    answer = page.locator("[data-found=certificate]")
    answer.wait_for()
    assert cert.number in answer.inner_text() and "有效" in answer.inner_text()
    assert cert.id_number not in page.content()
    page.screenshot(path=screenshot_dir / f"lookup-found-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(MEASURE, width < 400)["problems"] == []

    with page.expect_download() as info:
        page.locator("[data-download=pdf]").click()
    download = info.value
    saved = tmp_path / "mine.pdf"
    download.save_as(saved)
    assert download.suggested_filename == f"{cert.number}.pdf"
    assert saved.read_bytes().startswith(b"%PDF")

    # By certificate number: the answer, without download buttons.
    page.goto(f"{live_server.url}/certificates/lookup/")
    page.locator("input[name=way][value=number]").check()
    assert page.locator("#id_id_number").is_hidden()
    page.locator("#id_name").fill(cert.holder_name)
    page.locator("#id_number").fill(cert.number)
    _solve_widget(page)
    page.locator("main form button[type=submit]").click()
    page.locator("[data-found=certificate]").wait_for()
    assert page.locator("[data-download]").count() == 0
    # A miss: the same page for every kind, in Chinese.
    page.locator("#id_name").fill("李不存在")
    page.locator("input[name=way][value=number]").check()
    page.locator("#id_number").fill(cert.number)
    _solve_widget(page)
    page.locator("main form button[type=submit]").click()
    page.locator("[data-found=none]").wait_for()
    page.screenshot(path=screenshot_dir / f"lookup-none-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    problems = [c for c in console if c.startswith("error") or "Refused" in c]
    assert problems == [], problems


@needs_poppler
@needs_zbar
def test_scanning_the_qr_of_a_rendered_pdf_opens_the_certificate_page(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 1, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.get(session=session)
    png = page_png(pdf.render_certificate(cert), tmp_path / "certificate", dpi=150)
    scanned = decode_qr(png)
    assert len(scanned) == 1 and f"/c/{cert.token}/" in scanned[0]
    printed = urlsplit(scanned[0])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{printed.path}")
    main = page.locator("main").inner_text()
    assert cert.number in main and "职业技能等级证书" in main
    assert page.locator("[data-qr=verified]").is_visible()
    page.screenshot(path=screenshot_dir / "lookup-qr-scanned-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
