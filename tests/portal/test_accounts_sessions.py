"""Idle sessions end after 30 minutes (MLPS 2.0 level 3), activity keeps them alive."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_an_idle_session_ends_after_thirty_minutes_but_activity_renews_it(client, world, settings):
    # The database backend checks expiry against the (travelling) clock; production uses
    # cached_db on Redis with the same age as the key's time-to-live.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(world.ministry)
        assert client.get(reverse("portal:dashboard")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("portal:dashboard")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=58), tick=False):
        assert client.get(reverse("portal:dashboard")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=89), tick=False):
        response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))


def test_the_session_cookie_is_http_only_and_ends_with_the_browser(client, world):
    client.force_login(world.ministry)
    response = client.get(reverse("portal:dashboard"))
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
