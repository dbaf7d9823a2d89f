"""The pages of revocation, correction and reissue (Art 27; decision 0049): the agency asks
with evidence, the filing authority decides and an official revokes, both re-entering the
password on the confirmation page; nothing changes before the confirmed POST."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateRequest, CertificateStatus, RequestState
from tests.certificates.pdf_helpers import photo_png
from tests.portal.builders import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(world):
    from tests.certificates.builders import final_session

    session = final_session(world, 1, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    return Certificate.objects.get(session=session)


def test_the_agency_asks_from_the_certificate_page_with_evidence(client, world, cert):
    client.force_login(world.members["staff"])
    page = reverse("certificates:agency_certificate", args=[cert.agency_id, cert.pk])
    html = client.get(page).content.decode()
    ask = reverse("certificates:agency_request_new", args=[cert.agency_id, cert.pk, "revoke"])
    assert ask in html and "申请撤销" in html
    upload = SimpleUploadedFile("evidence.png", photo_png(), content_type="image/png")
    response = client.post(ask, {"reason": "考生冒名顶替", "evidence": [upload]})
    assert response.status_code == 302
    req = CertificateRequest.objects.get()
    assert req.reason == "考生冒名顶替" and req.evidence.count() == 1
    # One request waits: the buttons are disabled and say why.
    html = client.get(page).content.decode()
    assert "disabled" in html and "等待" in html
    listing = client.get(reverse("certificates:agency_requests", args=[cert.agency_id]))
    assert "考生冒名顶替" in listing.content.decode()
    withdraw = reverse("certificates:agency_request_withdraw", args=[cert.agency_id, req.pk])
    assert client.get(withdraw).status_code == 405
    assert client.post(withdraw).status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.WITHDRAWN


def test_a_bad_correction_comes_back_at_the_field(client, world, cert):
    client.force_login(world.members["admin"])
    ask = reverse("certificates:agency_request_new", args=[cert.agency_id, cert.pk, "correct"])
    response = client.post(
        ask, {"reason": "录入错误", "id_type": "resident_id", "id_number": "44010619600101001"}
    )
    assert response.status_code == 200 and not CertificateRequest.objects.exists()
    assert "证件号码" in response.content.decode()


def test_the_official_decides_with_the_password(
    client, world, cert, django_capture_on_commit_callbacks
):
    req = services.request_revocation(world.members["admin"], cert, reason="冒名顶替")
    client.force_login(world.gd_official)
    queue = client.get(reverse("certificates:request_queue")).content.decode()
    url = reverse("certificates:request_decide", args=[req.pk])
    assert url in queue
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("certificates:request_queue") in dashboard
    page = client.get(url).content.decode()
    assert "冒名顶替" in page and cert.number in page
    data = {"decision": "approve", "note": ""}
    confirm = client.post(url, data)
    assert confirm.status_code == 200 and 'name="password"' in confirm.content.decode()
    wrong = client.post(url, {**data, "confirmed": "1", "password": "nope"})
    assert wrong.status_code == 400
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**data, "confirmed": "1", "password": PASSWORD})
    assert done.status_code == 302
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED and cert.revoked_reason == "冒名顶替"
    # Another province's official does not even see it.
    client.force_login(world.hlj_official)
    assert client.get(url).status_code == 404


def test_an_official_revokes_directly_from_the_registry(client, world, cert):
    client.force_login(world.gd_official)
    registry = client.get(reverse("certificates:registry")).content.decode()
    url = reverse("certificates:revoke", args=[cert.pk])
    assert url in registry
    data = {"reason": "抽查发现考核记录缺失"}
    assert client.post(url, {"reason": ""}).status_code == 200
    confirm = client.post(url, data)
    assert 'name="password"' in confirm.content.decode()
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    done = client.post(url, {**data, "confirmed": "1", "password": PASSWORD})
    assert done.status_code == 302
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED
    again = client.get(url).content.decode()
    assert "disabled" in again and "不可" in again
    client.force_login(world.hlj_official)
    assert client.get(url).status_code == 404
