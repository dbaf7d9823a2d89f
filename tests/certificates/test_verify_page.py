"""The verify page ``/certificates/verify/`` and the certificate page's signature line
(Art 22; decision 0048): verdicts in Chinese, a bad signature repeating nothing of the file,
the register's masked facts, upload limits, proof of work and rate limits, more than 200 bad
uploads without a server error, no full ID number in any response or log line."""

from __future__ import annotations

import copy
import io
import json
import logging
import random
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import pdf, vc
from certificates.models import Certificate
from portal import clock
from tests.certificates import verify_helpers as h
from tests.portal.altcha_solver import solve_page

pytestmark = pytest.mark.django_db

URL = "/certificates/verify/"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def certs(world, django_capture_on_commit_callbacks):
    return h.issue_signed(world, django_capture_on_commit_callbacks)


@pytest.fixture
def no_captcha(settings):
    settings.CAPTCHA_ENABLED = False


def _file(data: bytes, name="credential.json", kind="application/json"):
    return SimpleUploadedFile(name, data, content_type=kind)


def _post(
    client, data: bytes, name="credential.json", kind="application/json", captcha=None, **meta
):
    fields = {"file": _file(data, name, kind)}
    if captcha is not None:
        fields["captcha"] = captcha
    return client.post(URL, fields, **meta)


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _verdict(response) -> str | None:
    found = re.search(r'data-verdict="([a-z_]+)"', response.content.decode())
    return found.group(1) if found else None


def _field_error(response) -> str:
    found = re.search(r'id="id_file_error"[^>]*>([^<]+)<', response.content.decode())
    return found.group(1) if found else ""


def test_the_page_is_public_uncached_and_in_the_public_menu(client, db):
    response = client.get(URL)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert reverse("certificates:verify") == URL
    assert "证书验真" in html and 'enctype="multipart/form-data"' in html
    assert "challengejson=" in html  # the proof of work is asked before the upload
    assert f'href="{URL}"' in html  # 「证书验真」 in the public menu


def test_a_genuine_credential_shows_valid_and_the_registers_masked_facts(client, certs, no_captcha):
    cert = certs[0]
    response = _post(client, _json(cert.credential))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert _verdict(response) == "valid"
    assert '<p class="verdict-word">有效</p>' in html
    assert cert.number in html and cert.masked_name in html and cert.masked_id in html
    assert cert.holder_name not in html and cert.id_number not in html
    assert f'href="/c/{cert.token}/"' in html
    assert "核验内容" in html and "电子凭证的签名可用本平台公布的密钥验证" in html


def test_a_forged_credential_shows_bad_signature_and_none_of_its_fields(client, certs, no_captcha):
    marker_name, marker_number = "冒名标记甲乙丙", "Y1234567890123499MARK"
    forged = h.forged_credential(certs[0], certificateNumber=marker_number)
    forged["credentialSubject"]["identifier"][0]["identityHash"] = marker_name
    forged["credentialSubject"]["achievement"]["name"] = "<script>alert(1)</script>假职业"
    response = _post(client, _json(forged), name=f"{marker_number}.json")
    html = response.content.decode()
    assert _verdict(response) == "bad_signature"
    assert '<p class="verdict-word">签名无效</p>' in html
    for absent in (marker_name, marker_number, certs[0].number, "假职业", "alert(1)"):
        assert absent not in html, absent
    assert "/c/" not in html.split('class="verdict')[1].split("</section>")[0]


def test_revoked_and_replaced_show_revoked_with_reason_or_successor(client, certs, no_captcha):
    h.revoke(certs[0], "以欺骗手段取得证书")
    response = _post(client, _json(certs[0].credential))
    html = response.content.decode()
    assert _verdict(response) == "revoked" and '<p class="verdict-word">已撤销</p>' in html
    assert "以欺骗手段取得证书" in html

    h.replace(certs[1], certs[2])
    response = _post(client, _json(certs[1].credential))
    html = response.content.decode()
    assert _verdict(response) == "revoked" and "更正后的新证书取代" in html
    assert f'href="/c/{certs[2].token}/"' in html and certs[2].number in html


