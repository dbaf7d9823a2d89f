"""Login-failure handling on the sign-in page (MLPS 2.0): limits before the hasher, captcha.

Every case runs on both limiter backends: the database, and the real Redis at REDIS_URL.
"""

from __future__ import annotations

import logging
import re

import pytest
import time_machine
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from portal import captcha, ratelimit
from portal.accounts import signin
from tests.portal.altcha_solver import solve
from tests.portal.builders import PASSWORD, WINDOW_START, Stored, use_database, use_redis

LOGIN = "portal:login"
WRONG = "Wrong#pass2026"


@pytest.fixture(params=["db", "redis"])
def backend(request, settings, world):
    if request.param == "db":
        use_database(settings)
        found = Stored("db", settings)
    else:
        found = Stored("redis", settings, use_redis(settings))
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


def sign_in(client, username: str, password: str, data: dict | None = None, **extra):
    """POST the sign-in form; ``extra`` are request headers and environ (REMOTE_ADDR)."""
    fields = {"username": username, "password": password, **(data or {})}
    return client.post(reverse(LOGIN), fields, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def solved_captcha(client) -> dict[str, str]:
    """A sign-in challenge solved as the widget would (the client needs no session)."""
    return {"captcha": solve(captcha.new_challenge("signin"))}


# --- Lockout ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_captcha")
def test_the_sixth_attempt_is_refused_even_with_the_right_password_without_hashing(
    client, world, backend, frozen, hasher_calls
):
    user = world.gd_official
    last_login = user.last_login
    for _ in range(5):
        hasher_calls.clear()
        response = sign_in(client, "gd_official", WRONG)
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
        assert "verify" in hasher_calls  # the counter sees the hasher when it runs
    hasher_calls.clear()
    response = sign_in(client, "gd_official", PASSWORD)
    assert response.status_code == 429
    assert hasher_calls == []
    assert response["Retry-After"] == str(15 * 60)
    form = response.context["form"]
    assert form.has_error("__all__", code="locked")
    assert "登录失败次数过多，请15分钟后再试。" in response.content.decode()
    assert not signed_in(client)
    user.refresh_from_db()
    assert user.last_login == last_login


@pytest.mark.usefixtures("no_captcha")
def test_the_cool_off_counts_down_and_then_the_right_password_works(client, world, backend, frozen):
    for _ in range(5):
        sign_in(client, "gd_official", WRONG)
    frozen.shift(11 * 60 + 30)
    response = sign_in(client, "gd_official", PASSWORD)
    assert response.status_code == 429
    assert "请4分钟后再试" in response.content.decode()
    frozen.shift(3 * 60 + 30)
    response = sign_in(client, "gd_official", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.usefixtures("no_captcha")
def test_only_failures_count_and_a_success_clears_the_username(client, world, backend, frozen):
    keys = signin.keys_for(None, "gd_official")
    for _ in range(4):
        sign_in(client, "gd_official", WRONG)
    assert ratelimit.count(signin.USER, keys[signin.USER]) == 4
    assert sign_in(client, "gd_official", PASSWORD).status_code == 302
    assert ratelimit.count(signin.USER, keys[signin.USER]) == 0
    assert ratelimit.count(signin.IP, "127.0.0.1/32") == 4  # the success was not counted
    client.logout()
    for _ in range(5):
        assert sign_in(client, "gd_official", WRONG).status_code == 200
    assert sign_in(client, "gd_official", PASSWORD).status_code == 429


@pytest.mark.usefixtures("no_captcha")
def test_the_username_is_locked_whatever_its_case(client, world, backend, frozen):
    for name in ("GD_official", "gd_OFFICIAL", "Gd_Official", "gd_official ", "GD_OFFICIAL"):
        sign_in(client, name, WRONG)
    assert sign_in(client, "gd_official", PASSWORD).status_code == 429


@pytest.mark.usefixtures("no_captcha")
def test_the_lock_follows_the_username_across_addresses(client, world, backend, frozen):
    for last in range(1, 6):
        sign_in(client, "gd_official", WRONG, REMOTE_ADDR=f"198.51.{last}.1")
    assert sign_in(client, "gd_official", PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 429
    # Other people are not locked out by it.
    assert sign_in(client, "osta_gd", PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 302


@pytest.mark.usefixtures("no_captcha")
def test_the_address_limit_locks_every_username_from_that_address(
    client, world, backend, frozen, settings, hasher_calls
):
    settings.RATE_LIMITS = {"signin.ip": (4, 900)}
    for name in ("ministry", "expert", "inspector", "nobody"):
        sign_in(client, name, WRONG, REMOTE_ADDR="203.0.113.9")
    hasher_calls.clear()
    response = sign_in(client, "osta_gd", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert hasher_calls == []
    assert sign_in(client, "osta_gd", PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


@pytest.mark.usefixtures("no_captcha")
def test_the_subnet_limit_locks_the_whole_slash_24(client, world, backend, frozen, settings):
    settings.RATE_LIMITS = {"signin.subnet": (4, 900)}
    for last, name in enumerate(("ministry", "expert", "inspector", "nobody"), start=1):
        sign_in(client, name, WRONG, REMOTE_ADDR=f"203.0.113.{last}")
    assert sign_in(client, "osta_gd", PASSWORD, REMOTE_ADDR="203.0.113.250").status_code == 429
    assert sign_in(client, "osta_gd", PASSWORD, REMOTE_ADDR="203.0.114.1").status_code == 302


@pytest.mark.usefixtures("no_captcha")
def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(
    client, world, backend, frozen, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {"signin.ip": (2, 900)}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for name in ("ministry", "expert"):
        sign_in(client, name, WRONG, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9", **proxy)
    forged = {"HTTP_X_FORWARDED_FOR": "9.9.9.9, 203.0.113.9", **proxy}
    assert sign_in(client, "osta_gd", PASSWORD, **forged).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.4", **proxy}
    assert sign_in(client, "osta_gd", PASSWORD, **other).status_code == 302


@pytest.mark.usefixtures("no_captcha")
def test_unknown_usernames_are_locked_the_same_way(client, world, backend, frozen, hasher_calls):
    for _ in range(5):
        sign_in(client, "no_such_person", WRONG)
    hasher_calls.clear()
    response = sign_in(client, "no_such_person", WRONG)
    assert response.status_code == 429
    assert hasher_calls == []
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.usefixtures("no_captcha")
def test_failures_are_logged_without_the_password(client, world, backend, frozen, caplog):
    caplog.set_level(logging.INFO, logger="portal.signin")
    for _ in range(6):
        sign_in(client, "gd_official", WRONG)
    records = [r for r in caplog.records if r.name == "portal.signin"]
    messages = [r.getMessage() for r in records]
    assert sum("sign-in failed" in m for m in messages) == 5
    assert sum("sign-in refused" in m for m in messages) == 1
    assert all("gd_official" in m and "127.0.0.1" in m for m in messages)
    assert not any(WRONG in m or PASSWORD in m for m in messages)
    assert not any(WRONG in str(r.args) for r in records)


# --- Captcha after failures -------------------------------------------------------------------


def has_captcha(response) -> bool:
    return 'name="captcha"' in response.content.decode()


def test_the_captcha_appears_after_three_failures(client, world, backend, frozen):
    assert not has_captcha(client.get(reverse(LOGIN)))
    for _ in range(2):
        assert not has_captcha(sign_in(client, "gd_official", WRONG))
    response = sign_in(client, "gd_official", WRONG)
    assert has_captcha(response)
    body = response.content.decode()
    assert "<altcha-widget" in body
    assert '<label for="id_captcha">人机验证' in body
    assert has_captcha(client.get(reverse(LOGIN)))  # this address has failed three times


def test_a_wrong_captcha_is_refused_at_the_field_without_hashing(
    client, world, backend, frozen, hasher_calls
):
    for _ in range(3):
        sign_in(client, "gd_official", WRONG)
    answer = solved_captcha(client)
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
    assert "人机验证未通过或已过期，请重试。" in body
    # A refused captcha is not a failed sign-in: the count stays at three.
    assert ratelimit.count(signin.USER, "gd_official") == 3


def test_a_missing_captcha_is_asked_for_without_hashing(
    client, world, backend, frozen, hasher_calls
):
    for last in range(1, 4):  # three failures for the username, from three other addresses
        sign_in(client, "gd_official", WRONG, REMOTE_ADDR=f"198.51.100.{last}")
    assert not has_captcha(client.get(reverse(LOGIN), REMOTE_ADDR="192.0.2.7"))
    hasher_calls.clear()
    response = sign_in(client, "gd_official", PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert hasher_calls == []
    assert response.context["form"].errors == {"captcha": ["请完成人机验证。"]}
    assert has_captcha(response)


def test_the_right_captcha_and_password_sign_in(client, world, backend, frozen):
    for _ in range(3):
        sign_in(client, "gd_official", WRONG)
    response = sign_in(client, "gd_official", PASSWORD, solved_captcha(client))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert signed_in(client)


def test_a_right_captcha_does_not_lift_the_lockout(client, world, backend, frozen, hasher_calls):
    for _ in range(3):
        sign_in(client, "gd_official", WRONG)
    for _ in range(2):
        sign_in(client, "gd_official", WRONG, solved_captcha(client))
    hasher_calls.clear()
    response = sign_in(client, "gd_official", PASSWORD, solved_captcha(client))
    assert response.status_code == 429
    assert hasher_calls == []


def test_without_captcha_the_form_never_asks_for_one(client, world, backend, frozen, settings):
    settings.CAPTCHA_ENABLED = False
    for _ in range(4):
        assert not has_captcha(sign_in(client, "gd_official", WRONG))
    assert sign_in(client, "gd_official", PASSWORD).status_code == 302
