"""Builders of the portal tests: accounts, the browser's sign-in, the rate limiter's backends.

Test modules import builders from here (never from another test module), so a test module
can move or be deleted without breaking another one.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

PASSWORD = "Test#pass2026"


def make_user(username: str, *, role: str | None = None, jurisdiction: str = "", **extra):
    """An active account with ``PASSWORD``; ``role`` names an authority-role group."""
    from portal.models import User

    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        real_name=extra.pop("real_name", username),
        jurisdiction=jurisdiction,
        email=extra.pop("email", f"{username}@example.org"),
        **extra,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


# --- The browser ------------------------------------------------------------------------------


def sign_in(page, live_server, username):
    """Sign in through the form (as a person would) and land on the workspace."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")


# --- The rate limiter's two backends ------------------------------------------------------------

# 10:00 in Beijing is 02:00 UTC: the start of a 15-minute (and of a 1-minute) window.
WINDOW_START = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def use_database(settings) -> None:
    settings.REDIS_URL = ""
    settings.RATE_LIMIT_PREFIX = f"rl-test-{uuid.uuid4().hex[:8]}"


def use_redis(settings):
    """Point the limiter at the real Redis with a key prefix of its own; returns a client."""
    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL (source <(bash .ci/services))")
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "portal-test",
        }
    }
    settings.RATE_LIMIT_PREFIX = f"rl-test-{uuid.uuid4().hex[:8]}"
    return redis.Redis.from_url(url)


class Stored:
    """What the limiter wrote, read behind its back: database rows or Redis keys and values."""

    def __init__(self, kind: str, settings, client=None) -> None:
        self.kind, self.settings, self.client = kind, settings, client

    def texts(self) -> list[str]:
        from portal.security_models import RateLimitBucket

        if self.kind == "db":
            return [f"{b.key} {b.hits}" for b in RateLimitBucket.objects.all()]
        pattern = f"*{self.settings.RATE_LIMIT_PREFIX}:*"
        return [
            f"{key.decode()} {self.client.get(key).decode()}"
            for key in self.client.scan_iter(match=pattern)
        ]

    def cleanup(self) -> None:
        if self.client is not None:
            for key in self.client.scan_iter(match=f"*{self.settings.RATE_LIMIT_PREFIX}:*"):
                self.client.delete(key)
