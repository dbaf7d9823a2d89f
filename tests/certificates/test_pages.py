"""Certificate pages: the public page and JSON by token (valid, unknown), the status list,
the agency's list, issuing page and batch, the officials' list by jurisdiction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateStatus
from certificates.services import status
from portal import clock
from tests.certificates.builders import final_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world):
    session = final_session(world, 3)
    batch = services.issue_certificates(world.members["admin"], [session])
    return session, batch


def test_public_page_shows_facts_masked(client, world, issued):
    cert = Certificate.objects.first()
    page = client.get(f"/c/{cert.token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert cert.number in html and "职业技能等级证书" in html
    assert cert.id_number not in html and cert.masked_id in html
    assert cert.holder_name not in html and cert.masked_name in html
    assert "四级/中级工" in html


def test_public_json(client, world, issued):
    cert = Certificate.objects.first()
    data = client.get(f"/c/{cert.token}.json").json()
    assert data["number"] == cert.number and data["status"] == "valid"
    assert data["id_number"] == cert.masked_id and data["work_type"] == "--"
    assert data["credentialStatus"]["statusListIndex"] == str(cert.status_index)
    assert data["url"].endswith(f"/c/{cert.token}/")


def test_revoked_certificate_says_so(client, world, issued):
    cert = Certificate.objects.first()
    Certificate.objects.filter(pk=cert.pk).update(
        status=CertificateStatus.REVOKED, revoked_at=clock.now(), revoked_reason="以欺骗手段取得"
    )
    html = client.get(f"/c/{cert.token}/").content.decode()
    assert "以欺骗手段取得" in html
    assert client.get(f"/c/{cert.token}.json").json()["status"] == "revoked"
    url = client.get(f"/c/{cert.token}.json").json()["credentialStatus"]["statusListCredential"]
    body = client.get(url[url.index("/certificates/status/") :]).json()
    bits = status.decode_list(body["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= 131_072
    assert status.bit(bits, cert.status_index)
    others = Certificate.objects.exclude(pk=cert.pk)
    assert not any(status.bit(bits, c.status_index) for c in others)


def test_unknown_token_is_a_helpful_404(client, db):
    page = client.get("/c/not-a-real-token-000000/")
    assert page.status_code == 404
    assert "二维码" in page.content.decode()
    assert client.get("/c/not-a-real-token-000000.json").status_code == 404
    assert client.get("/certificates/status/999999/").status_code == 404


def test_agency_list_search_and_batch(client, world, issued):
    session, batch = issued
    client.force_login(world.members["staff"])
    agency = world.gd_agency.pk
    cert = Certificate.objects.order_by("number").first()
    url = reverse("certificates:agency_certificates", args=[agency])
    assert cert.number in client.get(url).content.decode()
    found = client.get(url, {"q": cert.number}).content.decode()
    assert cert.number in found
    other = Certificate.objects.exclude(pk=cert.pk).first()
    assert other.number not in found
    by_name = client.get(url, {"q": cert.holder_name}).content.decode()
    assert cert.number in by_name
    page = client.get(reverse("certificates:batch", args=[agency, batch.pk]))
    assert batch.first_number in page.content.decode()
    progress = client.get(reverse("certificates:batch_progress", args=[agency, batch.pk])).json()
    assert progress["percent"] == 100 and progress["done"] == 3


def test_issue_page_issues(client, world, django_capture_on_commit_callbacks):
    session = final_session(world, 2)
    client.force_login(world.members["admin"])
    agency = world.gd_agency.pk
    url = reverse("certificates:issue", args=[agency])
    page = client.get(url, {"session": session.pk})
    assert page.status_code == 200 and f"#{session.pk}" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"sessions": [session.pk], "variant": "zh"})
    assert done.status_code == 302
    assert Certificate.objects.filter(session=session).count() == 2
    follow = client.get(done["Location"]).content.decode()
    assert "2" in follow and Certificate.objects.first().number[:16] in follow


def test_officials_see_their_jurisdiction(client, world, issued):
    url = reverse("certificates:registry")
    number = Certificate.objects.first().number
    for user, sees in (
        (world.gd_official, True),
        (world.osta_gd, True),
        (world.ministry, True),
        (world.hlj_official, False),
    ):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert (number in page.content.decode()) is sees, user
    client.force_login(world.members["admin"])
    assert client.get(url).status_code == 403


def test_another_agency_gets_404(client, world, issued):
    _, batch = issued
    client.force_login(world.hlj_admin)
    cert = Certificate.objects.first()
    agency = world.gd_agency.pk
    for url in (
        reverse("certificates:batch", args=[agency, batch.pk]),
        reverse("certificates:agency_certificate", args=[agency, cert.pk]),
        reverse("certificates:agency_certificates", args=[agency]),
    ):
        assert client.get(url).status_code == 404
