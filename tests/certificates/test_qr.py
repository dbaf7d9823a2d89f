"""The offline QR signature (Art 20; decision 0046): the printed URL carries a signature of
the certificate's number, level, occupation code and issue date; the page verifies it; a
scanner verifies it offline with the published key; the docs' script does the same."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import qr, services
from certificates.keys import private_signing_key as signing_key
from certificates.keys import public_key_map as public_keys
from certificates.models import Certificate
from tests.certificates.builders import final_session

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cert(world):
    session = final_session(world, 1)
    services.issue_certificates(world.members["admin"], [session])
    return Certificate.objects.get()


def test_round_trip(cert):
    url = qr.signed_url(cert)
    assert url.startswith(cert.public_url) and url.endswith("/")
    found = qr.verify_qr(url, public_keys())
    assert found.valid and found.token == cert.token
    assert found.facts == qr.facts_of(cert)
    assert found.facts.number == cert.number and found.facts.issued_on == cert.issued_on
    # Deterministic (Ed25519): the cached PDF and its QR never change.
    assert qr.signed_url(cert) == url
    assert len(url) < 220  # a QR code of modest version


def test_verify_offline_with_the_public_key_only(cert):
    url = qr.signed_url(cert)
    pem = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    key = serialization.load_pem_public_key(pem)
    assert qr.verify_qr(url, [key]).valid
    other = Ed25519PrivateKey.generate().public_key()
    found = qr.verify_qr(url, [other])
    assert not found.valid and found.reason == "bad_signature"


def test_tampered_or_missing_signature(cert):
    url = qr.signed_url(cert)
    sig = url.rstrip("/").rsplit("/", 1)[1]
    raw = qr._unb64(sig)
    # Change the level in the payload: the signature no longer matches.
    changed = raw[:65] + raw[65:].replace(b"|4|", b"|3|", 1)
    assert changed != raw
    forged = url.replace(sig, qr._b64(changed))
    assert not qr.verify_qr(forged, public_keys()).valid
    assert qr.verify_qr(cert.public_url, public_keys()).reason == "no_signature"
    assert qr.verify_qr(url.replace(sig, "!!"), public_keys()).reason in {
        "not_base64",
        "empty",
        "unknown_version",
    }
    assert qr.verify_qr(url.replace(sig, qr._b64(b"\x02" + raw[1:])), public_keys()).reason == (
        "unknown_version"
    )


def test_page_says_verified(client, cert):
    url = qr.signed_url(cert)
    path = url[url.index("/c/") :]
    html = client.get(path).content.decode()
    assert 'data-qr="verified"' in html and "纸面信息已验证" in html
    assert cert.number in html


def test_page_with_wrong_sig_still_shows_the_certificate(client, cert, world):
    html = client.get(f"/c/{cert.token}/AAAA/").content.decode()
    assert cert.number in html
    assert 'data-qr="not-verified"' in html and "纸面信息未通过验证" in html
    # A good signature of ANOTHER certificate's facts does not verify this one.
    facts = qr.QrFacts("S000044000101264999999", "4", cert.occupation_code, cert.issued_on)
    other = qr.sign_facts(signing_key(), facts)
    html = client.get(f"/c/{cert.token}/{other}/").content.decode()
    assert 'data-qr="not-verified"' in html
    # The plain page says nothing about a signature; an unknown token is 404.
    assert "data-qr" not in client.get(f"/c/{cert.token}/").content.decode()
    assert client.get(f"/c/nope{cert.token}/AAAA/").status_code == 404


def test_retired_key_still_verifies(cert, settings):
    old = Ed25519PrivateKey.generate()
    url = cert.public_url + qr.sign_facts(old, qr.facts_of(cert)) + "/"
    assert not qr.verify_qr(url, public_keys()).valid
    settings.CERT_SIGNING_RETIRED_KEYS = [
        base64.b64encode(
            old.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        ).decode()
    ]
    keys = public_keys()
    assert len(keys) == 2 and next(iter(keys)) != qr.verify_qr(url, keys).key_id
    assert qr.verify_qr(url, keys).valid


def test_docs_script_verifies(cert, tmp_path):
    pem = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    key = tmp_path / "key.pem"
    key.write_bytes(pem)
    script = ROOT / "docs" / "verify_qr.py"
    url = qr.signed_url(cert)
    ok = subprocess.run(
        [sys.executable, str(script), str(key), url], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0 and "VERIFIED" in ok.stdout and cert.number in ok.stdout
    sig = url.rstrip("/").rsplit("/", 1)[1]
    flipped = sig[:10] + ("B" if sig[10] != "B" else "C") + sig[11:]
    bad = subprocess.run(
        [sys.executable, str(script), str(key), url.replace(sig, flipped)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and "NOT VERIFIED" in bad.stdout


def test_pdf_qr_uses_signed_url(cert):
    from certificates import pdf

    context = pdf._facts(cert, None)
    assert context["qr"] == pdf.qr_svg(qr.signed_url(cert))
    assert context["public_url"] == cert.public_url  # the short address printed beside it
