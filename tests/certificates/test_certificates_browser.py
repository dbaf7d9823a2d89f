"""Certificates in the browser: the agency's admin issues a session's certificates from the
certificates page (choosing the session, the language) and sees the batch's result; a batch
still running shows its progress bar; the certificate's public page on a phone (390 px) and
the helpful page for an unknown address."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from certificates.models import Certificate, IssuanceBatch, IssuanceState
from certificates.services.issuance import _progress_key
from portal import clock
from tests.certificates.builders import final_session
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_agency_issues_a_sessions_certificates(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 4, photo=True)
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    agency = world.gd_agency
    base = f"{live_server.url}/workspace/agency/{agency.pk}"
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{base}/")
    menu = page.locator(f"nav a[href='/workspace/agency/{agency.pk}/certificates/']")
    assert menu.count() == 1
    page.goto(f"{base}/certificates/")
    page.screenshot(path=screenshot_dir / f"certificates-waiting-{width}.png", full_page=True)
    _fits(page, width)
    page.locator(f"main a[href$='issue/?session={session.pk}']").click()
    assert page.locator(f"[name=sessions][value='{session.pk}']").is_checked()
    page.screenshot(path=screenshot_dir / f"certificates-issue-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    batch = IssuanceBatch.objects.get()
    assert batch.state == IssuanceState.DONE and batch.done == 4
    assert page.locator("progress").get_attribute("value") == "100"
    assert batch.first_number in page.content()
    page.screenshot(path=screenshot_dir / f"certificates-batch-done-{width}.png", full_page=True)
    _fits(page, width)

    # A batch still running: the bar shows the count the worker last reported.
    running = IssuanceBatch.objects.create(
        agency=agency,
        requested_by=world.members["admin"],
        requested_at=clock.now(),
        state=IssuanceState.RUNNING,
        total=1000,
    )
    cache.set(_progress_key(running.pk), (400, 1000), 60)
    page.goto(f"{base}/certificates/batches/{running.pk}/")
    assert page.locator("progress").get_attribute("value") == "40"
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    page.screenshot(path=screenshot_dir / f"certificates-batch-running-{width}.png", full_page=True)
    _fits(page, width)


def test_the_certificates_page_on_a_phone(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 1, photo=True)
    from certificates.services import issue_certificates

    issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.get()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/c/{cert.token}/")
    assert "职业技能等级证书" in page.content() and cert.number in page.content()
    assert cert.masked_id in page.content() and cert.id_number not in page.content()
    assert page.locator("img.certificate-photo").evaluate("i => i.naturalWidth") > 0
    page.screenshot(path=screenshot_dir / "certificate-page-390.png", full_page=True)
    _fits(page, 390)
    page.goto(f"{live_server.url}/c/unknown-token-1234567890/")
    assert "如何查验证书" in page.content()
    page.screenshot(path=screenshot_dir / "certificate-not-found-390.png", full_page=True)
    _fits(page, 390)
