"""Data submission to the testing centre (Art 21; decision 0052): batches numbered 1, 2, 3…
per agency, every certificate event in exactly one batch (idempotent, gap-free), revocations
and replacements after the issue, encrypted files that decrypt and parse, a SHA-256 manifest,
full ID numbers only in the files, audited downloads for the testing centre only, the
acknowledgement in the jurisdiction, late agencies counted in working days, the periodic job
and the pages."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from certificates.models import (
    Certificate,
    SubmissionBatch,
    SubmissionFile,
    SubmissionItem,
)
from certificates.services import issue_certificates
from certificates.services import submission as sub
from portal import clock, counters
from portal.models import AuditEntry
from portal.roles import AuthorityRole
from tests.certificates.builders import final_session
from tests.portal.builders import make_user

pytestmark = pytest.mark.django_db


def _issue(world, n: int = 3) -> list[Certificate]:
    session = final_session(world, n, failed=0)
    batch = issue_certificates(world.members["admin"], [session])
    return list(Certificate.objects.filter(batch=batch).order_by("number"))


def _revoke(cert: Certificate, when=None) -> None:
    # What certificates' revoke service writes (Art 27); the service itself is part 3's.
    Certificate.objects.filter(pk=cert.pk).update(
        status="revoked", revoked_at=when or clock.now(), revoked_reason="以欺骗手段取得"
    )


def _replace(old: Certificate, new: Certificate) -> None:
    Certificate.objects.filter(pk=old.pk).update(
        status="replaced", replaced_at=clock.now(), replaced_by=new
    )


def _files(batch: SubmissionBatch) -> tuple[list[dict], list[dict]]:
    plain = {f.kind: sub.decrypt_file(f) for f in batch.files.all()}
    jsonl = [json.loads(line) for line in plain["jsonl"].decode().splitlines()]
    text = plain["csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    return jsonl, rows


def test_first_batch_holds_every_issue_and_is_number_1(world):
    certs = _issue(world, 3)
    batch = sub.submit_batch(world.gd_agency, actor=world.members["staff"])
    assert batch.sequence == 1 and batch.new_count == 3 and batch.total == 3
    assert batch.jurisdiction == "440000" and batch.period_from is None
    assert set(batch.items.values_list("certificate_id", flat=True)) == {c.pk for c in certs}
    assert counters.peek(sub.head_key(world.gd_agency)) == 1


def test_submitting_again_with_nothing_new_adds_nothing(world):
    _issue(world, 2)
    first = sub.submit_batch(world.gd_agency)
    assert sub.submit_batch(world.gd_agency) is None
    assert sub.submit_batch(world.gd_agency, actor=world.members["admin"]) is None
    assert SubmissionBatch.objects.filter(agency=world.gd_agency).count() == 1
    assert SubmissionItem.objects.count() == 2
    assert counters.peek(sub.head_key(world.gd_agency)) == first.sequence == 1
    refusal = sub.submit_refusal(world.gd_agency, world.members["admin"])
    assert refusal is not None and refusal.code == "nothing_new"


def test_sequence_is_gap_free_and_each_event_in_exactly_one_batch(world):
    for _ in range(3):
        _issue(world, 2)
        sub.submit_batch(world.gd_agency)
        assert sub.submit_batch(world.gd_agency) is None
    batches = SubmissionBatch.objects.filter(agency=world.gd_agency).order_by("sequence")
    assert [b.sequence for b in batches] == [1, 2, 3]
    # Each batch's period starts where the previous one ended.
    assert batches[1].period_from == batches[0].period_to
    pairs = list(SubmissionItem.objects.values_list("certificate_id", "event"))
    assert len(pairs) == len(set(pairs)) == Certificate.objects.count() == 6


def test_revoked_and_replaced_come_as_later_events(world):
    a, b, c = _issue(world, 3)
    sub.submit_batch(world.gd_agency)
    _revoke(a)
    _replace(b, c)
    second = sub.submit_batch(world.gd_agency)
    assert (second.new_count, second.revoked_count, second.replaced_count) == (0, 1, 1)
    jsonl, _rows = _files(second)
    by_event = {r["event"]: r for r in jsonl}
    assert by_event["revoked"]["certificate_number"] == a.number
    assert by_event["revoked"]["revoked_reason"] == "以欺骗手段取得"
    assert by_event["replaced"]["replaced_by"] == c.number
    # A certificate issued and revoked before any batch: its issue row comes first.
    (d,) = _issue(world, 1)
    _revoke(d, when=Certificate.objects.get(pk=d.pk).created_at)
    third = sub.submit_batch(world.gd_agency)
    events = [(r["certificate_number"], r["event"]) for r in _files(third)[0]]
    assert events == [(d.number, "new"), (d.number, "revoked")]


def test_a_reissued_paper_certificate_is_an_event_each_time(world):
    (a,) = _issue(world, 1)
    sub.submit_batch(world.gd_agency)
    Certificate.objects.filter(pk=a.pk).update(reissued_on=clock.today(), reissue_count=1)
    assert sub.submit_batch(world.gd_agency).reissued_count == 1
    assert sub.submit_batch(world.gd_agency) is None
    Certificate.objects.filter(pk=a.pk).update(reissue_count=2)
    third = sub.submit_batch(world.gd_agency)
    assert third.reissued_count == 1 and _files(third)[0][0]["reissue_count"] == 2


def test_files_decrypt_parse_match_the_manifest_and_each_other(world):
    certs = _issue(world, 4)
    batch = sub.submit_batch(world.gd_agency)
    for f in SubmissionFile.objects.filter(batch=batch):
        stored = bytes(f.content)
        assert hashlib.sha256(stored).hexdigest() == f.stored_sha256
        plain = sub.decrypt_file(f)
        assert plain not in stored and certs[0].id_number.encode() not in stored
        entry = next(e for e in batch.manifest["files"] if e["format"] == f.kind)
        assert entry["sha256"] == hashlib.sha256(plain).hexdigest() == f.sha256
        assert entry["bytes"] == len(plain) and entry["rows"] == 4
    jsonl, rows = _files(batch)
    assert [list(r) for r in jsonl] == [list(sub.FIELDS)] * 4
    assert [{k: str(v) for k, v in r.items()} for r in jsonl] == rows
    assert {r["id_number"] for r in jsonl} == {c.id_number for c in certs}
    assert batch.manifest["counts"] == {"new": 4, "revoked": 0, "replaced": 0, "reissued": 0}
    assert batch.manifest["sequence"] == 1 and batch.manifest["agency"]["uscc"]


def test_a_file_moved_to_another_batch_does_not_decrypt(world):
    _issue(world, 1)
    one = sub.submit_batch(world.gd_agency)
    _issue(world, 1)
    two = sub.submit_batch(world.gd_agency)
    f = SubmissionFile.objects.get(batch=one, kind="jsonl")
    f.batch_id = two.pk
    with pytest.raises(Exception):  # noqa: B017 - AES-GCM refuses the altered binding
        sub.decrypt_file(f)


def test_full_id_only_in_the_files_never_in_pages_audit_or_logs(world, client, caplog):
    caplog.set_level(logging.DEBUG)
    certs = _issue(world, 2)
    batch = sub.submit_batch(world.gd_agency, actor=world.members["admin"])
    full = {c.id_number for c in certs}
    client.force_login(world.members["admin"])
    pages = [client.get(reverse("certificates:agency_submissions", args=[world.gd_agency.pk]))]
    client.force_login(world.osta_gd)
    pages += [
        client.get(reverse("certificates:submissions")),
        client.get(reverse("certificates:submission", args=[batch.pk])),
        client.get(reverse("certificates:submissions_late")),
    ]
    downloaded = client.get(reverse("certificates:submission_file", args=[batch.pk, "csv"]))
    for page in pages:
        assert page.status_code == 200
        assert not any(n in page.content.decode() for n in full)
    assert all(n in downloaded.content.decode("utf-8-sig") for n in full)
    audit = json.dumps(
        list(AuditEntry.objects.values("changes", "object_repr")), ensure_ascii=False
    )
    assert not any(n in audit for n in full)
    assert not any(n in caplog.text for n in full)
    assert not any(n in json.dumps(batch.manifest) for n in full)


def test_downloads_are_audited_and_only_for_the_testing_centre(world, client):
    _issue(world, 1)
    batch = sub.submit_batch(world.gd_agency)
    client.force_login(world.osta_gd)
    for kind in ("jsonl", "csv", "manifest"):
        response = client.get(reverse("certificates:submission_file", args=[batch.pk, kind]))
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    entries = AuditEntry.objects.filter(action="certificates.submission.download")
    assert entries.count() == 3
    assert {e.actor_id for e in entries} == {world.osta_gd.pk}
    assert sorted(e.changes["file"][1].rsplit(".", 1)[-1] for e in entries) == [
        "csv",
        "json",
        "jsonl",
    ]
    assert all(e.object_id == str(batch.pk) for e in entries)
    assert (
        client.get(reverse("certificates:submission_file", args=[batch.pk, "xml"])).status_code
        == 404
    )
    for user in (world.members["admin"], world.gd_official, world.ministry):
        client.force_login(user)
        response = client.get(reverse("certificates:submission_file", args=[batch.pk, "csv"]))
        assert response.status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        sub.download(world.members["admin"], batch, "csv")
    assert entries.count() == 3, "a refused download is not a download"


def test_acknowledgement_in_the_jurisdiction_only(world):
    _issue(world, 1)
    batch = sub.submit_batch(world.gd_agency)
    osta_hlj = make_user("osta_hlj", role=AuthorityRole.OSTA_STAFF, jurisdiction="230000")
    for user in (osta_hlj, world.members["admin"], world.gd_official):
        with pytest.raises(PermissionDenied):
            sub.acknowledge_batch(user, batch, "")
    assert sub.acknowledge_refusal(batch, osta_hlj).code == "forbidden"
    done = sub.acknowledge_batch(world.osta_gd, batch, "已核对")
    assert done.acknowledged_by == world.osta_gd and done.acknowledgement_note == "已核对"
    with pytest.raises(ValidationError):
        sub.acknowledge_batch(world.osta_national, batch, "")
    assert AuditEntry.objects.filter(action="certificates.submission.acknowledge").count() == 1


def test_the_national_testing_centre_acknowledges_any(world):
    _issue(world, 1)
    batch = sub.submit_batch(world.gd_agency)
    assert sub.acknowledge_batch(world.osta_national, batch).acknowledged


def test_late_agencies_are_counted_in_working_days(world, settings):
    settings.DATA_SUBMISSION_DUE_WORKING_DAYS = 3
    monday = dt.date(2026, 11, 2)  # Mon 2 November 2026, no holiday that week
    with clock.frozen(monday):
        _issue(world, 1)
    with clock.frozen(dt.date(2026, 11, 5)):  # Thursday: 3 working days, not late
        assert sub.late_agencies(world.osta_gd) == []
    with clock.frozen(dt.date(2026, 11, 8)):  # Sunday: still 4 only from Friday on
        late = sub.late_agencies(world.osta_gd)
        assert [a.agency for a in late] == [world.gd_agency] and late[0].working_days == 4
        assert late[0].pending == 1
        assert sub.late_agencies(make_user("o_hlj", role="osta_staff", jurisdiction="230000")) == []
        sub.submit_batch(world.gd_agency)
        assert sub.late_agencies(world.osta_gd) == []


def test_the_periodic_job_submits_and_then_says_nothing_happened(world, settings):
    settings.DATA_SUBMISSION_PERIOD = "7"
    with clock.frozen(dt.date(2026, 11, 2)):
        _issue(world, 2)
        assert sub.submit_due() == {"batches": 1, "empty": 0}
        assert sub.submit_due() == {"batches": 0, "empty": 0}, "safe to run twice"
    with clock.frozen(dt.date(2026, 11, 10)):  # a whole period without events
        assert sub.submit_due() == {"batches": 1, "empty": 1}
        assert sub.submit_due() == {"batches": 0, "empty": 0}
    empty = SubmissionBatch.objects.get(sequence=2)
    assert empty.total == 0 and empty.created_by is None
    assert _files(empty) == ([], [])
    assert AuditEntry.objects.filter(action="certificates.submission.submit").count() == 2


def test_the_period_setting_is_checked(settings):
    settings.DATA_SUBMISSION_PERIOD = "monthly"
    assert sub.period_days() is None
    moment = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
    assert sub.period_start(moment).day == 1
    settings.DATA_SUBMISSION_PERIOD = "fortnightly"
    with pytest.raises(ValueError):
        sub.period_days()


def test_the_agency_submits_now_from_its_page(world, client):
    _issue(world, 2)
    url = reverse("certificates:agency_submissions", args=[world.gd_agency.pk])
    client.force_login(world.members["staff"])
    page = client.get(url)
    assert page.status_code == 200 and "立即报送" in page.content.decode()
    response = client.post(url, follow=True)
    assert SubmissionBatch.objects.get().sequence == 1
    assert "已向鉴定中心报送第 1 批" in response.content.decode()
    again = client.get(url).content.decode()
    assert "没有需要报送的内容" in again
    client.force_login(world.members["examiner"])
    assert client.post(url).status_code == 403


def test_the_testing_centre_acknowledges_with_a_confirmation_step(world, client):
    _issue(world, 1)
    batch = sub.submit_batch(world.gd_agency)
    client.force_login(world.osta_gd)
    url = reverse("certificates:submission", args=[batch.pk])
    listing = client.get(reverse("certificates:submissions") + "?state=waiting").content.decode()
    assert world.gd_agency.name in listing
    step1 = client.post(url, {"note": "收到"})
    assert step1.status_code == 200 and "确认" in step1.content.decode()
    batch.refresh_from_db()
    assert not batch.acknowledged
    client.post(url, {"note": "收到", "confirmed": "1"})
    batch.refresh_from_db()
    assert batch.acknowledged and batch.acknowledgement_note == "收到"
    listing = client.get(reverse("certificates:submissions") + "?state=waiting").content.decode()
    assert world.gd_agency.name not in listing
    client.force_login(make_user("osta_hlj2", role="osta_staff", jurisdiction="230000"))
    assert client.get(url).status_code == 404
