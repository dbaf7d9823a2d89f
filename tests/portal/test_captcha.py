"""The proof-of-work human check (portal.captcha): signed, expiring, spent once, quotas."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
import time_machine
from django import forms
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse

from portal import captcha, ratelimit
from portal.models import SpentChallenge
from tests.portal.altcha_solver import challenge_in, solve

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.20"


@pytest.fixture(autouse=True)
def _no_redis(settings):
    settings.REDIS_URL = ""  # the database backends: replay table and rate-limit buckets
    settings.RATE_LIMITS = {"captcha.objection": (5, 24 * 60 * 60)}


def request_from(address: str = ADDRESS):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_a_solved_challenge_passes_once():
    payload = solve(captcha.new_challenge("objection", request_from()))
    assert captcha.verify(payload, "objection", request_from()) == captcha.OK
    assert captcha.verify(payload, "objection", request_from()) == captcha.REPLAYED
    assert SpentChallenge.objects.count() == 1


def test_a_wrong_number_is_refused():
    challenge = captcha.new_challenge("objection")
    data = json.loads(base64.b64decode(solve(challenge)))
    data["number"] += 1
    forged = base64.b64encode(json.dumps(data).encode()).decode()
    assert captcha.verify(forged, "objection") == captcha.INVALID
    assert captcha.verify("not base64 at all", "objection") == captcha.INVALID
    assert captcha.verify("", "objection") == captcha.INVALID


def test_a_tampered_signature_or_salt_is_refused():
    challenge = captcha.new_challenge("objection")
    data = json.loads(base64.b64decode(solve(challenge)))
    bad_signature = {**data, "signature": "0" * 64}
    assert (
        captcha.verify(base64.b64encode(json.dumps(bad_signature).encode()).decode(), "objection")
        == captcha.INVALID
    )
    # A longer expiry in the salt breaks the hash and the signature.
    later = data["salt"].replace("expires=", "expires=9")
    assert (
        captcha.verify(
            base64.b64encode(json.dumps({**data, "salt": later}).encode()).decode(), "objection"
        )
        == captcha.INVALID
    )


def test_a_challenge_of_another_key_is_refused(settings):
    payload = solve(captcha.new_challenge("objection"))
    settings.SECRET_KEY = "another-secret-key-" * 4
    assert captcha.verify(payload, "objection") == captcha.INVALID


def test_a_challenge_belongs_to_its_form():
    payload = solve(captcha.new_challenge("registration"))
    assert captcha.verify(payload, "objection") == captcha.WRONG_PURPOSE


def test_a_challenge_expires_after_ten_minutes():
    start = dt.datetime(2027, 3, 5, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        payload = solve(captcha.new_challenge("objection"))
    with time_machine.travel(start + dt.timedelta(minutes=9, seconds=50), tick=False):
        assert captcha.verify(payload, "objection") == captcha.OK
    with time_machine.travel(start, tick=False):
        payload = solve(captcha.new_challenge("objection"))
    with time_machine.travel(start + dt.timedelta(minutes=10, seconds=10), tick=False):
        assert captcha.verify(payload, "objection") == captcha.EXPIRED


def test_spent_challenges_are_purged_once_expired():
    start = dt.datetime(2027, 3, 5, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        assert captcha.verify(solve(captcha.new_challenge("objection")), "objection") == "ok"
        assert captcha.purge_spent() == 0
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        assert captcha.purge_spent() == 1


def test_the_replay_cache_uses_redis_when_configured(settings):
    settings.REDIS_URL = "redis://configured"  # the cache of the test settings stands in
    payload = solve(captcha.new_challenge("objection"))
    assert captcha.verify(payload, "objection") == captcha.OK
    assert captcha.verify(payload, "objection") == captcha.REPLAYED
    assert SpentChallenge.objects.count() == 0


def test_difficulty_doubles_every_three_filings_of_an_address(settings):
    settings.CAPTCHA_MAX_NUMBER = 1000
    settings.CAPTCHA_DIFFICULTY_STEP = 3
    settings.RATE_LIMITS = {"captcha.objection": (50, 24 * 60 * 60)}
    seen = []
    for _filing in range(7):
        challenge = captcha.new_challenge("objection", request_from())
        seen.append(challenge["maxNumber"])
        assert captcha.verify(solve(challenge), "objection", request_from()) == captcha.OK
    assert seen == [1000, 1000, 1000, 2000, 2000, 2000, 4000]
    # Another address starts at the base again.
    assert captcha.new_challenge("objection", request_from("198.51.100.99"))["maxNumber"] == 1000
    settings.CAPTCHA_MAX_NUMBER_CAP = 1500
    assert captcha.new_challenge("objection", request_from())["maxNumber"] == 1500


def test_the_daily_quota_refuses_at_the_field_in_chinese():
    class Form(captcha.CaptchaFormMixin, forms.Form):
        captcha_purpose = "objection"

    for _filing in range(5):
        payload = solve(captcha.new_challenge("objection", request_from()))
        form = Form({"captcha": payload}, captcha_request=request_from())
        assert form.is_valid(), form.errors
    payload = solve(captcha.new_challenge("objection", request_from()))
    form = Form({"captcha": payload}, captcha_request=request_from())
    assert not form.is_valid()
    assert form.errors["captcha"][0].startswith("今天从您的网络提交此表单的次数过多")
    assert "12333" in form.errors["captcha"][0]
    assert captcha.quota_exceeded("objection", ratelimit.host_of(ADDRESS))
    # The next visit says so before the form is filled in, with no challenge to solve.
    html = Form(captcha_request=request_from()).as_div()
    assert "今天从您的网络提交此表单的次数过多" in html and "<altcha-widget" not in html


class ObjectionLike(captcha.CaptchaFormMixin, forms.Form):
    captcha_purpose = "objection"
    name = forms.CharField()


def test_the_field_renders_the_widget_with_chinese_labels_and_the_hotline():
    html = ObjectionLike(captcha_request=request_from()).as_div()
    assert "<altcha-widget" in html and 'name="captcha"' in html
    assert 'workerurl="/static/portal/vendor/altcha/worker.js"' in html
    assert 'href="/static/portal/vendor/altcha/altcha.css"' in html
    assert 'type="module" src="/static/portal/vendor/altcha/altcha.js"' in html
    assert "我不是机器人" in html
    assert "12333" in html
    assert "style=" not in html
    challenge = challenge_in(html)
    assert set(challenge) == {"algorithm", "challenge", "maxNumber", "salt", "signature"}
    assert "purpose=objection" in challenge["salt"] and "expires=" in challenge["salt"]


def test_each_render_signs_a_new_challenge():
    form = ObjectionLike(captcha_request=request_from())
    assert challenge_in(form.as_div())["salt"] != challenge_in(form.as_div())["salt"]


def test_an_empty_field_asks_for_the_check_in_chinese():
    form = ObjectionLike({"name": "x"}, captcha_request=request_from())
    assert form.errors == {"captcha": ["请完成人机验证。"]}
    form = ObjectionLike({"name": "x", "captcha": "garbage"}, captcha_request=request_from())
    assert form.errors == {"captcha": ["人机验证未通过或已过期，请重试。"]}


def test_the_old_session_argument_still_works_without_a_session():
    form = ObjectionLike({"name": "x"}, captcha_session=object())
    assert form.captcha_asked
    form = ObjectionLike()
    assert not form.captcha_asked and form.add_captcha(None) and form.captcha_asked


def test_the_check_can_be_switched_off(settings):
    settings.CAPTCHA_ENABLED = False
    form = ObjectionLike({"name": "x"}, captcha_request=request_from())
    assert not form.captcha_asked and form.is_valid()


def test_anonymous_public_pages_create_no_session_row(client, world, settings):
    settings.CAPTCHA_ENABLED = True
    from portal import notices
    from tests.portal.test_notices import KIND, Recorder, publish

    recorder = Recorder()
    notices.register_kind(
        KIND, label="测试审批", on_stood=recorder.on_stood, on_overturned=recorder.on_overturned
    )
    notice = publish(world)
    pages = [
        reverse("portal:home"),
        reverse("agencies:directory"),
        reverse("notices:list"),
        reverse("notices:detail", args=[notice.pk]),
        reverse("agencies:register"),
        reverse("portal:login"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "<altcha-widget" in client.get(reverse("agencies:register")).content.decode()
    assert Session.objects.count() == 0
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_expired_sessions_are_cleared_by_a_periodic_job(client, world):
    from portal.jobs import periodic

    job = periodic.jobs()["portal.clear_expired_sessions"]
    from django.contrib.sessions.backends.db import SessionStore

    fresh, stale = SessionStore(), SessionStore()
    fresh["x"], stale["x"] = 1, 1
    fresh.save()
    stale.set_expiry(1)
    stale.save()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    job.func()
    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]
