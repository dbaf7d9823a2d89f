"""Documents: upload checks, storage, access-checked download, retention (Art 21).

Every uploaded or generated file of the portal is a ``Document``. Its type is
decided from its content, not its name; private files are served only through
``portal:document_download`` after ``can(user, "portal.document.download", doc)``.
A generated file may be created pending (``create_pending``) and rendered by a task
after the commit (``register_renderer``, ``render_pending``, ``requeue_pending``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal import access, audit, clock
from portal.models import Audience, Document, DocumentStatus, RetentionClass

logger = logging.getLogger(__name__)

RETENTION_YEARS = {RetentionClass.ELECTRONIC: 5, RetentionClass.PAPER: 3}


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]
    label: str


FILE_TYPES = {
    "pdf": FileType("pdf", "application/pdf", (".pdf",), "PDF"),
    "png": FileType("png", "image/png", (".png",), "PNG"),
    "jpeg": FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"), "JPEG"),
    "xlsx": FileType(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
        "Excel (XLSX)",
    ),
    "docx": FileType(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        "Word (DOCX)",
    ),
    "xls": FileType("xls", "application/vnd.ms-excel", (".xls",), "Excel 97–2003 (XLS)"),
    "ods": FileType(
        "ods", "application/vnd.oasis.opendocument.spreadsheet", (".ods",), "OpenDocument (ODS)"
    ),
    "csv": FileType("csv", "text/csv", (".csv",), "CSV"),
    "zip": FileType("zip", "application/zip", (".zip",), "ZIP"),
}
DEFAULT_ALLOWED = ("pdf", "png", "jpeg", "xlsx", "docx")
SPREADSHEETS = ("xlsx", "xls", "ods", "csv")
IMAGES = ("png", "jpeg")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _directory_entry(name: str) -> bytes:
    """The start of an OLE2 directory entry: the name in UTF-16 padded to 64 bytes, then its
    length in bytes with the terminating zero."""
    raw = name.encode("utf-16-le") + b"\x00\x00"
    return raw.ljust(64, b"\x00") + len(raw).to_bytes(2, "little")


_XLS_DIRECTORY_ENTRIES = (_directory_entry("Workbook"), _directory_entry("Book"))
# Members a ZIP made on a Mac or by Windows Explorer carries besides the files themselves.
_ZIP_CLUTTER = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


def _looks_like_text(data: bytes) -> bool:
    """Text in UTF-8 (with or without a BOM) or GB 18030, without control characters: what a
    CSV saved by Excel, WPS or a script looks like."""
    if not data or b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text)
    return False


def sniff(head: bytes, data_for_zip: bytes | None = None) -> str | None:
    """The file type read from the content's magic bytes (OOXML and ODF by their zip members,
    XLS by its workbook stream, CSV as plain text)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(_OLE2) and data_for_zip is not None:
        # An OLE2 compound file: a spreadsheet when its directory has the workbook stream.
        if any(entry in data_for_zip for entry in _XLS_DIRECTORY_ENTRIES):
            return "xls"
        return None
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data_for_zip))
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                return "ods"
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError):
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                return "docx"
            return None
        return "zip"
    if data_for_zip is not None and _looks_like_text(data_for_zip[:65536]):
        return "csv"
    return None


def _is_clutter(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith(_ZIP_CLUTTER[0]) or base in _ZIP_CLUTTER or base.startswith("._")


def _unsafe_name(name: str) -> bool:
    """An absolute name, a drive letter or a ``..`` step: extracting it would write outside."""
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or (len(name) > 1 and name[1] == ":")
        or any(part == ".." for part in parts)
    )


