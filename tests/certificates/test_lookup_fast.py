"""The lookup's fast path (issue 17 "Speed and scale"; decision 0054): the shared page chrome
for anonymous visitors, the empty form from cached HTML, one database message a lookup, the
human check spent with the limits once the rest of the form passed."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from certificates import services
from certificates.models import Certificate
from certificates.services import lookup
from portal.ui import chrome, navigation
from tests.portal.altcha_solver import solve_page

pytestmark = pytest.mark.django_db
URL = "/certificates/lookup/"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def issued(world):
    from tests.certificates.builders import final_session

    session = final_session(world, 2, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    return list(Certificate.objects.filter(session=session).order_by("number"))


@pytest.fixture
def captcha_on(settings):
    settings.CAPTCHA_ENABLED = True
    settings.CAPTCHA_MAX_NUMBER = 1000  # quick to solve here


@pytest.fixture(autouse=True)
def _fresh_chrome():
    chrome.clear()
    yield
    chrome.clear()


def normalised(body: bytes) -> bytes:
    body = TOKEN.sub(b"", body)
    return re.sub(rb'challengejson="[^"]*"', b"", body)


def by_number(cert, **extra) -> dict:
    return {"way": "number", "name": cert.holder_name, "number": cert.number, **extra}


def test_the_fast_page_reads_exactly_as_the_page_rendered_in_full(
    client, issued, settings, monkeypatch
):
    settings.CAPTCHA_ENABLED = False
    cert = issued[0]
    asks = [
        lambda: client.get(URL),
        lambda: client.post(URL, by_number(cert)),  # found
        lambda: client.post(URL, by_number(cert, name="李四")),  # not found
        lambda: client.post(URL, by_number(cert, number="S123")),  # a typo
    ]
    fast = [ask() for ask in asks]
    assert all(page.status_code == 200 for page in fast)
    assert fast[0]["Cache-Control"] == "no-store"
    monkeypatch.setattr(chrome, "halves", lambda request, **kwargs: None)  # the usual render
    full = [ask() for ask in asks]
    for one, other in zip(fast, full, strict=True):
        assert normalised(one.content) == normalised(other.content)
    page = fast[0].content.decode()
    assert 'class="site-header"' in page and 'class="site-footer"' in page  # the site's chrome
    assert f'href="{URL}" aria-current="page"' in page


def test_a_signed_in_users_name_never_reaches_an_anonymous_page(world):
    user = world.members["admin"]
    name = user.display_name
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(user)
    before = anonymous.get(URL).content.decode()  # fills the shared chrome
    mine = signed_in.get(URL).content.decode()
    after = anonymous.get(URL).content.decode()
    assert name in mine and "退出" in mine  # the signed-in header, not the shared one
    for page in (before, after):
        assert name not in page and "退出" not in page and "登录" in page


def test_the_chrome_follows_the_language_chosen(client):
    chinese = client.get(URL).content.decode()
    assert '<html lang="zh-hans">' in chinese and "证书查询 |" in chinese
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(URL).content.decode()
    assert '<html lang="en">' in english and "Certificate lookup |" in english
    assert "证书查询 |" not in english
    del client.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert '<html lang="zh-hans">' in client.get(URL).content.decode()


def test_a_changed_menu_is_not_served_from_an_old_chrome(client):
    assert "Menu entry of a test" not in client.get(URL).content.decode()
    navigation.register(
        "test_chrome_entry", "Menu entry of a test", "portal:privacy", area=navigation.PUBLIC
    )
    try:
        assert "Menu entry of a test" in client.get(URL).content.decode()
    finally:
        del navigation._REGISTRY["test_chrome_entry"]
    assert "Menu entry of a test" not in client.get(URL).content.decode()


def test_the_shared_chrome_carries_this_visitors_own_valid_csrf_token(issued, settings):
    settings.CAPTCHA_ENABLED = False
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [first.get(URL), second.get(URL)]
    tokens = [TOKEN.findall(page.content) for page in pages]
    assert all(len(found) == 2 for found in tokens)  # the language form's and the lookup's
    assert b"chrome-csrf-token-placeholder" not in pages[0].content
    assert tokens[0][0] != tokens[1][0]  # not one shared token
    language_form_token = tokens[0][0].decode()  # from the cached chrome
    data = {**by_number(issued[0]), "csrfmiddlewaretoken": language_form_token}
    answer = first.post(URL, data, HTTP_REFERER=f"http://testserver{URL}")
    assert answer.status_code == 200 and b'data-found="certificate"' in answer.content
    assert second.post(URL, data).status_code == 403  # another visitor's token is refused


@pytest.mark.usefixtures("captcha_on")
def test_a_typo_does_not_spend_the_human_check(client, issued):
    payload = solve_page(client.get(URL).content.decode())
    typo = client.post(URL, {**by_number(issued[0], number="S123"), "captcha": payload})
    assert b'data-found="invalid"' in typo.content
    found = client.post(URL, {**by_number(issued[0]), "captcha": payload})
    assert b'data-found="certificate"' in found.content
    replay = client.post(URL, {**by_number(issued[0]), "captcha": payload})
    assert b'data-found="certificate"' not in replay.content
    assert "人机验证" in replay.content.decode()


@pytest.mark.usefixtures("captcha_on")
def test_with_the_human_check_the_limits_still_refuse_and_a_replay_is_not_counted(
    client, issued, settings
):
    settings.RATE_LIMITS = {"certificate_lookup.ip": (2, 600)}
    cert = issued[0]
    payload = solve_page(client.get(URL).content.decode())
    first = client.post(URL, {**by_number(cert), "captcha": payload})
    assert b'data-found="certificate"' in first.content
    for _ in range(3):  # replays are refused at the field and count nothing
        replay = client.post(URL, {**by_number(cert), "captcha": payload})
        assert replay.status_code == 200 and b'data-found="invalid"' in replay.content
    second = solve_page(client.get(URL).content.decode())
    assert client.post(URL, {**by_number(cert), "captcha": second}).status_code == 200
    third = solve_page(client.get(URL).content.decode())
    refused = client.post(URL, {**by_number(cert), "captcha": third})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert cert.number not in refused.content.decode()


def test_a_lookup_is_one_statement_message_to_the_database(issued):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cert = issued[0]
    query = lookup.Query(name=cert.holder_name, number=cert.number)
    lookup._find_one(query, listed=True)  # prepares this shape's statements in the session
    with CaptureQueriesContext(connection) as captured:
        found, names = lookup._find_one(query, listed=True)
    assert found == [cert] and names == {cert.agency_id: cert.agency.name}
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith("SET LOCAL statement_timeout = 500; EXECUTE")


def test_the_lookup_statements_run_under_the_statement_timeout(settings, monkeypatch):
    settings.CERTIFICATE_LOOKUP_TIMEOUT_MS = 1
    monkeypatch.setattr(lookup, "_names", lambda *shape: ("certificate_lookup_test_slow",))
    monkeypatch.setattr(lookup, "_statements", lambda *shape: ("SELECT pg_sleep(0.2), %s::text",))
    lookup._prepare.cache_clear()
    try:
        with pytest.raises(lookup.LookupBusy):
            lookup._run((True, 1, False), ["x"])
    finally:
        lookup._prepare.cache_clear()


def test_the_answers_links_are_what_reverse_gives():
    from django.urls import reverse

    from certificates.views import lookup as views

    for name, arg in [
        ("certificates:public", "AbC-_9xyz"),
        ("certificates:public_photo", "AbC-_9xyz"),
        ("agencies:directory_entry", 42),
        ("certificates:lookup_pdf", "eyJjIjo1fQ:1tq:sig-_"),
        ("certificates:public", "a b"),  # not a plain token: through reverse itself
    ]:
        assert views._link(name, arg) == reverse(name, args=[arg]), (name, arg)
