"""portal.captcha: the self-hosted picture captcha, its one-use hashed answers and its field."""

from __future__ import annotations

import base64
import random
import re

import pytest
import time_machine
from django import forms
from django.contrib.sessions.backends.db import SessionStore

from portal import captcha


class Session(dict):
    """A plain mapping is all a challenge needs; the form tests use real sessions."""


def _svg(challenge: captcha.Challenge) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert challenge.data_uri.startswith(prefix)
    return base64.b64decode(challenge.data_uri[len(prefix) :]).decode()


def test_a_seeded_challenge_is_known_and_five_digits():
    first = captcha.new_challenge(Session(), rng=random.Random(42))
    again = captcha.new_challenge(Session(), rng=random.Random(42))
    assert first == again
    assert re.fullmatch(r"[0-9]{5}", first.answer)
    other = captcha.new_challenge(Session(), rng=random.Random(43))
    assert (other.id, other.svg) != (first.id, first.svg)


def test_the_session_keeps_only_a_hash_of_the_answer():
    session = Session()
    challenge = captcha.new_challenge(session, rng=random.Random(7))
    (stored,) = session[captcha.SESSION_KEY].values()
    digest, _expires = stored
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert challenge.answer not in repr(dict(session))


def test_the_right_answer_passes_once():
    session = Session()
    challenge = captcha.new_challenge(session, rng=random.Random(1))
    assert captcha.verify(session, challenge.id, challenge.answer) is True
    assert captcha.verify(session, challenge.id, challenge.answer) is False


def test_a_wrong_answer_spends_the_challenge():
    session = Session()
    challenge = captcha.new_challenge(session, rng=random.Random(2))
    wrong = "".join(str((int(c) + 1) % 10) for c in challenge.answer)
    assert captcha.verify(session, challenge.id, wrong) is False
    assert captcha.verify(session, challenge.id, challenge.answer) is False


def test_an_answer_belongs_to_its_own_challenge():
    session = Session()
    one = captcha.new_challenge(session, rng=random.Random(3))
    two = captcha.new_challenge(session, rng=random.Random(4))
    assert one.answer != two.answer
    assert captcha.verify(session, two.id, one.answer) is False
    assert captcha.verify(session, one.id, one.answer) is True
    assert captcha.verify(session, "", one.answer) is False


def test_a_challenge_expires_after_five_minutes():
    session = Session()
    with time_machine.travel(0, tick=False) as traveller:
        late = captcha.new_challenge(session, rng=random.Random(5))
        in_time = captcha.new_challenge(session, rng=random.Random(6))
        traveller.shift(299)
        assert captcha.verify(session, in_time.id, in_time.answer) is True
        traveller.shift(2)
        assert captcha.verify(session, late.id, late.answer) is False


def test_full_width_digits_and_spaces_are_accepted():
    session = Session()
    challenge = captcha.new_challenge(session, rng=random.Random(8))
    full_width = " ".join(chr(ord(c) + 0xFEE0) for c in challenge.answer)
    assert captcha.verify(session, challenge.id, full_width) is True


def test_a_session_holds_at_most_five_open_challenges():
    session = Session()
    made = [captcha.new_challenge(session, rng=random.Random(10 + i)) for i in range(7)]
    assert len(session[captcha.SESSION_KEY]) == captcha.MAX_PENDING
    assert captcha.verify(session, made[-1].id, made[-1].answer) is True


def test_the_picture_draws_paths_and_says_nothing_of_the_answer():
    challenge = captcha.new_challenge(Session(), rng=random.Random(9))
    svg = _svg(challenge)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<text" not in svg and "<script" not in svg and "href" not in svg
    assert 'role="img"' in svg
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert label and challenge.answer not in label
    assert svg.count("<path") >= 4
    # Every glyph is drawn: five digits with at least one stroke each, plus noise curves.
    strokes = sum(d.count("M") for d in re.findall(r'<path d="([^"]*)"[^>]*stroke-linecap', svg))
    assert strokes >= captcha.LENGTH + 2


def test_pictures_of_the_same_answer_differ():
    a = captcha.render_svg("12345", random.Random(1))
    b = captcha.render_svg("12345", random.Random(2))
    assert a != b


# --- The field --------------------------------------------------------------------------------


class PublicForm(captcha.CaptchaFormMixin, forms.Form):
    name = forms.CharField()


@pytest.fixture
def session(db):
    store = SessionStore()
    store.create()
    return store


def test_the_field_renders_a_picture_and_a_labelled_input(session):
    form = PublicForm(captcha_session=session)
    html = form.as_div()
    assert "验证码" in html
    assert re.search(r'<img class="captcha-image" src="data:image/svg\+xml;base64,', html)
    assert re.search(r'alt="验证码图片，共5位数字[^"]*12333', html)
    assert re.search(r'<label for="id_captcha">', html)
    assert re.search(r'<input type="text" name="captcha"[^>]*id="id_captcha"', html)
    assert 'name="captcha_id"' in html
    assert "<script" not in html


def test_each_render_draws_a_new_challenge(session):
    form = PublicForm(captcha_session=session)
    first = re.search(r'name="captcha_id" value="([0-9a-f]+)"', str(form["captcha"])).group(1)
    second = re.search(r'name="captcha_id" value="([0-9a-f]+)"', str(form["captcha"])).group(1)
    assert first != second
    assert set(session[captcha.SESSION_KEY]) == {first, second}


def test_the_right_answer_validates(session):
    challenge = captcha.new_challenge(session, rng=random.Random(11))
    data = {"name": "张三", "captcha": challenge.answer, "captcha_id": challenge.id}
    form = PublicForm(data, captcha_session=session)
    assert form.is_valid(), form.errors


def test_a_wrong_answer_is_refused_at_the_field_in_chinese(session):
    challenge = captcha.new_challenge(session, rng=random.Random(12))
    wrong = "".join(str((int(c) + 3) % 10) for c in challenge.answer)
    data = {"name": "张三", "captcha": wrong, "captcha_id": challenge.id}
    form = PublicForm(data, captcha_session=session)
    assert not form.is_valid()
    assert form.errors == {"captcha": ["验证码错误或已过期。"]}
    assert form.has_error("captcha", code="invalid")
    # Spent: submitting the right answer afterwards does not help.
    data["captcha"] = challenge.answer
    assert not PublicForm(data, captcha_session=session).is_valid()


def test_an_empty_answer_asks_for_the_code(session):
    challenge = captcha.new_challenge(session, rng=random.Random(13))
    form = PublicForm({"name": "张三", "captcha_id": challenge.id}, captcha_session=session)
    assert form.errors == {"captcha": ["请输入验证码。"]}


def test_an_expired_challenge_is_refused(session):
    with time_machine.travel(1_800_000_000, tick=False) as traveller:
        challenge = captcha.new_challenge(session, rng=random.Random(14))
        traveller.shift(captcha.TTL_SECONDS + 1)
        data = {"name": "张三", "captcha": challenge.answer, "captcha_id": challenge.id}
        form = PublicForm(data, captcha_session=session)
        assert form.has_error("captcha", code="invalid")


def test_the_captcha_can_be_switched_off(session, settings):
    settings.CAPTCHA_ENABLED = False
    form = PublicForm({"name": "张三"}, captcha_session=session)
    assert "captcha" not in form.fields
    assert form.is_valid()
