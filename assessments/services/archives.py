"""Archiving a session (Art 18, 21): once its certificates are recorded (or its results are final
with nobody passing), the agency gathers the whole record of the session as ``portal.documents``
Documents whose subject is the session: the generated records (plan, roll, check-in, incidents,
the supervisor's report, score sheets, results, the notice and its objections, the
certificates issued), the files already kept (the tickets' batch PDF, the imported theory
spreadsheets, incident evidence), the question papers and answer sheets uploaded before
archiving, where the video recordings are kept, and the paper records the agency keeps with
their location. ``start_retention`` then dates them: electronic 5 years, paper 3 years;
nothing is deletable before its date.

The archive export is one ZIP of those files with an index (HTML and CSV) and the SHA-256 of
every file, rebuilt byte for byte from the stored documents (fixed entry times and modes,
sorted order); its digest is recorded in ``ArchiveExport`` when the session is archived
(decision 0040)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    ArchiveExport,
    AssessmentSession,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Incident,
    MethodScore,
    Result,
    ResultOutcome,
    ResultPublication,
    ResultStatus,
    SessionStatus,
    SupervisorReport,
    TheorySheet,
    TicketBatch,
)
from portal import access, audit, clock, documents, pdf
from portal.models import Audience, Document, RetentionClass
from portal.refusals import Refusal, refuse

# The kinds of the session's archived documents, in the order of the index.
GENERATED = (
    ("archive_plan", gettext_lazy("Assessment plan")),
    ("archive_roll", gettext_lazy("Roll of candidates")),
    ("archive_checkin", gettext_lazy("Check-in record")),
    ("archive_incidents", gettext_lazy("Incident record")),
    ("archive_supervisor", gettext_lazy("Quality supervisor's report")),
    ("archive_scores", gettext_lazy("Score sheets")),
    ("archive_results", gettext_lazy("Results")),
    ("archive_notice", gettext_lazy("Public notice and objections")),
    ("archive_certificates", gettext_lazy("Certificates issued")),
)
UPLOAD_KINDS = {
    "question_paper": gettext_lazy("Question paper"),
    "answer_sheets": gettext_lazy("Answer sheets"),
    "other_record": gettext_lazy("Other record of the session"),
}
KEPT_KINDS = {
    "ticket_batch": gettext_lazy("Admission tickets (batch PDF)"),
    "theory_sheet": gettext_lazy("Imported theory score spreadsheet"),
    "incident_evidence": gettext_lazy("Incident evidence"),
}
PAPER_KIND = "paper_record"
KIND_ORDER = [k for k, _l in GENERATED] + list(KEPT_KINDS) + list(UPLOAD_KINDS) + [PAPER_KIND]
UPLOAD_TYPES = ("pdf", "png", "jpeg", "docx", "xlsx", "zip")
# The fixed time and mode of every ZIP entry: the export is the same bytes every time.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
ZIP_MODE = 0o100644 << 16


def kind_label(kind: str) -> str:
    labels = (
        dict(GENERATED) | KEPT_KINDS | UPLOAD_KINDS | {PAPER_KIND: gettext_lazy("Paper record")}
    )
    return str(labels.get(kind, kind))


# --- Refusals -----------------------------------------------------------------------------------


def _unchanging_refusal(session: AssessmentSession) -> Refusal | None:
    if session.status == SessionStatus.ARCHIVED:
        return Refusal(_("The session is archived: its record no longer changes."), "archived")
    return None


def record_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    """Question papers, answer sheets, paper records and where the recordings are kept are
    added to the record until the session is archived."""
    if actor is not None and not access.can(actor, "assessments.session.manage", session):
        return Refusal(_("Only the agency's admin and staff add to the record."), "forbidden")
    return _unchanging_refusal(session)


def archive_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    """Art 21: a session is archived once its certificates are recorded, or when its results
    are final and nobody passed; the place of the video recordings is stated first."""
    if refusal := record_refusal(session, actor):
        return refusal
    if session.results_final_at is None:
        return Refusal(
            _("The results are not final yet: archive the session after the notice closes."),
            "not_final",
        )
    missing = Result.objects.filter(
        session=session,
        status=ResultStatus.FINAL,
        outcome=ResultOutcome.PASSED,
        certificate_number="",
    ).count()
    if missing and session.certificates_recorded_at is None:
        return Refusal(
            _("The certificates of the passed candidates are not recorded yet."),
            "not_certified",
        )
    if missing:
        return Refusal(
            _("%(count)s passed candidates have no certificate recorded yet.") % {"count": missing},
            "not_certified",
        )
    if not session.recordings_kept_at.strip():
        return Refusal(
            _("Say where the video recordings of the sittings are kept before archiving."),
            "no_recordings",
        )
    return None


# --- Adding to the record before archiving ------------------------------------------------------


def _locked(actor, session: AssessmentSession) -> AssessmentSession:
    session = (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("agency", "site", "occupation", "level", "work_type")
        .get(pk=session.pk)
    )
    access.require(actor, "assessments.session.manage", session)
    return session


def _owner(session: AssessmentSession) -> dict:
    """Archived documents belong to the agency and are located in the site's province, so the
    officials reading the session read them too."""
    return {"owner_agency": session.agency, "owner_jurisdiction": session.site.province_id}


@transaction.atomic
def add_record_file(
    actor, session: AssessmentSession, *, upload, kind: str, title: str = ""
) -> Document:
    """Art 18, 21: a question paper, the answer sheets or another record of the session, as
    uploaded, kept with the session until archiving dates it."""
    session = _locked(actor, session)
    refuse(record_refusal(session, actor))
    if kind not in UPLOAD_KINDS:
        raise ValidationError({"kind": _("Choose what the file is.")})
    try:
        return documents.store_document(
            actor,
            upload,
            title=(title.strip() or kind_label(kind))[:200],
            kind=kind,
            subject=session,
            allowed=UPLOAD_TYPES,
            **_owner(session),
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


@transaction.atomic
def add_paper_record(actor, session: AssessmentSession, *, title: str, location: str) -> Document:
    """Art 21: a paper record the agency keeps (sign-in sheets, answer sheets on paper),
    registered with where it is kept; kept 3 years from archiving."""
    session = _locked(actor, session)
    refuse(record_refusal(session, actor))
    if not title.strip():
        raise ValidationError({"title": _("Say what the paper record is.")})
    try:
        return documents.register_paper_record(
            actor,
            title=title.strip()[:200],
            kind=PAPER_KIND,
            owner_agency=session.agency,
            location=location,
            subject=session,
        )
    except ValidationError as exc:
        raise ValidationError({"location": exc.messages}) from None


@transaction.atomic
def set_recordings_location(
    actor, session: AssessmentSession, *, location: str
) -> AssessmentSession:
    """Art 18, 21: where the video recordings of the sittings are kept (a server, a disc in a
    cabinet), stated before archiving."""
    session = _locked(actor, session)
    refuse(record_refusal(session, actor))
    location = location.strip()
    if not location:
        raise ValidationError({"location": _("Say where the video recordings are kept.")})
    before = session.recordings_kept_at
    if before == location:
        return session
    session.recordings_kept_at = location[:200]
    session.save(update_fields=["recordings_kept_at"])
    audit.record(
        actor,
        "assessments.session.recordings",
        session,
        {"recordings_kept_at": [before or None, session.recordings_kept_at]},
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
    )
    return session


# --- The generated records ----------------------------------------------------------------------


@dataclass
class Section:
    heading: str = ""
    lines: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()


def _line(label: str, value) -> str:
    return f"{label}：{value}"


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _session_label(session: AssessmentSession) -> str:
    work = f"（{session.work_type.name}）" if session.work_type_id else ""
    return f"{session.occupation.name}{work} {session.level.display}"


def _enrolments(session: AssessmentSession):
    return (
        Enrolment.objects.filter(session=session)
        .select_related("candidate")
        .order_by("candidate__id_index", "pk")
    )


def _plan(session: AssessmentSession) -> list[Section]:
    basis = session.basis or {}
    lines = (
        _line(_("Agency"), f"{session.agency.name}"),
        _line(_("Venue"), f"{session.venue.name}, {session.city}"),
        _line(_("Basis"), f"{basis.get('title', '')} {basis.get('reference', '')}".strip()),
        _line(_("Capacity"), f"{session.capacity}"),
        _line(_("Registration"), f"{session.registration_opens} – {session.registration_closes}"),
        _line(_("Filed at"), f"{_when(session.filed_at)}"),
    )
    rows = tuple(
        (s.method_label, s.date.isoformat(), f"{s.starts_at:%H:%M}–{s.ends_at:%H:%M}", s.room.name)
        for s in session.sittings.select_related("room", "session")
    )
    methods = tuple(
        (m.get("label", m["method"]), m.get("full_marks", ""), m.get("pass_mark", ""))
        for m in session.methods
    )
    return [
        Section(lines=lines),
        Section(_("Sittings"), columns=(_("Method"), _("Date"), _("Time"), _("Room")), rows=rows),
        Section(_("Methods"), columns=(_("Method"), _("Full marks"), _("Pass mark")), rows=methods),
    ]


def _roll(session: AssessmentSession) -> list[Section]:
    rows = tuple(
        (
            n,
            e.real_name,
            e.candidate.masked_id,
            e.employer_name,
            e.eligible_by,
            e.get_status_display(),
            e.withdrawal_reason,
        )
        for n, e in enumerate(_enrolments(session), start=1)
    )
    columns = (
        "#",
        _("Name"),
        _("ID number"),
        _("Employer"),
        _("Eligible by"),
        _("Status"),
        _("Reason for the withdrawal"),
    )
    return [Section(columns=columns, rows=rows)]


def _checkin(session: AssessmentSession) -> list[Section]:
    sections = []
    for sitting in session.sittings.select_related("room", "session"):
        marks = (
            Attendance.objects.filter(sitting=sitting)
            .select_related("enrolment__candidate", "marked_by")
            .order_by("enrolment__candidate__id_index", "pk")
        )
        rows = tuple(
            (
                a.enrolment.real_name,
                a.enrolment.candidate.masked_id,
                a.get_status_display(),
                _when(a.marked_at),
                a.marked_by.get_full_name() or a.marked_by.username,
            )
            for a in marks
        )
        columns = (_("Name"), _("ID number"), _("Attendance"), _("Marked at"), _("Marked by"))
        heading = f"{sitting.method_label} {sitting.date} {sitting.room.name}"
        sections.append(Section(heading, columns=columns, rows=rows))
    return sections


def _incidents(session: AssessmentSession) -> list[Section]:
    found = (
        Incident.objects.filter(sitting__session=session)
        .select_related("sitting", "sitting__session", "enrolment")
        .order_by("reported_at", "pk")
    )
    rows = tuple(
        (
            i.sitting.method_label,
            i.enrolment.real_name if i.enrolment_id else "",
            i.get_kind_display(),
            i.description,
            _when(i.reported_at),
            i.get_decision_display() if i.decision else _("Not decided"),
            i.decision_reason,
        )
        for i in found
    )
    columns = (
        _("Sitting"),
        _("Candidate"),
        _("Kind"),
        _("What happened"),
        _("Reported at"),
        _("Decision"),
        _("Reason"),
    )
    return [Section(columns=columns, rows=rows)]


def _supervisor(session: AssessmentSession) -> list[Section]:
    report = SupervisorReport.objects.filter(session=session).select_related("supervisor").first()
    if report is None:
        return [Section(lines=(_("No report was submitted."),))]
    return [
        Section(
            lines=(
                _line(_("Supervisor"), f"{report.supervisor.real_name}"),
                _line(_("Rating"), f"{report.get_rating_display()}"),
                _line(_("Submitted at"), f"{_when(report.submitted_at)}"),
            )
        ),
        Section(_("How the sittings went"), lines=(report.process,)),
        Section(_("Incidents observed"), lines=(report.incidents or "—",)),
    ]


def _scores(session: AssessmentSession) -> list[Section]:
    methods = session.methods
    by_enrolment: dict[int, dict[str, MethodScore]] = {}
    for score in MethodScore.objects.filter(enrolment__session=session):
        by_enrolment.setdefault(score.enrolment_id, {})[score.method] = score
    rows = []
    for e in _enrolments(session).filter(status=EnrolmentStatus.ENROLLED):
        cells = [e.real_name, e.candidate.masked_id]
        for m in methods:
            score = by_enrolment.get(e.pk, {}).get(m["method"])
            if score is None:
                cells.append("")
            else:
                locked = "" if score.is_locked else _("(not locked)")
                cells.append(f"{score.value}{locked}")
        rows.append(tuple(cells))
    columns = (_("Name"), _("ID number"), *(m.get("label", m["method"]) for m in methods))
    return [Section(columns=columns, rows=tuple(rows))]


def _results(session: AssessmentSession) -> list[Section]:
    found = (
        Result.objects.filter(session=session)
        .select_related("enrolment__candidate")
        .order_by("enrolment__candidate__id_index", "pk")
    )
    rows = tuple(
        (
            r.enrolment.real_name,
            r.enrolment.candidate.masked_id,
            "、".join(f"{k} {v}" for k, v in sorted(r.scores.items())),
            r.get_outcome_display(),
            r.get_status_display(),
            _when(r.final_at),
        )
        for r in found
    )
    columns = (_("Name"), _("ID number"), _("Scores"), _("Outcome"), _("Status"), _("Final at"))
    return [Section(columns=columns, rows=rows)]


def _notice(session: AssessmentSession) -> list[Section]:
    sections = []
    publications = ResultPublication.objects.filter(session=session).select_related("notice")
    for publication in publications.order_by("round"):
        notice = publication.notice
        lines = (
            _line(_("Published on"), f"{notice.published_on}"),
            _line(_("Period ends on"), f"{notice.ends_on}"),
            _line(_("Status"), f"{notice.get_status_display()}"),
        )
        rows = tuple(
            (
                o.tracking_code,
                o.content,
                o.get_status_display(),
                o.decision_reason,
            )
            for o in notice.objections.order_by("pk")
        )
        sections.append(
            Section(
                f"{publication.round}. {notice.title}",
                lines=lines,
                columns=(_("Tracking code"), _("Objection"), _("Status"), _("Reason")),
                rows=rows,
            )
        )
    return sections or [Section(lines=(_("The results were not put on notice."),))]


def _certificates(session: AssessmentSession) -> list[Section]:
    found = (
        Result.objects.filter(session=session)
        .exclude(certificate_number="")
        .select_related("enrolment__candidate")
        .order_by("certificate_number")
    )
    rows = tuple(
        (r.certificate_number, r.enrolment.real_name, r.enrolment.candidate.masked_id)
        for r in found
    )
    lines = (_line(_("Certificates recorded"), f"{_when(session.certificates_recorded_at)}"),)
    columns = (_("Certificate number"), _("Name"), _("ID number"))
    return [Section(lines=lines, columns=columns, rows=rows)]


BUILDERS = {
    "archive_plan": _plan,
    "archive_roll": _roll,
    "archive_checkin": _checkin,
    "archive_incidents": _incidents,
    "archive_supervisor": _supervisor,
    "archive_scores": _scores,
    "archive_results": _results,
    "archive_notice": _notice,
    "archive_certificates": _certificates,
}


def render_records(session: AssessmentSession) -> list[tuple[str, str, bytes]]:
    """The generated PDFs of the record as (kind, title, bytes), rendered with no lock held
    (decision 0017)."""
    session = AssessmentSession.objects.select_related(
        "agency", "site", "venue", "occupation", "level", "work_type"
    ).get(pk=session.pk)
    out = []
    with translation.override("zh-hans"):
        for kind, label in GENERATED:
            title = f"{label} · {_session_label(session)}"
            context = {
                "title": str(label),
                "agency": session.agency.name,
                "session_label": _session_label(session),
                "session_id": session.pk,
                "sections": BUILDERS[kind](session),
                "is_demo": getattr(session.agency, "is_demo", False),
            }
            data = pdf.render_pdf("assessments/archives/pdf/record.html", context)
            out.append((kind, title, data))
    return out


# --- Archiving ----------------------------------------------------------------------------------


def _kept_documents(session: AssessmentSession) -> list[tuple[str, Document]]:
    """The files the earlier stages stored: the tickets' batch, the imported theory sheets,
    the incident evidence."""
    found: list[tuple[str, Document]] = []
    batch = TicketBatch.objects.filter(session=session).select_related("document").first()
    if batch is not None and batch.document is not None:
        found.append(("ticket_batch", batch.document))
    sheets = TheorySheet.objects.filter(sitting__session=session, document__isnull=False)
    for sheet in sheets.select_related("document").order_by("sitting_id", "entry"):
        found.append(("theory_sheet", sheet.document))
    evidence = Incident.objects.filter(sitting__session=session, evidence__isnull=False)
    for incident in evidence.select_related("evidence").order_by("pk"):
        found.append(("incident_evidence", incident.evidence))
    return found


def _keep(actor, session: AssessmentSession, kind: str, doc: Document) -> None:
    """A stored file becomes part of the session's record: already the session's, it stays as
    it is; a file of another matter (or none) is copied, so its own retention is untouched."""
    key = documents.subject_key(session)
    if doc.subject == key or doc.deleted_at is not None or not doc.file:
        return
    with doc.file.open("rb") as handle:
        data = handle.read()
    documents.store_generated(
        actor,
        data,
        doc.original_name or f"{kind}.bin",
        title=f"{kind_label(kind)} · {doc.title}"[:200],
        kind=kind,
        subject=session,
        allowed=documents.DEFAULT_ALLOWED + documents.SPREADSHEETS + ("zip",),
        **_owner(session),
    )


def _revoke_grants(session: AssessmentSession) -> int:
    """Assigned people lose the session at archiving (Art 19): the assignment stage takes
    away every grant on it but review grants still in force."""
    from assessments.services.assignments import revoke_session_access

    return revoke_session_access(session) or 0


def archive_session(actor, session: AssessmentSession) -> AssessmentSession:
    """Art 18, 21: archive a session whose certificates are recorded (or whose final results
    have no pass): its record is stored as Documents of the session, retention starts
    (electronic 5 years, paper 3 years), the export's digest is recorded, the assigned
    people's access ends and the session is archived."""
    access.require(actor, "assessments.session.manage", session)
    refuse(archive_refusal(session, actor))
    rendered = render_records(session)  # outside the transaction: no lock while rendering
    with transaction.atomic():
        session = _locked(actor, session)
        refuse(archive_refusal(session, actor))
        for kind, title, data in rendered:
            documents.store_generated(
                actor, data, f"{kind}.pdf", title=title, kind=kind, subject=session,
                allowed=("pdf",), **_owner(session),
            )  # fmt: skip
        for kind, doc in _kept_documents(session):
            _keep(actor, session, kind, doc)
        today = clock.today()
        dated = documents.start_retention(session, closed_on=today)
        before = session.status
        session.status = SessionStatus.ARCHIVED
        session.archived_at = clock.now()
        session.archived_by = actor
        session.save(update_fields=["status", "archived_at", "archived_by"])
        data, files = build_export(session)
        digest = hashlib.sha256(data).hexdigest()
        ArchiveExport.objects.create(
            session=session, sha256=digest, files=files, built_at=session.archived_at
        )
        revoked = _revoke_grants(session)
        audit.record(
            actor,
            "assessments.session.archive",
            session,
            {
                "status": [before, SessionStatus.ARCHIVED],
                "documents": [None, dated],
                "sha256": [None, digest],
                "grants_revoked": [None, revoked],
            },
            agency=session.agency,
            province=session.site.province_id,
            audience=Audience.AGENCY,
        )
    return session


