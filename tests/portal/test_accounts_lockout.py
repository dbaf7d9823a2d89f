"""Sign-in throttling that cannot be turned against the owner (issue 10 item 3, decision 0022):
back-off per username+address, username+subnet, address and subnet; 429 with a growing
Retry-After before any hash; the owner from another address still gets in; no enumeration;
burst alerts; the proof of work after failures.

Every case runs on both limiter backends: the database, and the real Redis at REDIS_URL.
"""

from __future__ import annotations

import logging
import re

import pytest
import time_machine
from django.contrib.auth.hashers import get_hasher
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import captcha, ratelimit
from portal.accounts import signin
from tests.portal.altcha_solver import solve
from tests.portal.builders import PASSWORD, WINDOW_START, Stored, use_database, use_redis

LOGIN = "portal:login"
WRONG = "Wrong#pass2026"
A, B = "198.51.100.7", "192.0.2.44"  # the attacker's address, the owner's (another network)
BASE, MAX = 60, 60 * 60


@pytest.fixture(params=["db", "redis"])
def backend(request, settings, world):
    if request.param == "db":
        use_database(settings)
        found = Stored("db", settings)
    else:
        found = Stored("redis", settings, use_redis(settings))
    settings.SIGNIN_BACKOFF_BASE = BASE
    settings.SIGNIN_BACKOFF_MAX = MAX
    settings.SECURITY_ALERT_EMAILS = []
    yield found
    found.cleanup()


