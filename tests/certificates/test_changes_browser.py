"""An official revokes and the public page changes (Art 27; decision 0049), on a desktop and
a phone (390 px): from the registry to the revocation page, the reason, the confirmation page
with the password, then the certificate's public page says 已撤销 with the date and reason.
The agency's side too: its admin asks for a correction from the certificate's page."""

from __future__ import annotations

import pytest

from certificates import services
from certificates.models import Certificate, CertificateRequest, CertificateStatus
from tests.certificates.builders import final_session
from tests.portal.builders import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "抽查发现考核记录缺失，证书依法撤销"


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_an_official_revokes_and_the_public_page_changes(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 1, failed=0, photo=True)
    services.issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.get(session=session)
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    page.goto(f"{live_server.url}/c/{cert.token}/")
    assert "该证书已被撤销" not in page.content()

    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/certificates/")
    page.locator(f"main a[href='/workspace/certificates/{cert.pk}/revoke/']").click()
    page.get_by_label("撤销原因").fill(REASON)
    page.screenshot(path=screenshot_dir / f"changes-revoke-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main form button[type=submit]").click()
    # The confirmation page restates it and asks the password again.
    assert "撤销不可撤回" in page.content()
    page.get_by_label("您的密码").fill("wrong-password")
    page.locator("main form button[name=confirmed]").click()
    assert "密码" in page.locator(".errorlist, .error").first.inner_text()
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    page.get_by_label("您的密码").fill(PASSWORD)
    page.screenshot(path=screenshot_dir / f"changes-revoke-confirm-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main form button[name=confirmed]").click()
    page.locator(".messages .message.success").wait_for()
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED

    page.goto(f"{live_server.url}/c/{cert.token}/")
    text = page.locator("main").inner_text()
    day = cert.revoked_at.astimezone().date()
    assert "该证书已被撤销" in text and f"已于{day.year}年{day.month}月{day.day}日撤销" in text
    assert REASON in text
    page.screenshot(path=screenshot_dir / f"changes-public-revoked-{width}.png", full_page=True)
    _fits(page, width)


def test_the_agency_asks_for_a_correction_and_the_official_sees_it(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 1, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.get(session=session)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "gd_admin")
    base = f"{live_server.url}/workspace/agency/{cert.agency_id}/certificates"
    page.goto(f"{base}/{cert.pk}/")
    page.screenshot(path=screenshot_dir / "changes-agency-certificate-390.png", full_page=True)
    _fits(page, 390)
    page.get_by_role("button", name="申请更正").click()
    page.get_by_label("更正后的姓名").fill("王更正")
    page.get_by_label("原因").fill("姓名录入错误，依据身份证更正")
    page.screenshot(path=screenshot_dir / "changes-ask-correct-390.png", full_page=True)
    _fits(page, 390)
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    assert CertificateRequest.objects.get().corrected_name == "王更正"
    page.screenshot(path=screenshot_dir / "changes-agency-requests-390.png", full_page=True)
    _fits(page, 390)
    page.goto(f"{base}/{cert.pk}/")
    assert page.get_by_role("button", name="申请撤销").is_disabled()

    page.context.clear_cookies()
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/certificates/requests/")
    page.locator("main table a").first.click()
    assert "王更正" in page.content()
    page.screenshot(path=screenshot_dir / "changes-decide-390.png", full_page=True)
    _fits(page, 390)