def test_an_unregistered_number_shows_status_cannot_be_confirmed(client, certs, no_captcha):
    data = vc.unsigned_credential(certs[0])
    data["credentialSubject"]["certificateNumber"] = certs[0].number[:-6] + "999999"
    response = _post(client, _json(vc.add_proof(data)))
    html = response.content.decode()
    assert _verdict(response) == "inconclusive"
    assert '<p class="verdict-word">无法确认状态</p>' in html and "请勿将其视为有效证书" in html
    assert '<p class="verdict-word">有效</p>' not in html


def test_a_signed_pdf_is_valid_and_a_tampered_one_is_refused(
    client, world, certs, no_captcha, django_capture_on_commit_callbacks
):
    data = h.downloaded_pdf(world, django_capture_on_commit_callbacks, certs[0])
    response = _post(client, data, "证书.pdf", "application/pdf")
    assert _verdict(response) == "valid", response.content.decode()[-3000:]
    for changed in (h.flip_content_byte(data), h.incremental_update(data)):
        response = _post(client, changed, "证书.pdf", "application/pdf")
        assert _verdict(response) == "bad_signature"
        assert certs[0].number not in response.content.decode()
    response = _post(client, pdf.render_certificate(certs[0]), "c.pdf", "application/pdf")
    assert _verdict(response) == "bad_signature"


def test_the_human_check_is_asked_and_its_quota_trips(client, certs, settings):
    settings.RATE_LIMITS = {"captcha.certificate_verify": (1, 24 * 60 * 60)}
    body = _json(certs[0].credential)
    response = _post(client, body)
    assert _verdict(response) is None and "人机验证" in response.content.decode()
    page = client.get(URL).content.decode()
    response = _post(client, body, captcha=solve_page(page))
    assert _verdict(response) == "valid"
    page = response.content.decode()
    if "challengejson=" in page:  # the quota is said before the next upload, or at the POST
        response = _post(client, body, captcha=solve_page(page))
        assert _verdict(response) is None
    assert "12333" in response.content.decode() or "次数过多" in response.content.decode()