@pytest.fixture
def frozen():
    with time_machine.travel(WINDOW_START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def no_captcha(settings):
    settings.CAPTCHA_ENABLED = False


@pytest.fixture
def hasher_calls(monkeypatch):
    """Counts every password hash the configured hasher computes (verify and encode)."""
    hasher_class = type(get_hasher())
    calls: list[str] = []
    for method in ("verify", "encode"):
        original = getattr(hasher_class, method)

        def counting(self, *args, _original=original, _method=method, **kwargs):
            calls.append(_method)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(hasher_class, method, counting)
    return calls


def sign_in(client, username: str, password: str, data: dict | None = None, ip: str = A, **extra):
    """POST the sign-in form from ``ip``; ``extra`` are further headers and environ."""
    fields = {"username": username, "password": password, **(data or {})}
    return client.post(reverse(LOGIN), fields, REMOTE_ADDR=ip, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def solved_captcha() -> dict[str, str]:
    """A sign-in challenge solved as the widget would (the client needs no session)."""
    return {"captcha": solve(captcha.new_challenge("signin"))}


def page_text(response, username: str) -> str:
    """The page without the per-request tokens and with the username typed in replaced."""
    body = response.content.decode().replace(username, "NAME")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    return re.sub(r'challengejson="[^"]*"', "", body)


# --- The reproduction: the owner is not locked out -----------------------------------------------


@pytest.mark.usefixtures("no_captcha")
def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out(
    client, world, backend, frozen, hasher_calls
):
    for _ in range(5):
        assert sign_in(client, "gd_official", WRONG, ip=A).status_code == 200
    hasher_calls.clear()
    refused = sign_in(client, "gd_official", PASSWORD, ip=A)
    assert refused.status_code == 429  # the attacker's address, even with the right password
    assert hasher_calls == []
    assert not signed_in(client)
    response = sign_in(client, "gd_official", PASSWORD, ip=B)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert signed_in(client)
    client.logout()
    # The owner's success does not lift the attacker's back-off.
    assert sign_in(client, "gd_official", PASSWORD, ip=A).status_code == 429


def test_with_the_proof_of_work_on_the_owner_solves_it_and_gets_in(client, world, backend, frozen):
    for _ in range(5):
        sign_in(client, "gd_official", WRONG, solved_captcha(), ip=A)
    response = sign_in(client, "gd_official", PASSWORD, ip=B)
    assert response.context["form"].errors == {"captcha": ["请完成人机验证。"]}  # asked, not locked
    response = sign_in(client, "gd_official", PASSWORD, solved_captcha(), ip=B)
    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.usefixtures("no_captcha")
def test_the_second_factor_is_still_asked_from_the_new_address(
    client, world, backend, frozen, settings
):
    settings.REQUIRE_2FA_FOR_OFFICIALS = False
    user = world.gd_official
    TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    for _ in range(5):
        sign_in(client, "gd_official", WRONG, ip=A)
    response = sign_in(client, "gd_official", PASSWORD, ip=B)
    assert response.status_code == 302
    dashboard = client.get(reverse("portal:dashboard"), REMOTE_ADDR=B)
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith(reverse("accounts:verify"))
    verify = client.get(reverse("accounts:verify"), REMOTE_ADDR=B)
    assert verify.status_code == 200
    assert not verify.wsgi_request.user.is_verified()


# --- Back-off -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_captcha")
def test_refusals_are_429_with_a_retry_after_that_doubles_per_further_failure(
    client, world, backend, frozen, hasher_calls
):
    user = world.gd_official
    last_login = user.last_login
    for _ in range(4):
        response = sign_in(client, "gd_official", WRONG)
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
    assert sign_in(client, "gd_official", WRONG).status_code == 200  # the 5th: back-off starts
    waits = []
    for _round in range(7):
        hasher_calls.clear()
        response = sign_in(client, "gd_official", PASSWORD)
        assert response.status_code == 429
        assert hasher_calls == []
        assert response.context["form"].has_error("__all__", code="locked")
        waits.append(int(response["Retry-After"]))
        frozen.shift(waits[-1])
        assert sign_in(client, "gd_official", WRONG).status_code == 200  # one more guess
    assert waits == [60, 120, 240, 480, 960, 1920, 3600]  # doubling, capped at MAX
    last = sign_in(client, "gd_official", PASSWORD)
    assert "登录失败次数过多，请60分钟后再试。" in last.content.decode()
    user.refresh_from_db()
    assert user.last_login == last_login


@pytest.mark.usefixtures("no_captcha")
def test_the_retry_after_counts_down_and_then_the_right_password_works(
    client, world, backend, frozen
):
    for _ in range(5):
        sign_in(client, "gd_official", WRONG)
    frozen.shift(25)
    response = sign_in(client, "gd_official", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "35"
    assert "请1分钟后再试" in response.content.decode()
    frozen.shift(35)
    response = sign_in(client, "gd_official", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.usefixtures("no_captcha")
def test_a_success_clears_that_address_for_the_user_and_only_failures_count(
    client, world, backend, frozen
):
    keys = signin.keys_for(None, "gd_official")  # no request: the address is ""
    for _ in range(4):
        sign_in(client, "gd_official", WRONG, ip="")
    assert ratelimit.count(signin.USER_IP, keys[signin.USER_IP]) == 4
    assert sign_in(client, "gd_official", PASSWORD, ip="").status_code == 302
    assert ratelimit.count(signin.USER_IP, keys[signin.USER_IP]) == 0
    assert ratelimit.count(signin.USER_SUBNET, keys[signin.USER_SUBNET]) == 0
    assert ratelimit.count(signin.IP, "") == 4  # the address-wide count: the success not counted
    client.logout()
    for _ in range(5):
        assert sign_in(client, "gd_official", WRONG, ip="").status_code == 200
    assert sign_in(client, "gd_official", PASSWORD, ip="").status_code == 429


@pytest.mark.usefixtures("no_captcha")
def test_the_username_counts_whatever_its_case(client, world, backend, frozen):
    for name in ("GD_official", "gd_OFFICIAL", "Gd_Official", "gd_official ", "GD_OFFICIAL"):
        sign_in(client, name, WRONG)
    assert sign_in(client, "gd_official", PASSWORD).status_code == 429
    assert sign_in(client, "gd_official", PASSWORD, ip=B).status_code == 302


@pytest.mark.usefixtures("no_captcha")
def test_rotating_addresses_inside_one_network_meets_the_subnet_back_off(
    client, world, backend, frozen, hasher_calls
):
    for last in range(1, 11):  # ten addresses of 203.0.113.0/24, one guess each
        assert sign_in(client, "gd_official", WRONG, ip=f"203.0.113.{last}").status_code == 200
    hasher_calls.clear()
    response = sign_in(client, "gd_official", PASSWORD, ip="203.0.113.200")
    assert response.status_code == 429
    assert hasher_calls == []
    # Other people in that network, and the owner elsewhere, are not refused.
    assert sign_in(client, "osta_gd", PASSWORD, ip="203.0.113.200").status_code == 302
    client.logout()
    assert sign_in(client, "gd_official", PASSWORD, ip=B).status_code == 302


@pytest.mark.usefixtures("no_captcha")
def test_ipv6_addresses_of_one_slash_64_are_one_address(client, world, backend, frozen):
    for host in range(1, 6):
        sign_in(client, "gd_official", WRONG, ip=f"2001:db8:1:2::{host:x}")
    assert sign_in(client, "gd_official", PASSWORD, ip="2001:db8:1:2::ff").status_code == 429
    assert sign_in(client, "gd_official", PASSWORD, ip="2001:db8:1:3::1").status_code == 302


# --- Spraying across usernames --------------------------------------------------------------------


@pytest.mark.usefixtures("no_captcha")
def test_spraying_usernames_from_one_address_backs_that_address_off(
    client, world, backend, frozen, settings, hasher_calls
):
    settings.RATE_LIMITS = {"signin.ip": (4, 3600)}
    for name in ("ministry", "expert", "inspector", "nobody"):
        assert sign_in(client, name, WRONG, ip="203.0.113.9").status_code == 200
    hasher_calls.clear()
    response = sign_in(client, "osta_gd", PASSWORD, ip="203.0.113.9")
    assert response.status_code == 429
    assert response["Retry-After"] == str(BASE)
    assert hasher_calls == []
    assert sign_in(client, "osta_gd", PASSWORD, ip="203.0.113.10").status_code == 302
    client.logout()
    frozen.shift(BASE)
    assert sign_in(client, "unknown_x", WRONG, ip="203.0.113.9").status_code == 200
    assert sign_in(client, "osta_gd", PASSWORD, ip="203.0.113.9")["Retry-After"] == str(2 * BASE)


@pytest.mark.usefixtures("no_captcha")
def test_spraying_from_one_network_backs_the_network_off(client, world, backend, frozen, settings):
    settings.RATE_LIMITS = {"signin.subnet": (4, 3600)}
    for last, name in enumerate(("ministry", "expert", "inspector", "nobody"), start=1):
        sign_in(client, name, WRONG, ip=f"203.0.113.{last}")
    assert sign_in(client, "osta_gd", PASSWORD, ip="203.0.113.250").status_code == 429
    assert sign_in(client, "osta_gd", PASSWORD, ip="203.0.114.1").status_code == 302


@pytest.mark.usefixtures("no_captcha")
def test_behind_a_trusted_proxy_the_forwarded_address_is_throttled(
    client, world, backend, frozen, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):
        sign_in(client, "ministry", WRONG, ip=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    forged = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.9"}
    assert sign_in(client, "ministry", PASSWORD, ip=proxy, **forged).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.4"}
    assert sign_in(client, "ministry", PASSWORD, ip=proxy, **other).status_code == 302


# --- No enumeration -----------------------------------------------------------------------------


@pytest.mark.usefixtures("no_captcha")
def test_an_unknown_username_gets_the_same_answers_as_a_known_one(
    client, world, backend, frozen, hasher_calls
):
    answers = {}
    for name in ("gd_official", "no_such_person"):
        hasher_calls.clear()
        failures = [sign_in(client, name, WRONG) for _ in range(5)]
        hashed = hasher_calls.count("encode")  # one hash computed per attempt either way
        refused = sign_in(client, name, WRONG)
        answers[name] = (
            [r.status_code for r in failures],
            [page_text(r, name) for r in failures],
            hashed,
            refused.status_code,
            refused["Retry-After"],
            page_text(refused, name),
        )
    assert answers["gd_official"] == answers["no_such_person"]
    statuses, _pages, hashed, status, retry_after, page = answers["no_such_person"]
    assert statuses == [200] * 5 and hashed == 5  # the hasher runs for unknown names too
    assert (status, retry_after) == (429, str(BASE))
    assert "登录失败次数过多" in page


# --- Logging --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_captcha")
def test_failures_and_refusals_are_logged_without_the_password(
    client, world, backend, frozen, caplog
):
    caplog.set_level(logging.INFO, logger="portal.signin")
    for _ in range(6):
        sign_in(client, "gd_official", WRONG, ip="203.0.113.9")
    sign_in(client, "gd_official", PASSWORD, ip="203.0.113.9")
    records = [r for r in caplog.records if r.name == "portal.signin"]
    messages = [r.getMessage() for r in records]
    assert sum("sign-in failed" in m for m in messages) == 5
    refusals = [m for m in messages if "sign-in refused" in m]
    assert len(refusals) == 2
    assert all("scope=signin.user_ip" in m and "wait=60s" in m for m in refusals)
    assert all("gd_official" in m and "203.0.113.9" in m for m in messages)
    assert not any(WRONG in m or PASSWORD in m for m in messages)
    assert not any(WRONG in str(r.args) or PASSWORD in str(r.args) for r in records)


# --- Burst alerts ---------------------------------------------------------------------------------


def alert_mails():
    return [m for m in mail.outbox if "登录失败" in m.subject or "登录异常" in m.subject]


@pytest.mark.usefixtures("no_captcha")
def test_a_burst_from_many_addresses_alerts_the_owner_and_security_once_per_window(
    client, world, backend, frozen, settings, django_capture_on_commit_callbacks
):
    settings.SECURITY_ALERT_EMAILS = ["soc@example.org", "duty@example.org"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(9):  # nine addresses in nine networks: none is refused
            sign_in(client, "gd_official", WRONG, ip=f"198.51.{attempt}.77")
    assert alert_mails() == []
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, "gd_official", WRONG, ip="198.51.9.77")  # the 10th within the hour
    owner, security = alert_mails()
    assert owner.to == ["gd_official@example.org"]
    assert security.to == ["soc@example.org", "duty@example.org"]
    assert "gd_official" in owner.body and "10" in owner.body
    assert "您的账号未被锁定" in owner.body
    assert "198.51.9.0/24" in security.body  # the network, enough to recognise it
    for message in (owner, security):
        assert WRONG not in message.body and PASSWORD not in message.body
        assert "198.51.9.77" not in message.body  # no full address
    assert "198.51.9.0" not in owner.body
    # Further failures in the same window alert nobody again; the next window does.
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(10, 20):
            sign_in(client, "gd_official", WRONG, ip=f"198.51.{attempt}.77")
    assert len(alert_mails()) == 2
    frozen.shift(60 * 60)
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(20, 30):
            sign_in(client, "gd_official", WRONG, ip=f"198.51.{attempt}.77")
    assert len(alert_mails()) == 4


@pytest.mark.usefixtures("no_captcha")
def test_an_account_without_mail_alerts_security_and_an_unknown_name_nobody(
    client, world, backend, frozen, settings, django_capture_on_commit_callbacks
):
    settings.SECURITY_ALERT_EMAILS = ["soc@example.org"]
    settings.RATE_LIMITS = {"signin.user": (3, 3600)}
    user = world.osta_gd
    email = user.email
    user.email = ""
    user.save(update_fields=["email"])
    mail.outbox.clear()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for attempt in range(3):
                sign_in(client, "osta_gd", WRONG, ip=f"198.51.{attempt}.1")
                sign_in(client, "no_such_person", WRONG, ip=f"198.51.{attempt}.1")
    finally:
        user.email = email
        user.save(update_fields=["email"])
    (alert,) = alert_mails()
    assert alert.to == ["soc@example.org"]
    assert "osta_gd" in alert.body


# --- The proof of work after failures -------------------------------------------------------------


def has_captcha(response) -> bool:
    return 'name="captcha"' in response.content.decode()


def test_the_captcha_appears_after_three_failures(client, world, backend, frozen):
    assert not has_captcha(client.get(reverse(LOGIN), REMOTE_ADDR=A))
    for _ in range(2):
        assert not has_captcha(sign_in(client, "gd_official", WRONG))
    response = sign_in(client, "gd_official", WRONG)
    assert has_captcha(response)
    body = response.content.decode()
    assert "<altcha-widget" in body
    assert '<label for="id_captcha">人机验证' in body
    assert has_captcha(client.get(reverse(LOGIN), REMOTE_ADDR=A))  # this address failed thrice
    assert not has_captcha(client.get(reverse(LOGIN), REMOTE_ADDR=B))


def test_a_wrong_captcha_is_refused_at_the_field_without_hashing(
    client, world, backend, frozen, hasher_calls
):
    for _ in range(3):
        sign_in(client, "gd_official", WRONG)
    answer = solved_captcha()
    answer["captcha"] = answer["captcha"][:-4] + "AAAA"  # a payload that was not worked out
    hasher_calls.clear()
    response = sign_in(client, "gd_official", PASSWORD, answer)
    assert response.status_code == 200
    assert hasher_calls == []
    assert not signed_in(client)
    form = response.context["form"]
    assert form.errors == {"captcha": ["人机验证未通过或已过期，请重试。"]}
    body = response.content.decode()
    assert re.search(r'<div class="field has-error required">\s*<label for="id_captcha">', body)
    # A refused captcha is not a failed sign-in: the counts stay at three.
    assert ratelimit.count(signin.USER, "gd_official") == 3
    keys = signin.keys_for(response.wsgi_request, "gd_official")
    assert ratelimit.count(signin.USER_IP, keys[signin.USER_IP]) == 3


def test_a_missing_captcha_is_asked_for_without_hashing(
    client, world, backend, frozen, hasher_calls
):
    for last in range(1, 4):  # three failures for the username, from three other networks
        sign_in(client, "gd_official", WRONG, ip=f"198.51.{last}.1")
    assert not has_captcha(client.get(reverse(LOGIN), REMOTE_ADDR=B))
    hasher_calls.clear()
    response = sign_in(client, "gd_official", PASSWORD, ip=B)
    assert hasher_calls == []
    assert response.context["form"].errors == {"captcha": ["请完成人机验证。"]}
    assert has_captcha(response)


def test_a_right_captcha_does_not_lift_the_back_off(client, world, backend, frozen, hasher_calls):
    for _ in range(3):
        sign_in(client, "gd_official", WRONG)
    for _ in range(2):
        sign_in(client, "gd_official", WRONG, solved_captcha())
    hasher_calls.clear()
    response = sign_in(client, "gd_official", PASSWORD, solved_captcha())
    assert response.status_code == 429
    assert hasher_calls == []


def test_without_captcha_the_form_never_asks_for_one(client, world, backend, frozen, settings):
    settings.CAPTCHA_ENABLED = False
    for _ in range(4):
        assert not has_captcha(sign_in(client, "gd_official", WRONG))
    assert sign_in(client, "gd_official", PASSWORD).status_code == 302


def test_the_alert_task_is_found_by_the_worker():
    from portal.celery import app

    app.loader.import_default_modules()  # what a worker does at start
    assert "portal.accounts.alerts.send_signin_alert" in app.tasks