# --- The export ---------------------------------------------------------------------------------


def archived_documents(session: AssessmentSession) -> list[Document]:
    """The session's record in the order of the index: by kind, then as stored."""
    order = {kind: n for n, kind in enumerate(KIND_ORDER)}
    found = Document.objects.filter(
        subject=documents.subject_key(session), deleted_at__isnull=True
    ).order_by("pk")
    return sorted(found, key=lambda d: (order.get(d.kind, len(order)), d.pk))


def _extension(doc: Document) -> str:
    name = (doc.original_name or "").rsplit(".", 1)
    return f".{name[1].lower()}" if len(name) == 2 and name[1].isalnum() else ".bin"


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.external_attr = ZIP_MODE
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    return info


def index_rows(session: AssessmentSession) -> list[dict]:
    """One row per document: the file name in the ZIP (none for a paper record), what it is,
    how long it is kept, its SHA-256 and size."""
    rows = []
    for n, doc in enumerate(archived_documents(session), start=1):
        has_file = bool(doc.file) and doc.retention_class != RetentionClass.PAPER
        rows.append(
            {
                "name": f"files/{n:03d}-{doc.kind}{_extension(doc)}" if has_file else "",
                "title": doc.title,
                "kind": kind_label(doc.kind),
                "retention": str(RetentionClass(doc.retention_class).label),
                "retain_until": doc.retain_until.isoformat() if doc.retain_until else "",
                "sha256": doc.sha256 if has_file else "",
                "size": doc.size if has_file else "",
                "kept_at": doc.paper_location,
                "doc": doc,
            }
        )
    return rows