def test_the_rate_limits_per_address_and_subnet_trip(client, certs, settings, no_captcha):
    settings.RATE_LIMITS = {"certificate_verify.ip": (2, 3600)}
    body = _json(certs[0].credential)
    assert _post(client, body).status_code == 200
    assert _post(client, body).status_code == 200
    refused = _post(client, body)
    assert refused.status_code == 429 and refused["Retry-After"]
    assert client.get(URL).status_code == 200  # reading the page is not counted
    settings.RATE_LIMITS = {"certificate_verify.subnet": (1, 3600)}
    assert _post(client, body, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert _post(client, body, REMOTE_ADDR="198.51.100.8").status_code == 429


def test_an_oversized_file_is_refused_at_the_field_before_it_is_read(client, db, settings):
    settings.CAPTCHA_ENABLED = False
    settings.CERTIFICATE_VERIFY_MAX_BYTES = 4096
    for size in (4097, 200_000):  # read and stopped; refused from the declared length alone
        response = _post(client, b"{" + b" " * (size - 2) + b"}")
        assert response.status_code == 200 and _verdict(response) is None
        assert "文件超过 0.00390625 MB" in _field_error(response) or "文件超过" in _field_error(
            response
        )


# --- More than 200 bad uploads -----------------------------------------------------------------


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("credential.json", "{}")
    return out.getvalue()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def _pdf_with_many_objects(n: int = 20_000) -> bytes:
    body = [b"%PDF-1.7\n"]
    for i in range(1, n + 1):
        body.append(b"%d 0 obj\n<< /Kids [%d 0 R] >>\nendobj\n" % (i, i + 1))
    body.append(b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n0\n%%%%EOF\n" % (n + 1))
    return b"".join(body)


def _bad_uploads(credential: dict) -> list[tuple[bytes, str, str]]:
    """(content, file name, declared type): every one must be refused or judged bad."""
    good = _json(credential)
    rng = random.Random(17)
    j, p = "application/json", "application/pdf"
    cases: list[tuple[bytes, str, str]] = [
        (b"", "c.json", j),
        (b" ", "c.json", j),
        (b"\x00" * 64, "c.json", j),
        (b'{"a": "\x00"}', "c.json", j),
        (good.replace(b'"', b"", 1), "c.json", j),
        (b"[" * 5000 + b"]" * 5000, "c.json", j),
        (b'{"a":' * 2000 + b"1" + b"}" * 2000, "c.json", j),
        (b'{"n": ' + b"9" * 5000 + b"}", "c.json", j),
        (b'{"n": 1e999999}', "c.json", j),
        (b'{"n": NaN}', "c.json", j),
        (b'{"n": -Infinity}', "c.json", j),
        (b"[1, 2, 3]", "c.json", j),
        (b'"just a string"', "c.json", j),
        (b"null", "c.json", j),
        ("{}".encode("utf-16"), "c.json", j),
        (b"\xff\xfe{\x00}\x00", "c.json", j),
        (b'{"a": "\xc3\x28"}', "c.json", j),
        (b"{}", "c.json", j),
        (b'{"proof": {}}', "c.json", j),
        (b'{"proof": {"verificationMethod": ["x"]}}', "c.json", j),
        (b'{"proof": {"verificationMethod": "did:web:x#k"}, "issuer": 5}', "c.json", j),
        (_zip(), "c.zip", "application/zip"),
        (_zip(), "c.json", j),
        (_png(), "c.png", "image/png"),
        (_png(), "c.pdf", p),
        (b"GIF89a" + bytes(100), "c.gif", "image/gif"),
        (b"MZ" + bytes(200), "c.exe", "application/x-msdownload"),
        (b"<html><script>alert(1)</script></html>", "c.html", "text/html"),
        (good, "c.pdf", p),  # JSON calling itself a PDF
        (good, "c.json", "image/png"),
        (good, "c.exe", j),
        (good, "x" * 300 + ".json", j),
        (good[:-5], "c\x00.json", j),  # Django cleans the name; the content is bad
        (b"%PDF-1.7\n", "c.pdf", p),
        (b"%PDF-1.7\n" + bytes(1000), "c.pdf", p),
        (b"%PDF-1.7\n%%EOF", "c.json", j),
        (b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF", "c.pdf", p),
        (_pdf_with_many_objects(), "bomb.pdf", p),
        (b"%PDF-1.4\n1 0 obj <</Length 999999999 /Filter /FlateDecode>> stream\n"
         + bytes(200) + b"\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF", "c.pdf", p),
    ]  # fmt: skip
    for cut in range(1, len(good), max(1, len(good) // 90)):  # truncated credentials
        cases.append((good[:cut], "c.json", j))
    for _ in range(60):  # random bytes, some with a PDF or JSON head
        size = rng.randint(1, 3000)
        head = rng.choice([b"", b"%PDF-1.7\n", b"{"])
        tail = rng.choice([b"", b"\n%%EOF\n", b"}"])
        cases.append((head + rng.randbytes(size) + tail, rng.choice(["c.pdf", "c.json"]), ""))
    for text in (  # injection strings as JSON values: valid JSON objects, not signed
        "' OR 1=1 --",
        "<img src=x onerror=alert(1)>",
        "{{ settings.SECRET_KEY }}",
        "${jndi:ldap://x}",
        "\u202eevil",
        "../../etc/passwd",
        "A" * 100_000,
        "𠮷" * 1000,
    ):
        changed = copy.deepcopy(credential)
        changed["credentialSubject"]["identifier"][0]["identityHash"] = text
        cases.append((_json(changed), "c.json", "application/ld+json"))
        cases.append((_json({"name": text}), "c.json", "application/vc+ld+json"))
    for kind in ("text/html", "image/jpeg", "application/x-sh", "multipart/mixed", "a/b"):
        cases.append((good, "c.json", kind))
    return cases


def test_over_200_bad_uploads_give_no_server_error_and_a_clear_chinese_answer(
    client, certs, settings, caplog
):
    settings.CAPTCHA_ENABLED = False
    settings.RATE_LIMITS = {
        "certificate_verify.ip": (10_000, 3600),
        "certificate_verify.subnet": (10_000, 3600),
    }
    settings.CERTIFICATE_VERIFY_MAX_BYTES = 512 * 1024
    cases = _bad_uploads(certs[0].credential)
    cases.append((b"{" + b" " * (512 * 1024) + b"}", "big.json", "application/json"))
    assert len(cases) >= 200
    caplog.set_level(logging.DEBUG)
    for data, name, kind in cases:
        response = _post(client, data, name, kind)
        assert response.status_code == 200, (name, kind, data[:60])
        verdict, error = _verdict(response), _field_error(response)
        assert verdict == "bad_signature" or (verdict is None and CJK.search(error)), (
            name,
            kind,
            data[:80],
        )
        html = response.content.decode()
        assert "alert(1)</script>" not in html and "onerror=alert" not in html
        assert "SECRET_KEY" not in html
    for cert in Certificate.objects.all():
        assert cert.id_number not in caplog.text


def test_no_response_nor_log_line_holds_a_full_id_number(client, certs, caplog, no_captcha):
    caplog.set_level(logging.DEBUG)
    h.revoke(certs[1])
    bodies = [client.get(URL).content]
    for cert in certs:
        bodies.append(_post(client, _json(cert.credential)).content)
        bodies.append(client.get(f"/c/{cert.token}/").content)
        bodies.append(client.get(f"/c/{cert.token}.json").content)
    text = b"\n".join(bodies).decode()
    for cert in certs:
        assert cert.id_number not in text and cert.id_number not in caplog.text
        assert cert.id_number.lower() not in caplog.text.lower()


# --- The certificate's page says whether its signature verifies ----------------------------------


def test_the_certificate_page_says_its_signature_verifies(client, certs):
    cert = certs[0]
    html = client.get(f"/c/{cert.token}/").content.decode()
    assert 'data-signature="verified"' in html and "签名已验证" in html
    assert f'href="{URL}"' in html
    data = client.get(f"/c/{cert.token}.json").json()
    assert data["signature"] == {
        "state": "verified",
        "verified": True,
        "key_id": data["signature"]["key_id"],
    }
    assert data["signature"]["key_id"] and data["number"] == cert.number  # old fields stay
    assert data["verify_url"].endswith(URL)


def test_an_unsigned_credential_is_said_to_be_being_signed_never_verified(client, certs):
    cert = certs[0]
    Certificate.objects.filter(pk=cert.pk).update(credential=None, credential_signed_at=None)
    html = client.get(f"/c/{cert.token}/").content.decode()
    assert 'data-signature="signing"' in html and "签名已验证" not in html
    assert client.get(f"/c/{cert.token}.json").json()["signature"]["verified"] is None


def test_a_stored_credential_that_does_not_verify_is_said_so(client, certs):
    cert = certs[0]
    broken = copy.deepcopy(cert.credential)
    broken["credentialSubject"]["certificateNumber"] = certs[1].number
    Certificate.objects.filter(pk=cert.pk).update(
        credential=broken, credential_signed_at=clock.now()
    )
    html = client.get(f"/c/{cert.token}/").content.decode()
    assert 'data-signature="not_verified"' in html and "签名已验证" not in html
    assert client.get(f"/c/{cert.token}.json").json()["signature"]["verified"] is False


def test_a_replaced_certificates_page_stays_and_links_its_successor(client, certs):
    old, new = certs[0], certs[1]
    h.replace(old, new)
    response = client.get(f"/c/{old.token}/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-status="replaced"' in html
    assert f'href="/c/{new.token}/"' in html and new.number in html
    assert '<span class="badge ok">有效</span>' not in html
    data = client.get(f"/c/{old.token}.json").json()
    assert data["status"] == "replaced" and data["replaced_by"]["number"] == new.number
    assert data["replaced_by"]["url"].endswith(f"/c/{new.token}/") and data["replaced_at"]


def test_a_revoked_certificates_page_stays_with_date_and_reason(client, certs):
    h.revoke(certs[0], "以欺骗手段取得证书")
    response = client.get(f"/c/{certs[0].token}/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-status="revoked"' in html
    assert "以欺骗手段取得证书" in html and "撤销" in html
