"""The electronic certificate in the browser (issue 16): the agency's staff open one
certificate, download its signed PDF ("being generated", then the file) and its verifiable
credential (JSON), and both verify with ``manage.py verify_certificate``; the portal's root
certificate for PDF readers is one link away. Desktop and phone (390 px)."""

from __future__ import annotations

import json

import pytest

from certificates import pades, services
from certificates.models import Certificate
from tests.certificates.builders import final_session
from tests.certificates.pdf_helpers import run_verify_command
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_agency_downloads_the_signed_pdf_and_the_credential_and_both_verify(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 1)
    services.issue_certificates(world.members["admin"], [session])
    certificate = Certificate.objects.get(session=session)
    agency = world.gd_agency
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    sign_in(page, live_server, "gd_staff")
    page.goto(f"{live_server.url}/workspace/agency/{agency.pk}/certificates/")
    page.locator(f"main a[href$='/certificates/{certificate.pk}/']").first.click()
    main = page.locator("main")
    assert certificate.number in main.inner_text()
    assert "PAdES" in main.inner_text()
    page.screenshot(path=screenshot_dir / f"certificate-electronic-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    with page.expect_download(timeout=60_000) as caught:
        page.locator("main a[href$='/credential.json']").click()
    credential = tmp_path / caught.value.suggested_filename
    caught.value.save_as(credential)
    assert credential.name == f"{certificate.number}.json"

    # The PDF: "being generated" first (it reloads by itself), then the download.
    with page.expect_download(timeout=90_000) as caught:
        page.locator("main a[href$='/pdf/']").click()
        if width < 400:
            page.wait_for_timeout(300)
            page.screenshot(path=screenshot_dir / f"certificate-pdf-pending-{width}.png")
    signed = tmp_path / caught.value.suggested_filename
    caught.value.save_as(signed)
    assert signed.name == f"{certificate.number}.pdf"

    code, out = run_verify_command(signed)
    assert code == 0 and out.startswith("valid") and "not changed" in out, out
    code, out = run_verify_command(credential)
    assert code == 0 and out.startswith("valid") and certificate.number in out, out
    # The credential downloaded is the one attached to the PDF.
    assert pades.verify_pdf(signed.read_bytes()).credential == json.loads(credential.read_text())

    # A changed byte in the downloaded PDF: invalid.
    data = signed.read_bytes()
    at = data.index(b"WeasyPrint")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(data[:at] + b"WeasyPrinT" + data[at + 10 :])
    code, out = run_verify_command(tampered)
    assert code == 2 and out.startswith("invalid"), out

    # The root certificate a PDF reader is told to trust.
    root = page.request.get(f"{live_server.url}/certificates/keys/pdf-ca.pem")
    assert root.ok and root.body() == pades.root_pem()
