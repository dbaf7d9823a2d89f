"""Generated bad input against the certificate lookup (issue 17; decision 0047): overlong,
wrong scripts, NUL and other controls, injection strings, emoji, full-width, RTL marks, huge
fields, raw bytes, wrong methods and content types. No server error; what the form refuses
it says at the field in Chinese; no response body and no log line holds a full ID number."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates import services
from certificates.models import Certificate
from portal import validators
from tests.bad_inputs import CJK, CONTROLS, NASTY, bad_bytes, bad_text

FAST = settings(
    max_examples=220,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


def post(client, url: str, fields: dict):
    """A form-encoded POST; bytes values are sent as they are (not all UTF-8)."""
    data = urlencode(
        {k: v if isinstance(v, bytes) else v.encode("utf-8") for k, v in fields.items()}
    ).encode("ascii")
    return client.post(url, data, content_type="application/x-www-form-urlencoded")


def refused_everywhere(value: str) -> bool:
    return bool(validators.control_characters(value.strip())) or len(value) > 5000


def assert_errors_in_chinese(response, field: str | None, value) -> None:
    """Below 500; each message of the form that came back is Chinese, and a value no field
    accepts is refused at ``field``."""
    assert response.status_code < 500, (field, value)
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    if form is None or not form.is_bound:
        return
    for name, errors in form.errors.items():
        for message in errors:
            assert CJK.search(message), (name, message, value)
    if field and isinstance(value, str) and refused_everywhere(value):
        assert field in form.errors, (field, value, form.errors)


pytestmark = pytest.mark.django_db
URL = "/certificates/lookup/"

#: Beside the project's own lists: what people paste into a lookup.
MORE = [
    "张三\u200f",  # right-to-left mark
    "\u200e王五",  # left-to-right mark
    "\u202b王五\u202c",
    "ｓ０００１２３４５６７８９０１２３４５６７８９０",  # a full-width number
    "S" + "0" * 21 + "\x00",
    "4401061907000123' --",
    "1' UNION SELECT id_number FROM certificates_certificate --",
    "$(rm -rf /)",
    "${jndi:ldap://x}",
    "王" * 61,
    "张·三·" * 20,
    "🙂🙂🙂",
    "Ⅻ",
    "\t\n\r",
    "ा" * 5,  # Devanagari
    "مرحبا",  # Arabic
]


@pytest.fixture
def cert(world, settings, tmp_path):
    from tests.certificates.builders import final_session

    settings.CAPTCHA_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    settings.RATE_LIMITS = dict.fromkeys(
        ("certificate_lookup.ip", "certificate_lookup.subnet", "certificate_lookup.hour"),
        (10**6, 60),
    )
    session = final_session(world, 1, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    return Certificate.objects.get(session=session)


def _valid(cert, way: str) -> dict:
    base = {"way": way, "name": cert.holder_name}
    if way == "id":
        return {**base, "id_type": "resident_id", "id_number": cert.id_number}
    return {**base, "number": cert.number}


def test_generated_bad_input_never_fails_and_never_shows_or_logs_an_id_number(cert, client, caplog):
    caplog.set_level(logging.DEBUG)
    full_id = cert.id_number
    seen = {"count": 0}

    @FAST
    @given(
        way=st.sampled_from(["id", "number"]),
        field=st.sampled_from(["way", "name", "id_type", "id_number", "number"]),
        value=st.one_of(bad_text, bad_bytes, st.sampled_from(MORE + CONTROLS + NASTY)),
    )
    def check(way, field, value):
        seen["count"] += 1
        response = post(client, URL, {**_valid(cert, way), field: value})
        assert_errors_in_chinese(response, field, value)
        assert full_id.encode() not in response.content
        if response.status_code == 200 and field in ("name", "id_number", "number"):
            # A page without errors may come from cached pieces (no template, no form).
            form = response.context.get("form") if response.context is not None else None
            relevant = field == "name" or (field == "id_number") == (way == "id")
            bound = form is not None and form.is_bound
            if relevant and bound and isinstance(value, str) and len(value) > 60:
                assert field in form.errors  # an overlong value is refused at its field

    check()
    assert seen["count"] >= 200
    for record in caplog.records:
        assert full_id not in record.getMessage()
        assert full_id not in str(record.args or "")


@pytest.mark.parametrize("value", MORE + CONTROLS + NASTY)
def test_each_listed_value_in_each_field_is_refused_or_finds_nothing(cert, client, value):
    for way in ("id", "number"):
        for field in ("name", "id_number", "number", "id_type", "way"):
            response = post(client, URL, {**_valid(cert, way), field: value})
            assert response.status_code == 200, (way, field, value)
            assert_errors_in_chinese(response, field, value)
            body = response.content
            assert cert.id_number.encode() not in body
            if field in ("id_type", "way") or (field == "id_number") != (way == "id"):
                continue  # a field the chosen way does not read
            if field == "number" and way == "number" and value.strip() == "":
                continue
            assert b'data-found="certificate"' not in body or value.strip() in (
                cert.holder_name,
                cert.number,
            ), (way, field, value)


def test_wrong_methods_and_content_types_are_answered_without_a_server_error(cert, client):
    for method in ("put", "patch", "delete", "options"):
        assert getattr(client, method)(URL).status_code == 405, method
    assert client.head(URL).status_code == 200
    data = '{"way": "number", "name": "x", "number": "y"}'
    for content_type in ("application/json", "text/plain", "application/xml", "image/png"):
        response = client.post(URL, data, content_type=content_type)
        assert response.status_code == 200 and b'data-found="invalid"' in response.content
    broken = client.post(
        URL,
        b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\n\xff',
        content_type="multipart/form-data; boundary=x",
    )
    assert broken.status_code < 500
    huge = client.post(URL, {"way": "id", "name": "王" * 100_000, "id_number": "1" * 100_000})
    assert huge.status_code in (200, 400) and b'data-found="certificate"' not in huge.content
    many = client.post(URL, {f"f{i}": "x" for i in range(2000)})
    assert many.status_code < 500


def test_the_form_error_messages_are_chinese_at_the_field(cert, client):
    cases = [
        ({"way": "id", "name": "", "id_number": ""}, {"name", "id_number"}),
        ({"way": "id", "name": "王五", "id_number": "440106199001011234"}, {"id_number"}),
        ({"way": "number", "name": "王五", "number": "S123"}, {"number"}),
        ({"way": "number", "name": "王五", "number": ""}, {"number"}),
        ({"way": "x", "name": "王五"}, {"way"}),
        ({"way": "id", "name": "王五", "id_type": "visa", "id_number": "E1234567"}, {"id_type"}),
        ({"way": "number", "name": "123", "number": cert.number}, {"name"}),
    ]
    for data, fields in cases:
        response = client.post(URL, data)
        form = response.context["form"]
        assert set(form.errors) == fields, (data, form.errors)
        assert_errors_in_chinese(response, None, None)
        assert b'data-found="invalid"' in response.content
