"""Revocation, correction and reissue (Art 27; decision 0049): who may, what is final, what
changes after the commit (status list, PDF cache, e-mail, signals), and nothing half-saved."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import Enrolment
from certificates import services, signals, vc
from certificates.models import (
    Certificate,
    CertificatePdf,
    CertificateRequest,
    CertificateStatus,
    PdfState,
    RequestState,
)
from certificates.services import changes, numbering, pdfs, status
from portal import counters, pii
from portal.models import AuditEntry
from tests.certificates.pdf_helpers import needs_poppler, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world):
    from tests.certificates.builders import final_session

    session = final_session(world, 3, failed=0)
    services.issue_certificates(world.members["admin"], [session])
    certs = list(Certificate.objects.filter(session=session).order_by("number"))
    # The first holder gave an e-mail address at enrolment; the others did not.
    Enrolment.objects.filter(pk=certs[0].result.enrolment_id).update(email="holder@example.org")
    return certs


def _bit(cert: Certificate) -> bool:
    cert.refresh_from_db()
    return status.bit(status.bitstring(cert.status_list), cert.status_index)


# --- Direct revocation ---------------------------------------------------------------------------


def test_an_official_of_the_sites_province_or_national_revokes_others_are_refused(world, issued):
    cert = issued[1]
    for actor in (world.hlj_official, world.osta_gd, world.members["admin"], world.nobody):
        with pytest.raises(PermissionDenied):
            services.revoke_certificate(actor, cert, reason="抽查发现违规")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID
    services.revoke_certificate(world.gd_official, cert, reason="抽查发现违规")
    services.revoke_certificate(world.ministry, issued[2], reason="国家抽查")
    assert Certificate.objects.filter(status="revoked").count() == 2


def test_revocation_is_final_and_the_number_is_never_reused(world, issued):
    cert = issued[1]
    services.revoke_certificate(world.gd_official, cert, reason="材料造假")
    with pytest.raises(ValidationError) as refused:
        services.revoke_certificate(world.ministry, cert, reason="再次")
    assert "撤销" in str(refused.value) and "不可" in str(refused.value)
    with pytest.raises(ValidationError):
        services.request_reissue(world.members["admin"], cert, reason="遗失")
    cert.refresh_from_db()
    assert (
        cert.revoked_reason == "材料造假"
        and Certificate.objects.filter(number=cert.number).count() == 1
    )
    # A later issue of the same scope takes the next number, never the revoked one.
    scope = numbering.scope_for(cert.site, cert.issued_on.year, cert.level_code)
    assert counters.peek(numbering.counter_key(scope)) == 3


def test_a_reason_is_needed(world, issued):
    with pytest.raises(ValidationError) as refused:
        services.revoke_certificate(world.gd_official, issued[0], reason="  ")
    assert "reason" in refused.value.error_dict


def test_on_commit_the_bit_flips_the_list_is_signed_again_the_signal_and_mail_go(
    world, issued, django_capture_on_commit_callbacks
):
    cert = issued[0]
    before = vc.status_list_credential(cert.status_list)
    heard = []

    def listener(sender, certificate, actor, reason, **kwargs):
        heard.append((certificate.pk, actor.pk, reason))

    signals.revoked.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.revoke_certificate(world.gd_official, cert, reason="冒名顶替")
        assert heard == [] and mail.outbox == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        signals.revoked.disconnect(listener)
    assert heard == [(cert.pk, world.gd_official.pk, "冒名顶替")]
    assert _bit(cert) is True
    after = vc.status_list_credential(cert.status_list)
    assert vc.status_list_digest(after) != vc.status_list_digest(before)
    assert status.bit(
        status.decode_list(after["credentialSubject"]["encodedList"]), cert.status_index
    )
    assert [m.to for m in mail.outbox] == [["holder@example.org"]]
    assert "冒名顶替" in mail.outbox[0].body and cert.id_number not in mail.outbox[0].body


def test_no_mail_without_an_address(world, issued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(world.gd_official, issued[1], reason="冒名顶替")
    assert mail.outbox == []


def test_the_audit_entry_names_the_reason_and_holds_no_id(world, issued):
    cert = issued[0]
    services.revoke_certificate(world.gd_official, cert, reason="证书信息与档案不符")
    entry = AuditEntry.objects.filter(action="certificates.certificate.revoke").get()
    text = json.dumps(entry.changes, ensure_ascii=False)
    assert "证书信息与档案不符" in text and cert.number in text
    assert cert.id_number not in text and cert.id_number not in entry.object_repr


@needs_poppler
def test_the_cached_pdf_is_rendered_again_marked_revoked(
    world, issued, tmp_path, django_capture_on_commit_callbacks
):
    cert = issued[0]
    with django_capture_on_commit_callbacks(execute=True):
        row = pdfs.request_certificate_pdf(world.members["admin"], cert)
    row.refresh_from_db()
    old_hash, old_file = row.data_hash, row.file.name
    assert "已撤销" not in pdf_text(row.file.read(), tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(world.gd_official, cert, reason="冒名顶替")
    row = CertificatePdf.objects.get(certificate=cert)
    assert row.state == PdfState.READY and row.data_hash != old_hash and row.file.name != old_file
    cert.refresh_from_db()
    assert row.data_hash == pdfs.certificate_hash(cert)
    text = "".join(pdf_text(row.file.read(), tmp_path).split())  # letter-spaced
    assert "已撤销" in text and "撤销日期" in text


def test_nothing_is_half_saved_when_a_step_fails(world, issued, monkeypatch):
    cert = issued[0]

    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(changes.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.revoke_certificate(world.gd_official, cert, reason="冒名顶替")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID and cert.revoked_at is None


# --- Requests and decisions ---------------------------------------------------------------------


def test_only_the_agencys_admin_and_staff_ask_and_one_request_waits(world, issued):
    cert = issued[0]
    for actor in (world.hlj_admin, world.members["examiner"], world.gd_official):
        with pytest.raises(PermissionDenied):
            services.request_revocation(actor, cert, reason="冒名")
    req = services.request_revocation(world.members["staff"], cert, reason="冒名")
    assert req.state == RequestState.PENDING and req.agency_id == cert.agency_id
    with pytest.raises(ValidationError) as refused:
        services.request_reissue(world.members["admin"], cert, reason="遗失")
    assert refused.value.code == "pending"
    services.withdraw_request(world.members["admin"], req)
    again = services.request_reissue(world.members["admin"], cert, reason="遗失")
    assert again.state == RequestState.PENDING


def test_the_filing_authority_decides_others_are_refused(world, issued):
    req = services.request_revocation(world.members["admin"], issued[0], reason="冒名")
    for actor in (world.hlj_official, world.osta_national, world.osta_gd, world.members["admin"]):
        with pytest.raises(PermissionDenied):
            services.decide_request(actor, req, approve=True)
    with pytest.raises(ValidationError) as refused:
        services.decide_request(world.gd_official, req, approve=False, note="")
    assert "note" in refused.value.error_dict
    decided = services.decide_request(world.gd_official, req, approve=True, note="属实")
    cert = issued[0]
    cert.refresh_from_db()
    assert decided.state == RequestState.APPROVED and cert.status == CertificateStatus.REVOKED
    assert cert.revoked_reason == "冒名"
    with pytest.raises(ValidationError):
        services.decide_request(world.ministry, req, approve=False, note="改判")


def test_a_refusal_keeps_the_certificate(world, issued):
    req = services.request_revocation(world.members["admin"], issued[0], reason="冒名")
    services.decide_request(world.ministry, req, approve=False, note="证据不足")
    req.refresh_from_db()
    issued[0].refresh_from_db()
    assert req.state == RequestState.REFUSED and req.decision_note == "证据不足"
    assert issued[0].status == CertificateStatus.VALID


def test_a_direct_revocation_closes_a_waiting_request(world, issued):
    req = services.request_reissue(world.members["admin"], issued[0], reason="遗失")
    services.revoke_certificate(world.gd_official, issued[0], reason="抽查")
    req.refresh_from_db()
    assert req.state == RequestState.REFUSED


def test_a_correction_needs_a_change_and_a_valid_id(world, issued):
    cert = issued[0]
    with pytest.raises(ValidationError) as refused:
        services.request_correction(
            world.members["admin"], cert, reason="写错", name=cert.holder_name
        )
    assert "name" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.request_correction(
            world.members["admin"], cert, reason="写错", id_type="resident_id", id_number="123"
        )
    assert "id_number" in refused.value.error_dict
    assert not CertificateRequest.objects.exists()


def test_an_approved_correction_issues_a_new_number_without_gap_and_replaces_the_old(
    world, issued, django_capture_on_commit_callbacks
):
    from tests.certificates.builders import candidate_number

    old = issued[0]
    new_id = candidate_number(9_000_001)
    req = services.request_correction(
        world.members["admin"], old, reason="姓名录入错误", name="王更正", id_number=new_id
    )
    entry = AuditEntry.objects.filter(action="certificates.request.ask").get()
    assert new_id not in json.dumps(entry.changes, ensure_ascii=False)
    assert req.corrected_id_index == pii.blind_index("resident_id", new_id)
    heard = []

    def listener(sender, certificate, successor, actor, **kwargs):
        heard.append((certificate.pk, successor.pk))

    signals.replaced.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.decide_request(world.gd_official, req, approve=True, note="")
    finally:
        signals.replaced.disconnect(listener)
    req.refresh_from_db()
    old.refresh_from_db()
    new = req.successor
    assert old.status == CertificateStatus.REPLACED and old.replaced_by == new and old.replaced_at
    assert heard == [(old.pk, new.pk)]
    # Same counter as an original issue of the site, this year and level: the next number.
    numbers = sorted(c.number for c in issued)
    assert new.number[:16] == numbers[0][:16] and int(new.number[16:]) == int(numbers[-1][16:]) + 1
    assert new.holder_name == "王更正" and new.id_number == new_id and new.result is None
    assert new.occupation_code == old.occupation_code and new.session_id == old.session_id
    assert new.token != old.token and new.status == CertificateStatus.VALID
    assert _bit(old) is True and _bit(new) is False
    new.refresh_from_db()
    assert new.credential and vc.verify_credential(new.credential).ok
    # The holder is told at the address of the original enrolment; no ID in the mail.
    assert [m.to for m in mail.outbox] == [["holder@example.org"]]
    assert new.number in mail.outbox[0].body and new_id not in mail.outbox[0].body
    assert changes.holder_email(new) == "holder@example.org"
    with pytest.raises(ValidationError):
        services.revoke_certificate(world.gd_official, old, reason="旧证")


def test_an_approved_reissue_keeps_the_number_and_marks_the_print(
    world, issued, tmp_path, django_capture_on_commit_callbacks
):
    cert = issued[1]
    req = services.request_reissue(world.members["admin"], cert, reason="纸质证书遗失")
    services.decide_request(world.gd_official, req, approve=True, note="")
    number = cert.number
    cert.refresh_from_db()
    assert cert.number == number and cert.reissue_count == 1 and cert.reissued_on
    assert cert.status == CertificateStatus.VALID and not _bit(cert)
    from certificates import pdf

    assert "补发" in pdf.certificate_html(cert)


def test_a_failed_correction_leaves_the_request_waiting_and_takes_no_number(
    world, issued, monkeypatch
):
    old = issued[0]
    req = services.request_correction(world.members["admin"], old, reason="写错", name="王更正")
    scope = numbering.scope_for(old.site, old.issued_on.year, old.level_code)
    before = counters.peek(numbering.counter_key(scope))

    def full(n):
        raise ValidationError("no free status-list entry")

    monkeypatch.setattr(changes.status, "allocate_indexes", full)
    with pytest.raises(ValidationError):
        services.decide_request(world.gd_official, req, approve=True)
    req.refresh_from_db()
    old.refresh_from_db()
    assert req.state == RequestState.PENDING and old.status == CertificateStatus.VALID
    assert counters.peek(numbering.counter_key(scope)) == before
    assert Certificate.objects.count() == len(issued)


def test_bad_evidence_is_refused_at_the_field_and_nothing_is_saved(world, issued):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("证明.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.request_revocation(
            world.members["admin"], issued[0], reason="冒名", evidence=[bad]
        )
    assert "evidence" in refused.value.error_dict
    assert not CertificateRequest.objects.exists()