def check_archive(data: bytes, *, members: tuple[str, ...] | None = None) -> None:
    """Refuse a ZIP (or an OOXML/ODF file, a ZIP too) that is too big once unpacked, has too
    many members, names a path outside itself, is encrypted or holds another ZIP; with
    ``members``, every file in it must be of those types, decided from its content."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError):
        raise ValidationError(_("The ZIP file is damaged."), code="bad_zip") from None
    if len(infos) > settings.ZIP_MAX_MEMBERS:
        raise ValidationError(
            _("The ZIP file holds %(count)d files; at most %(limit)d are accepted.")
            % {"count": len(infos), "limit": settings.ZIP_MAX_MEMBERS},
            code="zip_members",
        )
    total = sum(i.file_size for i in infos)
    if total > settings.ZIP_MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            _("Unpacked, the ZIP file would take %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(total),
                "limit": filesizeformat(settings.ZIP_MAX_UNCOMPRESSED_BYTES),
            },
            code="zip_too_large",
        )
    for info in infos:
        if _unsafe_name(info.filename):
            raise ValidationError(
                _("The ZIP file names a file outside itself (%(name)s).") % {"name": info.filename},
                code="zip_path",
            )
        if info.flag_bits & 0x1:
            raise ValidationError(
                _("The ZIP file is protected by a password; send it without one."),
                code="zip_encrypted",
            )
        if members is None or _is_clutter(info.filename):
            continue
        try:
            with archive.open(info) as member:
                head = member.read(16)
        except (zipfile.BadZipFile, NotImplementedError, OSError, RuntimeError):
            raise ValidationError(_("The ZIP file is damaged."), code="bad_zip") from None
        if head.startswith(b"PK\x03\x04") or info.filename.lower().endswith(".zip"):
            raise ValidationError(
                _("The ZIP file holds another ZIP file (%(name)s); put the files in directly.")
                % {"name": info.filename},
                code="zip_nested",
            )
        key = sniff(head)
        if key not in members or not info.filename.lower().endswith(FILE_TYPES[key].extensions):
            raise ValidationError(
                _("%(name)s in the ZIP file is not accepted; it may hold only %(types)s.")
                % {
                    "name": info.filename,
                    "types": "、".join(FILE_TYPES[k].label for k in members),
                },
                code="zip_member_type",
            )


def archive_files(upload, *, members: tuple[str, ...] = IMAGES):
    """The files of a checked ZIP as (name without folders, bytes), clutter skipped; each read
    at most to its declared size, so a member lying about its size cannot blow up."""
    upload.seek(0)
    data = upload.read()
    check_archive(data, members=members)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for info in archive.infolist():
        if info.is_dir() or _is_clutter(info.filename):
            continue
        with archive.open(info) as member:
            content = member.read(info.file_size + 1)
        if len(content) > info.file_size:
            raise ValidationError(_("The ZIP file is damaged."), code="bad_zip")
        yield info.filename.replace("\\", "/").rsplit("/", 1)[-1], content


def validate_upload(
    upload,
    *,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    max_bytes: int | None = None,
    zip_members: tuple[str, ...] = IMAGES,
) -> FileType:
    """Check an uploaded file's size and real type; raise ValidationError in Chinese.

    A ZIP (and the ZIP inside an XLSX, DOCX or ODS) is checked by ``check_archive``; the
    files of a plain ZIP must be of the ``zip_members`` types (images unless told)."""
    max_bytes = max_bytes or settings.DOCUMENT_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    key = sniff(data[:16], data)
    labels = "、".join(FILE_TYPES[k].label for k in allowed)
    if key is None or key not in allowed:
        raise ValidationError(
            _("This kind of file is not accepted here. Accepted: %(types)s.") % {"types": labels},
            code="bad_type",
        )
    name = (getattr(upload, "name", "") or "").lower()
    if name and not name.endswith(FILE_TYPES[key].extensions):
        raise ValidationError(
            _("The file's name does not match its content (the content is %(type)s).")
            % {"type": FILE_TYPES[key].label},
            code="name_mismatch",
        )
    if key in ("zip", "xlsx", "docx", "ods"):
        check_archive(data, members=zip_members if key == "zip" else None)
    return FILE_TYPES[key]


def subject_key(subject: models.Model | str) -> str:
    if isinstance(subject, str):
        return subject
    return f"{subject._meta.label_lower}:{subject.pk}"


@transaction.atomic
def store_document(
    actor,
    upload,
    *,
    title: str,
    kind: str,
    owner_agency=None,
    owner_jurisdiction: str = "",
    subject: models.Model | str = "",
    retention_class: str = RetentionClass.ELECTRONIC,
    is_public: bool = False,
    allowed: tuple[str, ...] = DEFAULT_ALLOWED,
    audience: str = Audience.AGENCY,
) -> Document:
    """Store an uploaded (or generated) file after checking its size and real type."""
    file_type = validate_upload(upload, allowed=allowed)
    upload.seek(0)
    data = upload.read()
    doc = Document(
        title=title[:200],
        kind=kind,
        owner_agency=owner_agency,
        owner_jurisdiction=owner_jurisdiction,
        original_name=(getattr(upload, "name", "") or f"{kind}.{file_type.key}")[-200:],
        content_type=file_type.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        retention_class=retention_class,
        subject=subject_key(subject) if subject else "",
        is_public=is_public,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=clock.now(),
    )
    # The file is written before the row; if the transaction rolls back, the orphaned
    # file is removed by the periodic sweep (sweep_orphan_files), never served.
    doc.file.save(doc.original_name, ContentFile(data), save=False)
    doc.save()
    audit.record(
        actor,
        "portal.document.store",
        doc,
        {"title": [None, doc.title], "kind": [None, kind], "sha256": [None, doc.sha256]},
        agency=owner_agency,
        province=owner_jurisdiction or None,
        audience=audience,
    )
    return doc


def store_generated(actor, data: bytes, filename: str, **kwargs) -> Document:
    """Store a PDF or other file the portal generated itself."""
    upload = ContentFile(data, name=filename)
    return store_document(actor, upload, **kwargs)


@transaction.atomic
def register_paper_record(
    actor, *, title: str, kind: str, owner_agency, location: str, subject: models.Model | str = ""
) -> Document:
    """Register a paper record an agency keeps (Art 21: at least 3 years), with its location."""
    if not location.strip():
        raise ValidationError({"paper_location": _("Say where the paper record is kept.")})
    doc = Document.objects.create(
        title=title,
        kind=kind,
        owner_agency=owner_agency,
        paper_location=location.strip(),
        retention_class=RetentionClass.PAPER,
        subject=subject_key(subject) if subject else "",
        uploaded_by=actor,
        created_at=clock.now(),
    )
    audit.record(
        actor,
        "portal.document.register_paper",
        doc,
        {"paper_location": [None, location]},
        agency=owner_agency,
        audience=Audience.AGENCY,
    )
    return doc


def retention_end(start: dt.date, retention_class: str) -> dt.date | None:
    years = RETENTION_YEARS.get(retention_class)
    if years is None:
        return None
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


@transaction.atomic
def start_retention(subject: models.Model | str, *, closed_on: dt.date | None = None) -> int:
    """The matter closed: its documents are kept from today for their class's period (Art 21).

    Reference documents stay permanent. Returns how many documents got a date.
    Calling it again does not shorten or move a date already set.
    """
    closed_on = closed_on or clock.today()
    count = 0
    docs = Document.objects.select_for_update().filter(
        subject=subject_key(subject), retain_until__isnull=True, deleted_at__isnull=True
    )
    for doc in docs:
        end = retention_end(closed_on, doc.retention_class)
        if end is None:
            continue
        Document.objects.filter(pk=doc.pk).update(retain_until=end)
        count += 1
    return count


class RetentionNotOver(ValidationError):
    pass


@transaction.atomic
def delete_document(actor, doc: Document) -> Document:
    """Delete a document whose retention has ended; the row stays as an audited tombstone."""
    access.require(actor, "portal.document.delete", doc)
    doc = Document.objects.select_for_update().get(pk=doc.pk)
    if doc.deleted_at is not None:
        raise ValidationError(_("This document has already been deleted."))
    if doc.retention_class == RetentionClass.REFERENCE:
        raise RetentionNotOver(_("Reference documents are kept permanently."))
    if doc.retain_until is None:
        raise RetentionNotOver(
            _("This document belongs to a matter that is still open; it cannot be deleted.")
        )
    if clock.today() <= doc.retain_until:
        raise RetentionNotOver(
            _("This document must be kept until %(date)s (Art 21).")
            % {"date": doc.retain_until.isoformat()}
        )
    name = doc.file.name
    Document.objects.filter(pk=doc.pk).update(deleted_at=clock.now(), file="")
    audit.record(
        actor,
        "portal.document.delete",
        doc,
        {"file": [name, ""], "retain_until": [doc.retain_until, doc.retain_until]},
        agency=doc.owner_agency,
        province=doc.owner_jurisdiction or None,
        audience=Audience.AGENCY,
    )
    if name:
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: default_storage.delete(name))
    doc.refresh_from_db()
    return doc


def sweep_orphan_files(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Periodic job: delete stored files that no Document row refers to (failed uploads)."""
    from django.core.files.storage import default_storage

    referenced = set(Document.objects.exclude(file="").values_list("file", flat=True))
    cutoff = clock.now() - older_than
    removed = 0

    def walk(path: str) -> None:
        nonlocal removed
        try:
            dirs, files = default_storage.listdir(path)
        except FileNotFoundError:
            return
        for name in files:
            full = f"{path}/{name}"
            if full not in referenced and default_storage.get_modified_time(full) < cutoff:
                default_storage.delete(full)
                removed += 1
        for name in dirs:
            walk(f"{path}/{name}")

    walk("documents")
    return removed


