"""The public certificate lookup page (证书查询, Art 22; decision 0047): both ways, every
status, no oracle, no echo, ``no-store``, limits and proof of work, the holder's download."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateStatus, LegacyCertificate
from portal import clock, pii
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
