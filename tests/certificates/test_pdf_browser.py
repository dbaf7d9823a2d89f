"""Certificate PDFs in the browser (decision 0043): the agency admin uploads the seal image on
the certificate settings page (an opaque image refused first), then downloads the session's
batch PDF from the print page ("being generated", then the file); desktop and phone (390 px)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from certificates import services
from certificates.demo_pdf import seal_png
from certificates.models import AgencySeal
from tests.certificates.builders import final_session
from tests.certificates.pdf_helpers import pdf_pages
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _opaque_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 400), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("width", [1366, 390])
def test_admin_uploads_the_seal_and_downloads_the_batch_pdf(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 2)
    services.issue_certificates(world.members["admin"], [session])
    agency = world.gd_agency
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    sign_in(page, live_server, "gd_admin")
    base = f"{live_server.url}/workspace/agency/{agency.pk}/certificates"
    page.goto(f"{base}/")
    page.locator(f"main a[href='/workspace/agency/{agency.pk}/certificates/settings/']").click()

    opaque, seal = tmp_path / "opaque.png", tmp_path / "seal.png"
    opaque.write_bytes(_opaque_png())
    seal.write_bytes(seal_png(agency.name))
    page.locator("[name=image]").set_input_files(str(opaque))
    page.locator("main form button[type=submit]").click()
    assert "透明" in page.locator("main").inner_text()
    assert not AgencySeal.objects.filter(agency=agency).exists()
    page.locator("[name=image]").set_input_files(str(seal))
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.locator("main img").wait_for()
    page.screenshot(path=screenshot_dir / f"certificate-seal-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(f"{base}/print/")
    page.screenshot(path=screenshot_dir / f"certificate-print-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_download(timeout=60_000) as caught:
        page.locator(f"main a[href$='/print/{session.pk}/']").click()
    data = Path(caught.value.path()).read_bytes()
    assert data.startswith(b"%PDF") and len(pdf_pages(data)) == 2
