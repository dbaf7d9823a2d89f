"""Documents: real-type checks, access-checked download, retention (Art 21), assignment grants."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import audit, clock, documents
from portal.models import AuditEntry, Document, RetentionClass

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.pdf", b"", "empty"),
        ("evil.pdf", b"MZ\x90\x00 not a pdf", "bad_type"),
        ("photo.pdf", PNG, "name_mismatch"),
        ("script.html", b"<script>alert(1)</script>", "bad_type"),
        ("fake.xlsx", b"PK\x03\x04garbage", "bad_type"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(name, data, code):
    with pytest.raises(ValidationError) as info:
        documents.validate_upload(upload(name, data))
    assert info.value.code == code


def test_the_type_comes_from_the_content():
    assert documents.validate_upload(upload("a.pdf", PDF)).key == "pdf"
    assert documents.validate_upload(upload("b.PNG", PNG)).key == "png"
    assert documents.validate_upload(upload("c.xlsx", xlsx_bytes())).key == "xlsx"


def test_size_limit_message_is_chinese(settings):
    settings.DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as info:
        documents.validate_upload(upload("a.pdf", PDF))
    assert "文件过大" in info.value.messages[0]


def store(world, data=PDF, name="evidence.pdf", **kwargs):
    defaults = {"title": "场地证明", "kind": "evidence", "owner_agency": world.gd_agency}
    defaults.update(kwargs)
    return documents.store_document(world.members["admin"], upload(name, data), **defaults)


def test_storing_keeps_hash_and_original_name_and_audits(world):
    doc = store(world)
    assert doc.content_type == "application/pdf" and doc.size == len(PDF)
    assert doc.original_name == "evidence.pdf" and "evidence" not in doc.file.name
    assert default_storage.open(doc.file.name).read() == PDF
    entry = AuditEntry.objects.get(action="portal.document.store")
    assert entry.agency == world.gd_agency and entry.audience == "agency"


def test_a_private_document_is_served_only_to_who_may_see_it(client, world):
    doc = store(world)
    url = reverse("portal:document_download", args=[doc.pk])
    expectations = [
        (None, 404),
        (world.members["examiner"], 200),
        (world.hlj_admin, 404),
        (world.gd_official, 200),
        (world.hlj_official, 404),
        (world.ministry, 200),
        (world.expert, 404),
    ]
    for user, status in expectations:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, (user, response.status_code)
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response.headers["Cache-Control"] == "private, no-store"


def test_a_public_reference_document_is_served_to_everyone(client, world):
    doc = documents.store_document(
        world.osta_national,
        upload("standard.pdf", PDF),
        title="国家职业技能标准",
        kind="standard",
        owner_jurisdiction="000000",
        retention_class=RetentionClass.REFERENCE,
        is_public=True,
    )
    assert client.get(reverse("portal:document_download", args=[doc.pk])).status_code == 200


def test_sharing_with_one_expert_grants_exactly_that_expert(client, world):
    doc = store(world)
    url = reverse("portal:document_download", args=[doc.pk])
    documents.share_with(world.gd_official, doc, world.expert)
    client.force_login(world.expert)
    assert client.get(url).status_code == 200
    client.force_login(world.expert2)
    assert client.get(url).status_code == 404
    documents.unshare(world.gd_official, doc, world.expert)
    client.force_login(world.expert)
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="portal.document.share").get().audience == "authority"


def test_only_officials_of_the_jurisdiction_share(world):
    doc = store(world)
    with pytest.raises(PermissionDenied):
        documents.share_with(world.hlj_official, doc, world.expert)
    with pytest.raises(PermissionDenied):
        documents.share_with(world.members["admin"], doc, world.expert)


def test_retention_starts_when_the_matter_closes_and_blocks_deletion(world):
    subject = "agencies.agencyapplication:42"
    electronic = store(world, subject=subject)
    paper = documents.register_paper_record(
        world.members["admin"],
        title="纸质考场记录",
        kind="record",
        owner_agency=world.gd_agency,
        location="档案室3号柜",
        subject=subject,
    )
    with pytest.raises(ValidationError, match="尚未办结"):
        documents.delete_document(world.members["admin"], electronic)
    with clock.frozen(dt.date(2026, 3, 1)):
        assert documents.start_retention(subject) == 2
    electronic.refresh_from_db()
    paper.refresh_from_db()
    assert electronic.retain_until == dt.date(2031, 3, 1)
    assert paper.retain_until == dt.date(2029, 3, 1)
    # Closing again does not move the dates.
    with clock.frozen(dt.date(2027, 1, 1)):
        assert documents.start_retention(subject) == 0
    with clock.frozen(dt.date(2031, 3, 1)), pytest.raises(ValidationError, match="2031-03-01"):
        documents.delete_document(world.members["admin"], electronic)
    name = electronic.file.name
    with clock.frozen(dt.date(2031, 3, 2)), pytest.raises(PermissionDenied):
        documents.delete_document(world.members["staff"], electronic)
    with clock.frozen(dt.date(2031, 3, 2)), django_capture_commit():
        deleted = documents.delete_document(world.members["admin"], electronic)
    assert deleted.is_deleted and not default_storage.exists(name)
    assert AuditEntry.objects.filter(action="portal.document.delete").count() == 1
    assert Document.objects.filter(pk=electronic.pk).exists()  # a tombstone remains


def test_reference_documents_are_never_deleted(world):
    doc = store(world, retention_class=RetentionClass.REFERENCE, subject="x:1")
    documents.start_retention("x:1")
    doc.refresh_from_db()
    assert doc.retain_until is None
    with pytest.raises(ValidationError, match="永久保存"):
        documents.delete_document(world.gd_official, doc)


def test_the_sweep_removes_only_unreferenced_old_files(world):
    kept = store(world)
    orphan = default_storage.save("documents/agency-1/2026/01/orphan", ContentFile(b"x"))
    assert documents.sweep_orphan_files(older_than=dt.timedelta(days=1)) == 0
    assert documents.sweep_orphan_files(older_than=dt.timedelta(seconds=-1)) == 1
    assert not default_storage.exists(orphan) and default_storage.exists(kept.file.name)


def django_capture_commit():
    """Run on_commit callbacks at the end of the block (tests run inside one transaction)."""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def runner():
        start = len(connection.run_on_commit)
        yield
        for _sids, func, _robust in connection.run_on_commit[start:]:
            func()

    return runner()


def test_audit_labels_exist_for_document_actions():
    for action in ("portal.document.store", "portal.document.delete", "portal.document.share"):
        assert audit.describe(action) != action