INDEX_KEYS = ("name", "title", "kind", "retention", "retain_until", "sha256", "size", "kept_at")


def _index_columns() -> list[str]:
    return [
        _("File"),
        _("Title"),
        _("Kind"),
        _("Retention"),
        _("Keep until"),
        "SHA-256",
        _("Size (bytes)"),
        _("Kept at"),
    ]


def build_export(session: AssessmentSession) -> tuple[bytes, int]:
    """The archive ZIP and the number of files in it: the same bytes for the same session, every
    time (sorted entries, fixed times and modes, the index in Chinese whoever asks)."""
    session = AssessmentSession.objects.select_related(
        "agency", "occupation", "level", "work_type"
    ).get(pk=session.pk)
    with translation.override("zh-hans"):
        rows = index_rows(session)
        if session.recordings_kept_at:
            rows.append(
                dict.fromkeys(INDEX_KEYS, "")
                | {
                    "title": _("Video recordings of the sittings"),
                    "kind": _("Video recordings"),
                    "kept_at": session.recordings_kept_at,
                }
            )
        columns = _index_columns()
        table = [[row[key] for key in INDEX_KEYS] for row in rows]
        csv_out = io.StringIO()
        writer = csv.writer(csv_out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(table)
        html = render_to_string(
            "assessments/archives/pdf/index.html",
            {
                "title": _("Archive of the assessment session"),
                "agency": session.agency.name,
                "session_label": f"{_session_label(session)} ({session.pk})",
                "archived_on": (
                    timezone.localtime(session.archived_at).date().isoformat()
                    if session.archived_at
                    else ""
                ),
                "columns": columns,
                "rows": table,
            },
        )
    files: list[tuple[str, bytes]] = []
    for row in rows:
        if not row["name"]:
            continue
        with row["doc"].file.open("rb") as handle:
            files.append((row["name"], handle.read()))
    files.append(("index.csv", ("\ufeff" + csv_out.getvalue()).encode("utf-8")))
    files.append(("index.html", html.encode("utf-8")))
    files.sort()
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files)
    files.append(("SHA256SUMS", sums.encode("ascii")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files:
            archive.writestr(_entry(name), data, compresslevel=6)
    return out.getvalue(), len(files)


def export_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
