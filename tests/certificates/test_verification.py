"""The verification service (Art 22; decision 0048): exactly four verdicts, a bad signature
carrying nothing of the document, the register's masked facts otherwise; VC JSON and PDF."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.db import OperationalError, connection

from certificates import keys, pades, pdf, vc, verification
from certificates.verification import BAD_SIGNATURE, INCONCLUSIVE, REVOKED, VALID
from tests.certificates import verify_helpers as h
from tests.certificates.pdf_helpers import run_verify_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def certs(world, django_capture_on_commit_callbacks):
    return h.issue_signed(world, django_capture_on_commit_callbacks)


@pytest.fixture
def signed_pdf(world, certs, django_capture_on_commit_callbacks):
    return certs[0], h.downloaded_pdf(world, django_capture_on_commit_callbacks, certs[0])


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _upload(data, name="credential.json") -> verification.Outcome:
    if isinstance(data, dict):
        data = _json(data)
    kind = "application/pdf" if name.endswith(".pdf") else "application/json"
    return verification.verify_upload(data, filename=name, content_type=kind)


def _assert_bare(outcome, *absent: str) -> None:
    """A bad signature: nothing of the document, nothing of the register."""
    assert outcome.verdict == BAD_SIGNATURE
    assert outcome.facts is None and outcome.certificate is None and outcome.successor is None
    assert outcome.key_id == ""
    for text in absent:
        assert text not in outcome.reason


# --- VC JSON ---------------------------------------------------------------------------------


def test_a_genuine_credential_is_valid_with_the_registers_masked_facts(certs):
    cert = certs[0]
    outcome = _upload(cert.credential)
    assert outcome.verdict == VALID, outcome.reason
    assert outcome.certificate == cert and outcome.facts["number"] == cert.number
    assert outcome.facts["holder"] == cert.masked_name != cert.holder_name
    assert outcome.facts["id_number"] == cert.masked_id
    assert cert.id_number not in json.dumps(outcome.facts, ensure_ascii=False)
    assert dict(outcome.checks) == {"file": True, "proof": True, "register": True, "status": True}


def test_the_facts_come_from_the_register_not_from_the_upload(certs):
    """A credential whose proof verifies is ours: but what is shown is still read from the
    register's row, so the answer follows the row (e.g. the status) and not the file."""
    cert = certs[0]
    outcome = _upload(cert.credential)
    assert outcome.facts == verification.register_facts(cert)


def test_a_revoked_certificate_is_revoked_with_date_and_reason(certs):
    h.revoke(certs[0], "以欺骗手段取得证书")
    outcome = _upload(certs[0].credential)
    assert outcome.verdict == REVOKED and outcome.detail == "revoked"
    assert "以欺骗手段取得证书" in outcome.reason
    assert outcome.facts["status"] == "revoked" and outcome.facts["revoked_reason"]


def test_a_replaced_certificate_is_revoked_and_names_its_successor(certs):
    old, new = certs[0], certs[1]
    h.replace(old, new)
    outcome = _upload(old.credential)
    assert outcome.verdict == REVOKED and outcome.detail == "replaced"
    assert outcome.successor == new
    assert "; replaced " in outcome.reason
    assert outcome.reason.endswith(f"by a corrected certificate {new.number}")
    assert outcome.facts["replaced_by"] == new.number
    assert _upload(new.credential).verdict == VALID


def test_a_changed_field_is_a_bad_signature_that_repeats_nothing(certs):
    marker = "伪造标记X9Q"
    forged = h.forged_credential(certs[0], certificateNumber="Y" + "9" * 21)
    forged["credentialSubject"]["identifier"][0]["identityHash"] = marker
    outcome = _upload(forged)
    _assert_bare(outcome, marker, "Y" + "9" * 21, certs[0].number)
    assert dict(outcome.checks)["proof"] is False


def test_a_changed_proof_value_is_a_bad_signature(certs):
    data = copy.deepcopy(certs[0].credential)
    value = data["proof"]["proofValue"]
    data["proof"]["proofValue"] = value[:12] + ("2" if value[12] != "2" else "3") + value[13:]
    _assert_bare(_upload(data), certs[0].number)


def test_a_key_that_is_not_published_is_a_bad_signature(certs):
    stranger = ed25519.Ed25519PrivateKey.generate()
    method = f"{keys.issuer_did()}#key-0badc0de"
    data = vc.add_proof(vc.unsigned_credential(certs[0]), key=stranger, method=method)
    outcome = _upload(data)
    _assert_bare(outcome, "0badc0de", certs[0].number)
    assert outcome.reason == "unknown key"


def test_an_unsigned_credential_is_a_bad_signature(certs):
    _assert_bare(_upload(vc.unsigned_credential(certs[0])), certs[0].number)
    _assert_bare(_upload({"proof": "x"}))
    _assert_bare(_upload(b"[1, 2]"))
    _assert_bare(_upload(b"{not json"))
    _assert_bare(_upload(b"GIF89a..."))
    _assert_bare(_upload(b""))