def share_with(actor, doc: Document, user) -> None:
    """Assignment grant: let one user (an expert, an inspector) read this document."""
    access.require(actor, "portal.document.share", doc)
    with transaction.atomic():
        access.grant(user, "view_document", doc)
        audit.record(
            actor,
            "portal.document.share",
            doc,
            {"shared_with": [None, user.username]},
            agency=doc.owner_agency,
            province=doc.owner_jurisdiction or None,
        )


def unshare(actor, doc: Document, user) -> None:
    access.require(actor, "portal.document.share", doc)
    with transaction.atomic():
        access.revoke(user, "view_document", doc)
        audit.record(
            actor,
            "portal.document.unshare",
            doc,
            {"shared_with": [user.username, None]},
            agency=doc.owner_agency,
            province=doc.owner_jurisdiction or None,
        )


# --- Documents generated after the commit ---------------------------------------------------
#
# A service that must point a row at a generated PDF (a decision letter, a commitment
# letter) creates the Document as pending inside its transaction; after the commit a task
# renders it and fills the file (decision 0017: no PDF is rendered while a lock is held).

Renderer = Callable[[Document], bytes]
_RENDERERS: dict[str, Renderer] = {}
MAX_RENDER_ATTEMPTS = 5
PENDING_GRACE = dt.timedelta(minutes=5)


