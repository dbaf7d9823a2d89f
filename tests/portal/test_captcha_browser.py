"""Browser check of the proof-of-work widget: an organisation registers with the real ALTCHA
widget solving the challenge under our Content-Security-Policy, at desktop and phone width,
by keyboard. Screenshots land in var/screenshots/."""

from __future__ import annotations

import pytest

from portal.models import Agency
from tests.agencies.builders import uscc
from tests.portal.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_registration_with_the_widget_solving_the_check(
    page, live_server, world, settings, tmp_path, screenshot_dir, width, height
):
    settings.CAPTCHA_ENABLED = True
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": width, "height": height})
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))

    response = page.goto(f"{live_server.url}/register/organisation/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    code = uscc("91440106MA5D3K8F2")
    for field, value in {
        "username": f"pow_{width}",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "陈立",
        "email": "chen@example.org",
        "phone": "13800138000",
        "org_name": "岭南新职业技能评价中心",
        "uscc": code,
    }.items():
        page.locator(f"#id_{field}").fill(value)
    page.locator("#id_kind input[value='S']").check()
    page.locator("#id_province").select_option("440000")

    checkbox = page.locator("altcha-widget input[type=checkbox]")
    assert page.locator("altcha-widget").get_by_text("我不是机器人").is_visible()
    checkbox.focus()
    page.keyboard.press("Space")  # keyboard operable
    page.locator("altcha-widget").get_by_text("已验证").wait_for(timeout=30_000)
    page.screenshot(path=screenshot_dir / f"captcha-verified-{width}.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/workspace/agency/**")
    assert Agency.objects.filter(uscc=code).exists()

    problems = [line for line in console if "error" in line.split(":")[0] or "Refused" in line]
    assert problems == [], problems