def test_a_genuine_signature_on_a_number_not_in_the_register_is_inconclusive(certs):
    data = vc.unsigned_credential(certs[0])
    data["credentialSubject"]["certificateNumber"] = certs[0].number[:-6] + "999999"
    outcome = _upload(vc.add_proof(data))
    assert outcome.verdict == INCONCLUSIVE and outcome.detail == verification.NOT_IN_REGISTER
    assert outcome.facts is None and outcome.certificate is None


def test_a_status_entry_that_is_not_its_own_is_inconclusive(certs):
    data = vc.unsigned_credential(certs[0])
    data["credentialStatus"] = vc.status_entry(certs[1])
    outcome = _upload(vc.add_proof(data))
    assert outcome.verdict == INCONCLUSIVE and outcome.detail == verification.ENTRY_NOT_OWN
    assert dict(outcome.checks)["status"] is None


def test_a_register_that_cannot_be_read_is_inconclusive_never_valid(certs):
    def refuse(execute, sql, params, many, context):
        if "certificates_certificate" in sql:
            raise OperationalError("the register is down")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        outcome = _upload(certs[0].credential)
    assert outcome.verdict == INCONCLUSIVE and outcome.detail == verification.STATUS_UNAVAILABLE
    assert outcome.facts is None


# --- PDF ---------------------------------------------------------------------------------------


def test_a_genuine_signed_pdf_is_valid(signed_pdf):
    cert, data = signed_pdf
    outcome = _upload(data, "证书.pdf")
    assert outcome.verdict == VALID, outcome.reason
    assert outcome.kind == "pdf" and outcome.certificate == cert
    assert [name for name, passed in outcome.checks if passed] == [
        "file", "pdf_signature", "attachment", "proof", "same", "register", "status",
    ]  # fmt: skip


def test_a_revoked_certificates_pdf_is_revoked(signed_pdf):
    cert, data = signed_pdf
    h.revoke(cert)
    assert _upload(data, "c.pdf").verdict == REVOKED


def test_a_pdf_changed_after_signing_is_a_bad_signature(signed_pdf):
    cert, data = signed_pdf
    for changed in (h.flip_content_byte(data), h.incremental_update(data)):
        outcome = _upload(changed, "c.pdf")
        _assert_bare(outcome, cert.number)
        assert dict(outcome.checks)["pdf_signature"] is False


def test_a_pdf_without_a_signature_is_a_bad_signature(signed_pdf):
    cert, _data = signed_pdf
    outcome = _upload(pdf.render_certificate(cert), "c.pdf")
    _assert_bare(outcome)
    assert "no signature" in outcome.reason
    _assert_bare(_upload(b"%PDF-1.7\n%%EOF\n", "c.pdf"))


def test_a_pdf_validly_signed_by_another_ca_is_a_bad_signature(signed_pdf, settings):
    cert, _data = signed_pdf
    forged = h.signed_elsewhere(settings, cert)
    assert pades.verify_pdf(forged).credential is None  # not trusted: not even read
    outcome = _upload(forged, "c.pdf")
    _assert_bare(outcome, cert.number)
    assert "portal's CA" in outcome.reason


def test_a_pdf_whose_attached_credential_is_not_its_certificate_is_a_bad_signature(certs):
    first, second = certs[0], certs[1]
    other = vc.unsigned_credential(second)
    other["id"] = first.public_url  # signed by our key, but not the register's credential
    data = pades.sign_certificate_pdf(pdf.render_certificate(first), vc.add_proof(other))
    outcome = _upload(data, "c.pdf")
    _assert_bare(outcome, first.number, second.number)
    assert dict(outcome.checks)["same"] is False


def test_a_pdf_whose_attachment_is_forged_is_a_bad_signature(certs):
    forged = h.forged_credential(certs[0], certificateNumber=certs[1].number)
    data = pades.sign_certificate_pdf(pdf.render_certificate(certs[0]), forged)
    _assert_bare(_upload(data, "c.pdf"), certs[1].number)


# --- The command uses the same service -------------------------------------------------------


def test_the_command_says_inconclusive_with_its_own_exit_status(certs, tmp_path):
    data = vc.unsigned_credential(certs[0])
    data["credentialSubject"]["certificateNumber"] = certs[0].number[:-6] + "999999"
    path = tmp_path / "c.json"
    path.write_bytes(_json(vc.add_proof(data)))
    code, out = run_verify_command(path)
    assert code == 3 and out.startswith("inconclusive: ")
    h.replace(certs[1], certs[2])
    path.write_bytes(_json(certs[1].credential))
    code, out = run_verify_command(path)
    assert code == 1 and out.startswith("revoked: ") and certs[2].number in out