def register_renderer(name: str, fn: Renderer) -> None:
    """Register (or replace, on reload) how pending documents named ``name`` are rendered.

    ``fn(document)`` returns the file's bytes (usually ``portal.pdf.render_pdf(...)``),
    reading what it needs from ``document.render_params`` and ``document.subject``;
    it must not change rows: the portal stores the bytes and marks the document ready.
    """
    if not name or len(name) > 80:
        raise ValueError(f"a renderer is a short dotted name, got {name!r}")
    _RENDERERS[name] = fn


def renderer_of(name: str) -> Renderer:
    """The registered renderer; unknown names are refused loudly (LookupError)."""
    try:
        return _RENDERERS[name]
    except KeyError as exc:
        raise LookupError(f"unregistered document renderer {name!r}") from exc


@transaction.atomic
def create_pending(
    actor,
    *,
    renderer: str,
    params: dict[str, Any] | None = None,
    title: str,
    kind: str,
    filename: str,
    owner_agency=None,
    owner_jurisdiction: str = "",
    subject: models.Model | str = "",
    retention_class: str = RetentionClass.ELECTRONIC,
    is_public: bool = False,
    audience: str = Audience.AGENCY,
) -> Document:
    """A Document row whose file ``renderer`` produces after the caller's commit (Art 21:
    generated material is kept like uploaded material).

    ``params`` (JSON: ids and plain values, no personal data) tell the renderer what to
    render; ``filename`` (``决定书.pdf``) names the file and must match its type. The
    render task is scheduled with ``transaction.on_commit``, so a rollback schedules
    nothing; a periodic sweep re-queues what a dead worker missed.
    """
    from portal.jobs.background import enqueue
    from portal.jobs.tasks import render_document

    renderer_of(renderer)
    params = params or {}
    json.dumps(params)  # refuse what the JSON field could not store, here and not later
    doc = Document.objects.create(
        title=title[:200],
        kind=kind,
        owner_agency=owner_agency,
        owner_jurisdiction=owner_jurisdiction,
        original_name=filename[-200:],
        retention_class=retention_class,
        subject=subject_key(subject) if subject else "",
        is_public=is_public,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=clock.now(),
        status=DocumentStatus.PENDING,
        renderer=renderer,
        render_params=params,
    )
    audit.record(
        actor,
        "portal.document.prepare",
        doc,
        {"title": [None, doc.title], "kind": [None, kind], "status": [None, doc.status]},
        agency=owner_agency,
        province=owner_jurisdiction or None,
        audience=audience,
    )
    enqueue(render_document, doc.pk)
    return doc


