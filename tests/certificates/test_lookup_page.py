"""The public certificate lookup page (证书查询, Art 22; decision 0047): both ways, every
status, no oracle, no echo, ``no-store``, limits and proof of work, the holder's download."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateStatus
from portal import clock
from tests.portal.altcha_solver import solve_page

pytestmark = pytest.mark.django_db
URL = "/certificates/lookup/"


@pytest.fixture
def no_captcha(settings):
    settings.CAPTCHA_ENABLED = False


@pytest.fixture
def issued(world):
    from tests.certificates.builders import final_session

    session = final_session(world, 3, failed=0, photo=True)
    services.issue_certificates(world.members["admin"], [session])
    return list(Certificate.objects.filter(session=session).order_by("number"))


def by_id(cert, **extra) -> dict:
    return {
        "way": "id",
        "name": cert.holder_name,
        "id_type": cert.id_type,
        "id_number": cert.id_number,
        **extra,
    }


def by_number(cert, **extra) -> dict:
    return {"way": "number", "name": cert.holder_name, "number": cert.number, **extra}


def normalised(response) -> bytes:
    """The page without its per-response tokens: the CSRF token and the challenge."""
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)
    return re.sub(rb'challengejson="[^"]*"', b"", body)


def test_the_lookup_is_in_the_public_menu_and_on_the_home_page(client):
    home = client.get("/").content.decode()
    assert f'href="{URL}"' in home and "证书查询" in home
    page = client.get(URL)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert reverse("certificates:lookup") == URL


@pytest.mark.usefixtures("no_captcha")
def test_name_and_id_number_find_the_certificate_with_its_public_facts(client, issued):
    cert = next(c for c in issued if c.photo_id)
    page = client.post(URL, by_id(cert, id_number=" " + cert.id_number.lower()))
    body = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert body.count('data-found="certificate"') == 1
    assert f'data-number="{cert.number}"' in body
    assert cert.holder_name in body and cert.masked_id in body
    assert cert.id_number not in body  # never the full ID number
    assert cert.occupation_code in body and cert.occupation_name in body
    assert cert.level_display in body and "有效" in body
    assert f"/c/{cert.token}/photo" in body and f"/c/{cert.token}/" in body
    assert reverse("agencies:directory_entry", args=[cert.agency_id]) in body
    assert cert.agency.name in body  # named from the directory
    assert 'data-download="pdf"' in body and 'data-download="vc"' in body


@pytest.mark.usefixtures("no_captcha")
def test_name_and_number_find_it_without_download_links(client, issued):
    cert = issued[1]
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in cert.number)
    body = client.post(URL, by_number(cert, number=wide)).content.decode()
    assert f'data-number="{cert.number}"' in body
    assert "data-download" not in body  # anyone holding the paper knows the number
    assert "请用姓名和证件号码查询" in body


@pytest.mark.usefixtures("no_captcha")
def test_revoked_and_replaced_certificates_say_so(client, issued):
    old, new, revoked = issued
    now = clock.now()
    Certificate.objects.filter(pk=revoked.pk).update(
        status=CertificateStatus.REVOKED, revoked_at=now, revoked_reason="以欺骗手段取得"
    )
    Certificate.objects.filter(pk=old.pk).update(
        status=CertificateStatus.REPLACED, replaced_by=new, replaced_at=now
    )
    body = client.post(URL, by_number(revoked)).content.decode()
    assert 'data-status="revoked"' in body and "已撤销" in body and "以欺骗手段取得" in body
    assert f"{now:%Y}年" in body
    body = client.post(URL, by_id(old)).content.decode()
    assert 'data-status="replaced"' in body and f"/c/{new.token}/" in body and new.number in body
    assert "本证书已失效" in body  # downloadable, and the page says it no longer stands


@pytest.mark.usefixtures("no_captcha")
def test_a_legacy_record_is_found_and_marked_imported(client, world):
    from certificates.services import legacy
    from tests.certificates.builders import candidate_number
    from tests.certificates.legacy_helpers import csv, row

    osta = world.osta_national
    data = csv(row("4401061907000123", "李四光", candidate_number(1), issued="2012-05-01"))
    legacy.apply(osta, legacy.stage(osta, data, source="广州市职业技能鉴定指导中心"))
    for post in (
        {"way": "number", "name": "李四光", "number": "4401 0619 0700 0123"},
        {"way": "id", "name": "李四光", "id_number": candidate_number(1)},
    ):
        body = client.post(URL, post).content.decode()
        assert 'data-number="4401061907000123"' in body
        assert "导入的历史证书" in body and "广州市职业技能鉴定指导中心" in body
        assert "data-download" not in body and candidate_number(1) not in body


# --- No oracle ----------------------------------------------------------------------------


def _solved_post(client, data: dict, **extra):
    page = client.get(URL, **extra).content.decode()
    return client.post(URL, {**data, "captcha": solve_page(page)}, **extra)


def test_no_such_certificate_and_a_wrong_name_give_the_same_bytes_and_the_same_work(
    client, issued, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.certificates.builders import candidate_number

    settings.CAPTCHA_ENABLED = True
    settings.CAPTCHA_MAX_NUMBER = 1000  # quick to solve here; the widget's range in production
    cert, other = issued[0], issued[1]
    misses = {
        "no such number": by_number(
            cert, number=cert.number[:-1] + ("1" if cert.number[-1] != "1" else "2")
        ),
        "wrong name for the number": by_number(cert, name="李四"),
        "no such ID number": by_id(cert, id_number=candidate_number(9_999_999)),
        "wrong name for the ID": by_id(cert, name="李四"),
        "someone else's ID": by_id(cert, id_number=other.id_number),
    }
    pages, statuses, queries = {}, set(), {}
    for label, data in misses.items():
        with CaptureQueriesContext(connection) as captured:
            response = _solved_post(client, data)
        statuses.add(response.status_code)
        pages[label] = normalised(response)
        queries[label] = len(captured.captured_queries)
        assert b'data-found="none"' in response.content, label
        assert b'challengejson="' in response.content  # a fresh challenge
    assert statuses == {200}
    assert len(set(pages.values())) == 1, list(pages)
    # The same work: each kind of miss runs the same statements.
    assert queries["no such number"] == queries["wrong name for the number"]
    assert queries["no such ID number"] == queries["wrong name for the ID"]
    assert queries["someone else's ID"] == queries["wrong name for the ID"]
    found = _solved_post(client, by_number(cert))
    assert b'data-found="certificate"' in found.content


# --- Proof of work and limits -----------------------------------------------------------


def test_the_proof_of_work_comes_first_and_is_spent_once(client, issued, settings):
    settings.CAPTCHA_ENABLED = True
    settings.CAPTCHA_MAX_NUMBER = 1000
    cert = issued[0]
    unsolved = client.post(URL, by_number(cert)).content.decode()
    assert 'data-found="invalid"' in unsolved and "人机验证" in unsolved
    assert 'data-found="certificate"' not in unsolved
    payload = solve_page(client.get(URL).content.decode())
    assert (
        b'data-found="certificate"'
        in client.post(URL, {**by_number(cert), "captcha": payload}).content
    )
    replay = client.post(URL, {**by_number(cert), "captcha": payload}).content.decode()
    assert 'data-found="certificate"' not in replay and "人机验证" in replay


def test_the_daily_proof_of_work_quota_says_so_at_the_field(client, issued, settings):
    settings.CAPTCHA_ENABLED = True
    settings.CAPTCHA_MAX_NUMBER = 1000
    settings.RATE_LIMITS = {"captcha.certificate_lookup": (1, 24 * 60 * 60)}
    cert = issued[0]
    assert b'data-found="certificate"' in _solved_post(client, by_number(cert)).content
    page = client.get(URL).content.decode()
    assert "提交次数过多" in page or "请明天再试" in page  # said before filling the form in
    assert "challengejson" not in page


@pytest.mark.usefixtures("no_captcha")
def test_the_address_limit_counts_only_lookups_that_passed_the_form(client, issued, settings):
    settings.RATE_LIMITS = {"certificate_lookup.ip": (2, 600)}
    cert = issued[0]
    for _ in range(4):  # typos do not use the quota up
        assert client.post(URL, by_number(cert, number="S123")).status_code == 200
    for _ in range(2):
        assert b'data-found="certificate"' in client.post(URL, by_number(cert)).content
    refused = client.post(URL, by_number(cert))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    text = refused.content.decode()
    assert "请求过于频繁" in text or "请求次数过多" in text or "分钟后再试" in text
    assert cert.number not in text
    other = client.post(URL, by_number(cert), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200  # another address is not refused


@pytest.mark.usefixtures("no_captcha")
def test_the_subnet_and_hour_limits_take_a_whole_network(client, issued, settings):
    settings.RATE_LIMITS = {"certificate_lookup.subnet": (3, 600)}
    cert = issued[0]
    codes = [
        client.post(URL, by_number(cert), REMOTE_ADDR=f"198.51.100.{n}").status_code
        for n in range(1, 5)
    ]
    assert codes == [200, 200, 200, 429]
    assert client.post(URL, by_number(cert), REMOTE_ADDR="198.51.101.1").status_code == 200
    v6 = [
        client.post(URL, by_number(cert), REMOTE_ADDR=f"2001:db8:1:{n}::1").status_code
        for n in range(1, 5)
    ]
    assert v6 == [200, 200, 200, 429]  # one /48
    settings.RATE_LIMITS = {"certificate_lookup.hour": (2, 3600)}
    hour = [
        client.post(URL, by_number(cert), REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n in range(1, 4)
    ]
    assert hour == [200, 200, 429]


@pytest.mark.usefixtures("no_captcha")
def test_a_lookup_past_its_statement_timeout_answers_503_in_chinese(
    client, issued, settings, monkeypatch
):
    from django.db import connection

    from certificates.services import lookup

    settings.CERTIFICATE_LOOKUP_TIMEOUT_MS = 1

    def slow(query, *, listed):
        with lookup.bounded(), connection.cursor() as cursor:  # a real statement timeout
            cursor.execute("SELECT pg_sleep(0.2)")
        return [], {}

    monkeypatch.setattr(lookup, "_find_one", slow)
    response = client.post(URL, by_number(issued[0]))
    assert response.status_code == 503 and response["Retry-After"]
    assert "请几秒钟后重试" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


# --- The holder's download ----------------------------------------------------------------


def _links(body: str) -> dict[str, str]:
    found = re.findall(r'href="([^"]+)" data-download="(pdf|vc)"', body)
    return {kind: href for href, kind in found}


@pytest.mark.usefixtures("no_captcha")
def test_the_holder_downloads_the_signed_pdf_and_the_credential(
    client, issued, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    cert = issued[0]
    links = _links(client.post(URL, by_id(cert)).content.decode())
    assert set(links) == {"pdf", "vc"}
    assert cert.id_number not in "".join(links.values())
    with django_capture_on_commit_callbacks(execute=True):  # the render task, after commit
        first = client.get(links["pdf"])
    assert first.status_code == 200  # ready, or the page that reloads until it is
    pdf = client.get(links["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF") and pdf["Cache-Control"] == "no-store"
    assert cert.number in pdf["Content-Disposition"]
    vc = client.get(links["vc"])
    assert vc.status_code == 200 and vc.json()["proof"] and vc["Cache-Control"] == "no-store"
    assert cert.id_number not in vc.content.decode()
    assert client.post(links["vc"]).status_code == 405


@pytest.mark.usefixtures("no_captcha")
def test_download_links_are_signed_short_lived_and_name_one_certificate(client, issued):
    import time_machine

    cert = issued[0]
    links = _links(client.post(URL, by_id(cert)).content.decode())
    forged = links["vc"].replace("/vc", "x/vc")
    assert client.get(forged).status_code == 404
    assert client.get("/certificates/lookup/download/%00/vc").status_code == 404
    with time_machine.travel(clock.now() + dt.timedelta(minutes=11)):
        assert client.get(links["vc"]).status_code == 404
    with time_machine.travel(clock.now() + dt.timedelta(minutes=9)):
        assert client.get(links["vc"]).status_code == 200


@pytest.mark.usefixtures("no_captcha")
def test_the_two_kinds_of_miss_take_about_the_same_time(client, issued):
    """Interleaved, so the machine's load falls on both alike; medians within a factor that
    a shared test machine cannot break but a skipped query (half the work) would."""
    import statistics
    import time

    cert = issued[0]
    kinds = {
        "no such number": by_number(cert, number=cert.number[:-6] + "999999"),
        "wrong name": by_number(cert, name="李四"),
    }
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for data in kinds.values():  # untimed: the first lookup prepares the statements, fills caches
        client.post(URL, data)
    for _ in range(15):
        for label, data in kinds.items():
            start = time.perf_counter()
            client.post(URL, data)
            times[label].append(time.perf_counter() - start)
    medians = {k: statistics.median(v) for k, v in times.items()}
    print({k: f"{v * 1000:.1f} ms" for k, v in medians.items()})
    assert max(medians.values()) < 1.5 * min(medians.values()), medians
