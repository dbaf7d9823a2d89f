"""Archiving a session (Art 18, 21): the refusals (results not final, certificates not recorded,
recordings not stated), the record stored as documents of the session with their retention,
nothing deletable before its date, the grants taken away, and the export reproducible byte for
byte (twice from the service, from the page and from the command, matching the digest recorded
at archiving)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments import services
from assessments.models import (
    ArchiveExport,
    AssessmentSession,
    Result,
    SessionStatus,
    TicketBatch,
)
from assessments.services import archives
from portal import access, clock, documents
from portal.models import Document, RetentionClass
from tests.assessments.builders import (
    CONCLUDED,
    PDF,
    assign_to_sitting,
    certify,
    concluded_session,
    pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _ready(world, session):
    admin = world.members["admin"]
    services.set_recordings_location(admin, session, location="监控服务器 NAS-2 /2026/电工")
    return AssessmentSession.objects.get(pk=session.pk)


def test_archiving_is_refused_before_the_results_are_final_and_certified(world):
    admin = world.members["admin"]
    session = concluded_session(world)
    AssessmentSession.objects.filter(pk=session.pk).update(results_final_at=None)
    session.refresh_from_db()
    assert archives.archive_refusal(session, admin).code == "not_final"
    with pytest.raises(ValidationError):
        services.archive_session(admin, session)
    AssessmentSession.objects.filter(pk=session.pk).update(results_final_at=clock.now())
    session.refresh_from_db()
    assert archives.archive_refusal(session, admin).code == "not_certified"
    certify(session)
    session.refresh_from_db()
    assert archives.archive_refusal(session, admin).code == "no_recordings"
    session = _ready(world, session)
    assert archives.archive_refusal(session, admin) is None
    # Only the agency's admin and staff archive; the official reads.
    assert archives.archive_refusal(session, world.gd_official).code == "forbidden"
    with pytest.raises(
        access.PermissionDenied if hasattr(access, "PermissionDenied") else Exception
    ):
        services.archive_session(world.gd_official, session)
    assert AssessmentSession.objects.get(pk=session.pk).status == SessionStatus.CLOSED
    assert not Document.objects.filter(subject=documents.subject_key(session)).exists()


def test_a_session_nobody_passed_is_archived_without_certificates(world):
    admin = world.members["admin"]
    failed = {k: v[:5] + ("failed",) for k, v in CONCLUDED.items() if k in ("乙", "丁")}
    session = _ready(world, concluded_session(world, people=failed))
    assert session.certificates_recorded_at is None
    services.archive_session(admin, session)
    assert AssessmentSession.objects.get(pk=session.pk).status == SessionStatus.ARCHIVED


def test_archiving_stores_the_record_with_its_retention_and_a_reproducible_export(
    world, client, tmp_path
):
    admin, staff = world.members["admin"], world.members["staff"]
    session = concluded_session(world)
    certify(session)
    session = _ready(world, session)
    # What the earlier stages stored: the tickets' batch (another matter's document, copied).
    batch_doc = documents.store_generated(
        admin, PDF, "准考证.pdf", title="准考证", kind="tickets", owner_agency=world.gd_agency
    )
    TicketBatch.objects.create(session=session, document=batch_doc)
    services.add_record_file(
        staff, session, upload=pdf("理论试卷A.pdf"), kind="question_paper", title="理论试卷 A卷"
    )
    services.add_paper_record(
        staff, session, title="纸质答题卡 40 份", location="机构档案室 3 号柜"
    )
    with pytest.raises(ValidationError) as bad:
        services.add_paper_record(staff, session, title="签到表", location="  ")
    assert "location" in bad.value.error_dict
    # An assigned examiner's grant on the session.
    assign_to_sitting(world, session.sittings.first(), world.members["examiner"], n=7)
    assert access.can(world.members["examiner"], "assessments.session.read", session)

    services.archive_session(staff, session)

    session = AssessmentSession.objects.get(pk=session.pk)
    assert session.status == SessionStatus.ARCHIVED and session.archived_by == staff
    docs = archives.archived_documents(session)
    kinds = [d.kind for d in docs]
    assert kinds[:9] == [k for k, _label in archives.GENERATED]
    assert {"ticket_batch", "question_paper", "paper_record"} <= set(kinds)
    today = clock.today()
    for doc in docs:
        years = 3 if doc.retention_class == RetentionClass.PAPER else 5
        assert doc.retain_until == today.replace(year=today.year + years), doc.kind
        assert doc.owner_agency_id == world.gd_agency.pk
        with pytest.raises(ValidationError):
            documents.delete_document(admin, doc)
    paper = next(d for d in docs if d.kind == "paper_record")
    assert (
        paper.retention_class == RetentionClass.PAPER
        and paper.paper_location == "机构档案室 3 号柜"
    )
    batch_doc.refresh_from_db()
    assert batch_doc.retain_until is None  # its own matter's retention is untouched
    # The certificates issued are listed in their PDF; ID numbers are masked in every record.
    numbers = sorted(Result.objects.filter(session=session).exclude(certificate_number="")
                     .values_list("certificate_number", flat=True))  # fmt: skip
    assert len(numbers) == 2
    # Grants are gone at archiving.
    assert not access.is_granted(world.members["examiner"], "view_assessmentsession", session)
    # Nothing is added to an archived record.
    assert archives.record_refusal(session, staff).code == "archived"
    with pytest.raises(ValidationError):
        services.add_record_file(staff, session, upload=pdf("答题卡.pdf"), kind="answer_sheets")
    assert archives.archive_refusal(session, staff).code == "archived"

    # The export: the same bytes every time, matching the digest recorded at archiving.
    first, files = archives.build_export(session)
    second, _files = archives.build_export(session)
    assert first == second
    recorded = ArchiveExport.objects.get(session=session)
    assert recorded.sha256 == hashlib.sha256(first).hexdigest() and recorded.files == files
    archive = zipfile.ZipFile(io.BytesIO(first))
    names = archive.namelist()
    assert names == sorted(names[:-1]) + ["SHA256SUMS"]
    assert {"index.html", "index.csv"} <= set(names)
    assert {i.date_time for i in archive.infolist()} == {archives.ZIP_DATE}
    assert {i.external_attr for i in archive.infolist()} == {archives.ZIP_MODE}
    sums = dict(
        reversed(line.split("  ")) for line in archive.read("SHA256SUMS").decode().splitlines()
    )
    for name in names[:-1]:
        assert sums[name] == hashlib.sha256(archive.read(name)).hexdigest()
    index = archive.read("index.csv").decode("utf-8-sig")
    assert "机构档案室 3 号柜" in index and "监控服务器 NAS-2" in index
    assert paper.retain_until.isoformat() in index
    for doc in docs:
        if doc.retention_class != RetentionClass.PAPER:
            assert doc.sha256 in index
    certificates = next(d for d in docs if d.kind == "archive_certificates")
    assert archive.read(next(n for n in names if "archive_certificates" in n)) == (
        certificates.file.open("rb").read()
    )

    # The command writes the same bytes.
    out = tmp_path / "archive.zip"
    call_command("export_session_archive", str(session.pk), str(out))
    assert out.read_bytes() == first
    with pytest.raises(CommandError):
        call_command("export_session_archive", "999999", str(out))

    # The page: the agency and the officials of the site's province download the same bytes.
    client.force_login(staff)
    page = client.get(reverse("assessments:session_archive", args=[world.gd_agency.pk, session.pk]))
    assert page.status_code == 200 and recorded.sha256 in page.content.decode()
    got = client.get(
        reverse("assessments:session_archive_export", args=[world.gd_agency.pk, session.pk])
    )
    assert b"".join(got.streaming_content if got.streaming else [got.content]) == first
    client.force_login(world.gd_official)
    got = client.get(reverse("assessments:plan_archive_export", args=[session.pk]))
    assert got.status_code == 200 and got.content == first
    client.force_login(world.hlj_official)
    assert client.get(reverse("assessments:plan_archive", args=[session.pk])).status_code == 404


def test_the_demo_archives_a_certified_session(world):
    from assessments.demo_archive import archive_demo_session

    session = concluded_session(world)
    assert archive_demo_session(session, actor=world.members["admin"]) is None  # not certified
    certify(session)
    session = AssessmentSession.objects.get(pk=session.pk)
    archived = archive_demo_session(session, actor=world.members["admin"])
    assert archived.status == SessionStatus.ARCHIVED and archived.recordings_kept_at
    assert ArchiveExport.objects.filter(session=session).exists()
    assert archive_demo_session(archived, actor=world.members["admin"]) is None