def render_pending(pk: int) -> bool:
    """Render a pending document and fill its file; False if there is nothing to do.

    Safe to run twice or concurrently: the renderer runs outside any transaction (no lock
    is held while WeasyPrint works), then the row is locked and filled only if it is
    still pending. A failing renderer is counted on the row and re-raised; after
    ``MAX_RENDER_ATTEMPTS`` failures the document is marked failed.
    """
    doc = Document.objects.select_related("owner_agency").filter(pk=pk).first()
    if doc is None or doc.status != DocumentStatus.PENDING:
        return False
    try:
        data = renderer_of(doc.renderer)(doc)
        file_type = validate_upload(ContentFile(data, name=doc.original_name))
    except Exception as exc:
        _record_render_failure(pk, exc)
        raise
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=pk)
        if doc.status != DocumentStatus.PENDING:
            return False  # another run filled it meanwhile
        doc.file.save(doc.original_name, ContentFile(data), save=False)
        doc.content_type = file_type.content_type
        doc.size = len(data)
        doc.sha256 = hashlib.sha256(data).hexdigest()
        doc.status = DocumentStatus.READY
        doc.render_error = ""
        doc.save(update_fields=["file", "content_type", "size", "sha256", "status", "render_error"])
        audit.record(
            access.SYSTEM,
            "portal.document.render",
            doc,
            {"status": [DocumentStatus.PENDING, doc.status], "sha256": [None, doc.sha256]},
            agency=doc.owner_agency,
            province=doc.owner_jurisdiction or None,
            audience=Audience.AGENCY,
        )
    return True


def _record_render_failure(pk: int, exc: Exception) -> None:
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=pk)
        if doc.status != DocumentStatus.PENDING:
            return
        doc.render_attempts += 1
        doc.render_error = f"{type(exc).__name__}: {exc}"[:2000]
        fields = ["render_attempts", "render_error"]
        if doc.render_attempts >= MAX_RENDER_ATTEMPTS:
            doc.status = DocumentStatus.FAILED
            fields.append("status")
            audit.record(
                access.SYSTEM,
                "portal.document.render_failed",
                doc,
                {"status": [DocumentStatus.PENDING, doc.status]},
                agency=doc.owner_agency,
                province=doc.owner_jurisdiction or None,
                audience=Audience.AGENCY,
            )
        doc.save(update_fields=fields)
    logger.warning("rendering document %s failed (attempt %s): %s", pk, doc.render_attempts, exc)


def is_pending(pk: int) -> bool:
    return Document.objects.filter(pk=pk, status=DocumentStatus.PENDING).exists()


def requeue_pending(*, older_than: dt.timedelta = PENDING_GRACE) -> int:
    """Periodic job: queue again the pending documents a dead worker left behind."""
    from portal.jobs.background import enqueue
    from portal.jobs.tasks import render_document

    cutoff = clock.now() - older_than
    pks = list(
        Document.objects.filter(status=DocumentStatus.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    for pk in pks:
        enqueue(render_document, pk)
    return len(pks)
