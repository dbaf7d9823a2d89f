"""Browser journeys of account management and two-factor sign-in.

A provincial official creates an expert account and reads its one-time password; the
expert signs in with it, must choose a new password and lands on the expert dashboard.
An official turns on two-factor sign-in and signs in again with a code.
Screenshots land in var/screenshots/.
"""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp

from tests.portal.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Pool#expert2026"


def password_step(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def submit(page):
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()


def sign_out(page):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state()


def test_an_official_creates_an_expert_who_must_change_the_password(
    page, live_server, world, screenshot_dir
):
    password_step(page, live_server, "gd_official", PASSWORD)
    page.wait_for_url(f"{live_server.url}/workspace/")
    page.screenshot(path=screenshot_dir / "accounts-dashboard-provincial.png", full_page=True)
    page.locator("nav.side-nav a[href='/workspace/accounts/']").click()
    page.wait_for_url(f"{live_server.url}/workspace/accounts/")
    assert page.locator("table tbody tr").count() == 5
    page.screenshot(path=screenshot_dir / "accounts-list.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "accounts-list-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.locator("main a[href='/workspace/accounts/new/']").click()
    page.wait_for_url(f"{live_server.url}/workspace/accounts/new/")
    page.locator("#id_username").fill("gd_pool_expert")
    page.locator("#id_real_name").fill("陈评审")
    page.locator("#id_phone").fill("12345")
    page.locator("#id_email").fill("chen@example.org")
    page.locator("#id_organisation").fill("广州市技师学院")
    assert page.locator("#id_jurisdiction option").all_inner_texts() == ["广东省"]
    assert page.locator("input[name=roles][value=ministry_official]").count() == 0
    page.locator("input[name=roles][value=expert]").check()
    page.screenshot(path=screenshot_dir / "accounts-form.png", full_page=True)
    submit(page)
    # A bad phone number: the form comes back with the message at the field, nothing saved.
    assert page.locator("#id_phone_error").inner_text() == "请输入有效的电话号码。"
    assert page.locator("input[name=roles][value=expert]").is_checked()
    page.screenshot(path=screenshot_dir / "accounts-form-errors.png", full_page=True)
    page.locator("#id_phone").fill("139 2000 1234")
    submit(page)

    one_time = page.locator("#one-time-password").inner_text().strip()
    assert len(one_time) == 14
    assert page.locator("#account-username").inner_text() == "gd_pool_expert"
    page.screenshot(path=screenshot_dir / "accounts-created.png", full_page=True)
    page.locator("main a.button").click()  # 完成: back to the account
    page.wait_for_load_state()
    assert "/workspace/accounts/" in page.url
    assert one_time not in page.content()
    page.screenshot(path=screenshot_dir / "accounts-detail.png", full_page=True)
    sign_out(page)

    password_step(page, live_server, "gd_pool_expert", one_time)
    page.wait_for_url(f"{live_server.url}/accounts/password/change/")
    assert "继续操作前，您须先设置新密码。" in page.content()
    page.screenshot(path=screenshot_dir / "accounts-forced-change.png", full_page=True)
    page.locator("#id_old_password").fill(one_time)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    submit(page)
    page.wait_for_url(f"{live_server.url}/workspace/")
    assert "评审专家" in page.content()
    assert "陈评审" in page.content()
    page.screenshot(path=screenshot_dir / "accounts-expert-dashboard.png", full_page=True)


def test_an_official_turns_on_two_factor_and_signs_in_with_a_code(
    page, live_server, world, screenshot_dir
):
    password_step(page, live_server, "gd_official", PASSWORD)
    page.wait_for_url(f"{live_server.url}/workspace/")
    page.locator("nav.side-nav a[href='/workspace/account/2fa/']").click()
    page.wait_for_url(f"{live_server.url}/workspace/account/2fa/")
    assert page.locator("main svg path").count() == 1
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.screenshot(path=screenshot_dir / "twofactor-setup.png", full_page=True)
    page.locator("#id_code").fill(f"{totp(key):06d}")
    submit(page)
    assert page.locator("main .badge.ok").count() == 1
    page.screenshot(path=screenshot_dir / "twofactor-enabled.png", full_page=True)
    sign_out(page)

    password_step(page, live_server, "gd_official", PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/login/verify/?next=%2Fworkspace%2F")
    page.locator("#id_code").fill("000000" if f"{totp(key):06d}" != "000000" else "111111")
    submit(page)
    assert page.locator("main .error").count() == 1
    page.screenshot(path=screenshot_dir / "twofactor-verify-wrong.png", full_page=True)
    page.wait_for_timeout(1100)  # django-otp's throttle after one wrong code
    page.locator("#id_code").fill(f"{totp(key, drift=1):06d}")
    submit(page)
    page.wait_for_url(f"{live_server.url}/workspace/")
    assert "省级人社部门官员" in page.content()
