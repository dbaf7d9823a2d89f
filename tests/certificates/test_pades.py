"""The PAdES-signed electronic certificate PDF (Art 20; issue 16; decision 0044): the PDF the
agency downloads is signed by the portal's CA with the VC attached; a changed byte, content
added after signing or a signer outside the portal's CA fails; the batch PDF for the printer
is not signed; ``verify_certificate`` on a good, a tampered and a revoked PDF; the root of the
CA is published."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from certificates import pades, services, vc
from certificates.models import Certificate, CertificatePdf
from certificates.services import pdfs
from portal import clock, keys
from tests.certificates.builders import final_session
from tests.certificates.pdf_helpers import run_verify_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(world, django_capture_on_commit_callbacks):
    """A session's certificates issued; the first one's PDF downloaded (rendered, signed)."""
    session = final_session(world, 2)
    admin = world.members["admin"]
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_certificates(admin, [session])
    first = Certificate.objects.filter(session=session).order_by("number")[0]
    with django_capture_on_commit_callbacks(execute=True):
        row = pdfs.request_certificate_pdf(admin, first)
    row.refresh_from_db()
    first.refresh_from_db()
    return session, first, row.file.read()


def test_the_downloaded_pdf_is_signed_and_carries_the_verifying_credential(signed):
    _session, certificate, data = signed
    verdict = pades.verify_pdf(data)
    assert verdict.ok, verdict.reason
    assert "职业技能等级认定服务平台" in verdict.signer
    # The attached credential is the certificate's own, and its proof verifies.
    assert verdict.credential == certificate.credential
    checked = vc.verify_credential(verdict.credential)
    assert checked.ok and checked.number == certificate.number
    # PAdES B-B: a CAdES detached signature, SHA-256, by an ECDSA P-256 key.
    from pyhanko.pdf_utils.reader import PdfFileReader

    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.md_algorithm == "sha256"
    assert embedded.signer_cert.public_key.algorithm == "ec"
    assert embedded.signer_cert.public_key.curve[1] == "secp256r1"
    # No ID number in the attachment (the PDF shows it printed; the VC never carries it).
    assert certificate.id_number not in json.dumps(verdict.credential)


def test_a_changed_byte_or_an_addition_fails_the_signature(signed):
    _session, _certificate, data = signed
    at = data.index(b"WeasyPrint")  # the producer in the signed bytes, not the signature
    changed = data[:at] + b"weasyPrint" + data[at + len(b"WeasyPrint") :]
    verdict = pades.verify_pdf(changed)
    assert not verdict.ok and "changed" in verdict.reason
    appended = pades.verify_pdf(data + b"\n1 0 obj\n<<>>\nendobj\n")
    assert not appended.ok
    unsigned = pades.verify_pdf(data[: data.index(b"%%EOF") + 5])  # the rendering alone
    assert not unsigned.ok


def test_a_signer_outside_the_portal_ca_is_not_trusted(signed, settings, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    _session, certificate, _data = signed
    other = ec.generate_private_key(ec.SECP256R1())
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    trusted_root = pades.root_pem()
    settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = pem, keys.self_signed_certificate(other)
    forged = pades.signed_certificate_pdf(certificate)
    settings.PDF_SIGNING_CERT = trusted_root.decode()  # the verifier trusts the portal's root
    verdict = pades.verify_pdf(forged)
    assert not verdict.ok and "portal's CA" in verdict.reason


def test_the_batch_pdf_for_the_printer_is_not_signed(signed, world):
    session, _certificate, _data = signed
    row = pdfs.request_session_pdf(world.members["admin"], session)
    pdfs.render_cached(row.pk)
    batch = CertificatePdf.objects.get(pk=row.pk).file.read()
    assert batch.startswith(b"%PDF")
    verdict = pades.verify_pdf(batch)
    assert not verdict.ok and verdict.reason == "the PDF carries no signature"
    assert b"/ETSI.CAdES.detached" not in batch and b"credential.json" not in batch


def test_verify_certificate_on_a_good_a_tampered_and_a_revoked_pdf(signed, tmp_path):
    _session, certificate, data = signed
    good = tmp_path / "good.pdf"
    good.write_bytes(data)
    code, out = run_verify_command(good)
    assert code == 0 and out.startswith("valid")
    assert "not changed" in out and certificate.number in out

    at = data.index(b"WeasyPrint")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(data[:at] + b"WeasyPrinT" + data[at + 10 :])
    code, out = run_verify_command(tampered)
    assert code == 2 and out.startswith("invalid") and "changed" in out

    # The attached credential is checked like a VC JSON: its status comes from the database.
    Certificate.objects.filter(pk=certificate.pk).update(
        status="revoked", revoked_at=clock.now(), revoked_reason="测试吊销"
    )
    code, out = run_verify_command(good)
    assert code == 1 and out.startswith("revoked")


def test_the_root_of_the_pdf_ca_is_published_and_anchors_the_chain(client):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec

    response = client.get(reverse("certificates:pdf_ca"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    assert b"PRIVATE" not in response.content  # never a key, only the certificate
    root = x509.load_pem_x509_certificate(response.content)
    chain = [x509.load_pem_x509_certificate(pem) for pem in pades._chain_pem()]
    assert chain[-1] == root and len(chain) == 2  # development: root + signing certificate
    leaf = chain[0]
    assert leaf.issuer == root.subject
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    root.public_key().verify(
        leaf.signature, leaf.tbs_certificate_bytes, ec.ECDSA(leaf.signature_hash_algorithm)
    )


def test_the_agency_downloads_the_credential_beside_the_pdf(signed, client, world):
    _session, certificate, _data = signed
    client.force_login(world.members["staff"])
    page = client.get(
        reverse("certificates:agency_certificate", args=[certificate.agency_id, certificate.pk])
    )
    url = reverse(
        "certificates:certificate_credential", args=[certificate.agency_id, certificate.pk]
    )
    assert url in page.content.decode() and reverse("certificates:pdf_ca") in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.json"'
    assert vc.verify_credential(json.loads(response.content)).ok
    assert client.post(url).status_code == 405


def test_export_certificate_writes_a_signed_pdf_and_its_vc_that_verify(signed, tmp_path):
    _session, certificate, _data = signed
    out_pdf, out_vc = tmp_path / "out.pdf", tmp_path / "out.json"
    call_command(
        "export_certificate", certificate.number, "--pdf", str(out_pdf), "--vc", str(out_vc),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert run_verify_command(out_pdf)[0] == 0
    assert run_verify_command(out_vc)[0] == 0
    assert pades.verify_pdf(out_pdf.read_bytes()).credential == json.loads(out_vc.read_text())
