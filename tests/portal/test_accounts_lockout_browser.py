"""In a browser: five wrong passwords back the address off with a Chinese message on the
sign-in page (429), and the page still offers the form and the reset link.
Screenshot in var/screenshots/."""

from __future__ import annotations

import pytest

from tests.portal.builders import use_database

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_backed_off_sign_in_page_says_how_long_to_wait(page, live_server, world, settings):
    use_database(settings)  # the live server's own counters, gone with the test database
    settings.CAPTCHA_ENABLED = False
    settings.SIGNIN_BACKOFF_BASE = 60
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if r.request.method == "POST" else None)
    for _ in range(6):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill("gd_official")
        page.get_by_label("密码").fill("Wrong#pass2026")
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
    assert statuses == [200] * 5 + [429]
    assert page.get_by_text("登录失败次数过多，请1分钟后再试。").is_visible()
    assert page.get_by_label("用户名").is_visible()
    page.screenshot(path="var/screenshots/signin-backed-off.png", full_page=True)
