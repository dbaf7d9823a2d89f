"""The roster import (Art 18; decision 0035): an agency enrols many candidates from one
spreadsheet, the way agencies really work.

1. ``template()`` — an XLSX with Chinese headers, drop-down lists and the ID column as text;
2. ``stage(actor, session, upload, photos=None)`` — the file (XLSX, XLS, ODS or CSV, read with
   python-calamine through ``portal.spreadsheets``) is stored as a document of the session and
   staged as a ``RosterBatch`` with one ``RosterRow`` per row and its errors in Chinese, column
   by column; a large file is checked by a Celery task (``check_batch``) with a progress bar;
3. the preview lists every row as ready or with its errors;
4. ``apply(actor, batch)`` enrols every row in one transaction, or none when any row fails;
   applying an applied batch, or a new batch of a file already applied, adds nothing.

Photos come as a ZIP of images named by ID number (``110101199003070011.jpg``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import (
    AssessmentSession,
    BatchStatus,
    Candidate,
    Enrolment,
    EnrolmentSource,
    RosterBatch,
    RosterRow,
)
from assessments.services import candidates as cs
from assessments.services import eligibility
from catalog.models import EducationLevel
from portal import access, audit, clock, codes, documents, pii, spreadsheets
from portal.models import Audience, IdType
from portal.refusals import Refusal, refuse
from portal.validators import normalize_phone

log = logging.getLogger(__name__)

NUMERIC_ID = "请将证件号码列设为文本"
YES, NO = "是", "否"
LEVELS = {"五级": "5", "四级": "4", "三级": "3", "二级": "2", "一级": "1"}
MAX_ROWS = 20000
#: Above this many rows the check runs as a Celery task with a progress bar.
TASK_ROWS = getattr(settings, "ROSTER_TASK_ROWS", 500)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 16


COLUMNS = [
    Column("real_name", "姓名", True, 10),
    Column("id_type", "证件类型", True, 22),
    Column("id_number", "证件号码", True, 22),
    Column("phone", "手机号码", True, 14),
    Column("email", "电子邮箱", False, 22),
    Column("employer_name", "工作单位名称", False, 26),
    Column("employer_uscc", "工作单位统一社会信用代码", False, 22),
    Column("dispatched", "是否劳务派遣", False, 12),
    Column("work_unit_name", "实际用工单位名称", False, 26),
    Column("work_unit_uscc", "实际用工单位统一社会信用代码", False, 22),
    Column("education", "文化程度", False, 20),
    Column("started_on", "从事本职业工作起始日期", False, 16),
    Column("prior_number", "已有证书编号", False, 24),
    Column("prior_level", "已有证书等级", False, 12),
    Column("prior_date", "已有证书发证日期", False, 16),
]
KEYS = [c.key for c in COLUMNS]
HEADER_OF = {c.key: c.header for c in COLUMNS}
ID_COLUMN = KEYS.index("id_number")


def _names(choices) -> dict[str, str]:
    """The Chinese labels of a choice list (what the template's drop-down offers, whatever the
    language of the page that wrote it), then the stored values, to the values."""
    from django.utils import translation

    with translation.override("zh-hans"):
        names = {str(label): value for value, label in choices}
    return {**names, **{value: value for value, _label in choices}}


def id_type_names() -> dict[str, str]:
    return _names(IdType.choices)


def education_names() -> dict[str, str]:
    return _names(EducationLevel.choices)


def _drop_down(names: dict[str, str]) -> list[str]:
    seen = set(names.values())
    return [k for k in names if k not in seen]


# --- The template ---------------------------------------------------------------------------


def template(rows: list[list] | None = None) -> bytes:
    """The roster template: Chinese headers, drop-down lists for the ID type, 劳务派遣, the
    education and the level, the ID and certificate columns formatted as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "报名名单"
    lists = book.create_sheet("选项")
    options = {
        "id_type": _drop_down(id_type_names()),
        "dispatched": [YES, NO],
        "education": _drop_down(education_names()),
        "prior_level": list(LEVELS),
    }
    for col, (key, values) in enumerate(options.items(), start=1):
        letter = get_column_letter(col)
        for r, value in enumerate(values, start=1):
            lists.cell(row=r, column=col, value=value)
        rule = DataValidation(
            type="list",
            formula1=f"=选项!${letter}$1:${letter}${len(values)}",
            allow_blank=True,
            showErrorMessage=True,
            error="请从下拉列表中选择",
        )
        sheet.add_data_validation(rule)
        target = get_column_letter(KEYS.index(key) + 1)
        rule.add(f"{target}2:{target}{MAX_ROWS + 1}")
    lists.sheet_state = "hidden"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    text_columns = ("id_number", "phone", "employer_uscc", "work_unit_uscc", "prior_number")
    for key in text_columns:
        letter = get_column_letter(KEYS.index(key) + 1)
        for r in range(2, 2 + max(200, len(rows or []))):
            sheet[f"{letter}{r}"].number_format = "@"
    for key in ("started_on", "prior_date"):
        letter = get_column_letter(KEYS.index(key) + 1)
        for r in range(2, 2 + max(200, len(rows or []))):
            sheet[f"{letter}{r}"].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for r, values in enumerate(rows or [], start=2):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Reading and checking rows --------------------------------------------------------------


def _date(value) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    text = text.replace("年", "-").replace("月", "-").replace("日", "")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        raise ValidationError(_("Enter a date such as 2020-03-01."), code="date") from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean_row(values: dict) -> tuple[cs.CandidateInput | None, dict[str, str]]:
    """One row's values (by column key) checked cell by cell; the errors by column key."""
    errors: dict[str, str] = {}
    out: dict = {}

    def check(key, fn):
        try:
            out[key] = fn(values.get(key))
        except ValidationError as exc:
            errors[key] = " ".join(exc.messages)

    for column in COLUMNS:
        if column.required and _text(values.get(column.key)) == "":
            errors[column.key] = _("Required.")
    id_types = id_type_names()
    check("real_name", lambda v: _text(v)[:60])
    if "id_type" not in errors:
        check(
            "id_type",
            lambda v: id_types.get(_text(v)) or _raise(_("Choose an ID type from the list.")),
        )
    if "id_number" not in errors and "id_type" not in errors:

        def _id(v):
            number = pii.normalise(out["id_type"], _text(v))
            pii.validate(out["id_type"], number)
            return number

        check("id_number", _id)
    if "phone" not in errors:
        check("phone", lambda v: normalize_phone(_text(v)))

    def _email(v):
        from django.core.validators import validate_email

        text = _text(v)
        if text:
            validate_email(text)
        return text

    check("email", _email)
    check("employer_name", lambda v: _text(v)[:120])
    check("work_unit_name", lambda v: _text(v)[:120])
    for key in ("employer_uscc", "work_unit_uscc"):
        check(key, lambda v: _uscc(_text(v)))

    def _dispatched(v):
        text = _text(v)
        if text not in ("", YES, NO):
            _raise(_("Enter 是 or 否."))
        return text == YES

    check("dispatched", _dispatched)
    if (
        out.get("dispatched")
        and not values.get("work_unit_uscc")
        and "work_unit_uscc" not in errors
    ):
        errors["work_unit_uscc"] = _("Dispatched staff: give the unit where the person works.")
    educations = education_names()
    check(
        "education",
        lambda v: (
            ""
            if _text(v) == ""
            else educations.get(_text(v)) or _raise(_("Choose the education from the list."))
        ),
    )
    check("started_on", _date)
    check("prior_number", lambda v: cs.check_prior_number(_text(v)))
    check(
        "prior_level",
        lambda v: (
            ""
            if _text(v) == ""
            else LEVELS.get(_text(v)) or _raise(_("Choose the level from the list."))
        ),
    )
    check("prior_date", _date)
    if errors:
        return None, errors
    return cs.CandidateInput(**out), errors


def _raise(message: str):
    raise ValidationError(message)


def _uscc(text: str) -> str:
    text = codes.normalize_code(text).upper()
    if text:
        codes.validate_uscc(text)
    return text


def read(data: bytes) -> list[tuple[int, dict, dict]]:
    """The rows below the header as (row number, values by column key, errors by key). The
    header row is found by its first heading; an ID number stored as a number is refused."""
    rows = spreadsheets.read_rows(data, text_columns={ID_COLUMN: NUMERIC_ID}, max_rows=MAX_ROWS + 1)
    out = []
    header_seen = False
    for row in rows:
        if not header_seen:
            if _text(row[0]) != COLUMNS[0].header:
                raise ValidationError(
                    _("The first row must hold the template's headings (姓名, 证件类型, …)."),
                    code="header",
                )
            header_seen = True
            continue
        values = {key: row[i] for i, key in enumerate(KEYS)}
        errors = {KEYS[i]: message for i, message in row.errors.items()}
        out.append((row.number, values, errors))
    return out


def check_rows(session: AssessmentSession, read_rows, *, photos: dict[str, bytes] | None = None):
    """Every row checked: its cells, eligibility (which rule, or what is missing), Art 16,
    duplicates within the file and enrolments already in the session, capacity. Yields
    ``RosterRow`` objects (unsaved) with ``errors`` and the cleaned ``values``."""
    seen: dict[str, int] = {}
    on = clock.today()
    rules = session.eligibility
    may_serve = cs.agency_queries.may_serve_others(session.agency)
    own_cache: dict[tuple, bool] = {}
    enrolled_index = set(cs.enrolled(session).values_list("candidate__id_index", flat=True))
    places = session.capacity - len(enrolled_index)
    ok_count = 0
    for number, values, errors in read_rows:
        inp, cell_errors = clean_row(values)
        if errors:  # a cell refused on reading (an ID number stored as a number)
            inp = None
        errors = {**cell_errors, **errors}
        index = ""
        if inp:
            index = pii.blind_index(inp.id_type, inp.id_number)
            if index in seen:
                errors["id_number"] = _("The same person is also in row %(row)d.") % {
                    "row": seen[index]
                }
            elif index in enrolled_index:
                errors["id_number"] = _("Already enrolled in this session.")
            seen.setdefault(index, number)
            outcome = eligibility.evaluate(rules, inp.facts, on=on)
            if not outcome.eligible:
                errors["eligibility"] = outcome.explanation()
            if not may_serve:
                key = tuple(inp.staff_usccs)
                if key not in own_cache:
                    own_cache[key] = cs.agency_queries.is_own_staff(session.agency, key, on=on)
                if not own_cache[key]:
                    errors["employer_uscc"] = _("Not the agency's own staff (Art 16).")
            if photos is not None and inp.id_number in photos:
                try:
                    cs.check_photo(photos[inp.id_number])
                except ValidationError as exc:
                    errors["photo"] = " ".join(exc.messages)
            if not errors:
                ok_count += 1
                if ok_count > places:
                    errors["capacity"] = _("Over the session's capacity (%(n)d places left).") % {
                        "n": max(places, 0)
                    }
        clean = {}
        if inp:
            clean = {
                k: (v.isoformat() if isinstance(v, dt.date) else v)
                for k, v in inp.__dict__.items()
                if k not in ("photo", "id_number", "id_type")
            }
            clean["eligible_by"] = outcome.route_label if outcome.eligible else ""
            clean["eligible_route"] = (outcome.route or {}).get("route", "")
        shown = {k: _shown(values.get(k)) for k in KEYS if k != "id_number"}
        yield RosterRow(
            number=number,
            id_type=inp.id_type if inp else "",
            id_number=inp.id_number if inp else "",
            values={"shown": shown, "clean": clean},
            errors=errors,
            photo_name=inp.id_number if inp and photos and inp.id_number in photos else "",
        )


def _shown(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text(value)[:200]


# --- Staging, checking, applying -------------------------------------------------------------


def import_refusal(session: AssessmentSession, actor=None) -> str | None:
    """A roster is accepted while registration is open."""
    if not session.registration_open_on(clock.today()):
        return Refusal(_("Registration for this session is not open."), "not_open")
    return None


def _record(actor, action: str, batch: RosterBatch, changes: dict) -> None:
    audit.record(
        actor,
        action,
        batch,
        changes,
        agency=batch.session.agency,
        province=batch.session.site.province_id,
        audience=Audience.AGENCY,
    )


def photo_files(upload) -> dict[str, bytes]:
    """The images of a checked ZIP by file name without extension (the ID number)."""
    out = {}
    for name, content in documents.archive_files(upload):
        stem = name.rsplit(".", 1)[0]
        out[codes.normalize_code(stem).upper()] = content
    return out


@transaction.atomic
def stage(actor, session: AssessmentSession, upload, *, photos=None, run_now=None) -> RosterBatch:
    """Store the roster (and photos) as documents of the session and stage a batch; the rows
    are checked here or, for a large file, by the ``check_batch`` task."""
    session = (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("agency", "site")
        .get(pk=session.pk)
    )
    access.require(actor, "assessments.candidates.manage", session)
    refuse(import_refusal(session, actor))
    try:
        documents.validate_upload(upload, allowed=documents.SPREADSHEETS)
    except ValidationError as exc:
        raise ValidationError({"roster": exc.messages}) from None
    if photos is not None:
        try:
            documents.validate_upload(photos, allowed=("zip",), max_bytes=200 * 1024 * 1024)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    upload.seek(0)
    data = upload.read()
    owner = {
        "owner_agency": session.agency,
        "owner_jurisdiction": session.site.province_id,
        "subject": session,
    }
    doc = documents.store_document(
        actor, upload, title=_("Roster"), kind="roster", allowed=documents.SPREADSHEETS, **owner
    )
    photo_doc = None
    if photos is not None:
        photo_doc = documents.store_document(
            actor, photos, title=_("Photos of a roster"), kind="roster_photos",
            allowed=("zip",), **owner,
        )  # fmt: skip
    batch = RosterBatch.objects.create(
        session=session,
        document=doc,
        photos=photo_doc,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    _record(actor, "assessments.roster.stage", batch, {"file": [None, doc.original_name]})
    try:
        rows = read(data)
    except ValidationError as exc:
        batch.status = BatchStatus.FAILED
        batch.file_error = " ".join(exc.messages)
        batch.save(update_fields=["status", "file_error"])
        return batch
    batch.total_rows = len(rows)
    batch.save(update_fields=["total_rows"])
    if run_now is None:
        run_now = len(rows) <= TASK_ROWS
    if run_now:
        check(batch, rows=rows)
    else:
        from assessments.tasks import check_roster
        from portal.jobs import background

        background.enqueue(check_roster, batch.pk)
    return batch


def check(batch: RosterBatch, *, rows=None, chunk: int = 1000) -> RosterBatch:
    """Check the rows of a staged batch and store them with their errors (idempotent: a
    batch already checked is left as it is)."""
    if batch.status != BatchStatus.READING:
        return batch
    session = batch.session
    if rows is None:
        with batch.document.file.open("rb") as fh:
            rows = read(fh.read())
    photos = None
    if batch.photos_id:
        with batch.photos.file.open("rb") as fh:
            photos = photo_files(io.BytesIO(fh.read()))
    RosterRow.objects.filter(batch=batch).delete()
    pending, errors, checked, matched = [], 0, 0, set()
    for row in check_rows(session, rows, photos=photos):
        row.batch = batch
        pending.append(row)
        errors += bool(row.errors)
        if row.photo_name:
            matched.add(row.photo_name)
        if len(pending) >= chunk:
            RosterRow.objects.bulk_create(pending)
            checked += len(pending)
            pending = []
            RosterBatch.objects.filter(pk=batch.pk).update(checked_rows=checked)
    RosterRow.objects.bulk_create(pending)
    batch.checked_rows = checked + len(pending)
    batch.error_rows = errors
    batch.unmatched_photos = sorted(set(photos or {}) - matched)
    batch.status = BatchStatus.STAGED
    batch.save(update_fields=["checked_rows", "error_rows", "unmatched_photos", "status"])
    return batch


def apply_refusal(batch: RosterBatch, actor=None) -> str | None:
    if batch.status == BatchStatus.READING:
        return Refusal(_("The roster is still being checked."), "reading")
    if batch.status == BatchStatus.FAILED:
        return Refusal(_("The file could not be read."), "failed")
    if batch.status == BatchStatus.APPLIED:
        return None  # applying again adds nothing
    if batch.error_rows:
        return Refusal(
            _("%(n)d rows have errors: correct the file and upload it again; nothing is added.")
            % {"n": batch.error_rows},
            "row_errors",
        )
    return import_refusal(batch.session, actor)


@transaction.atomic
def apply(actor, batch: RosterBatch) -> int:
    """Enrol every row of the batch, or none (Art 18). Returns the number added: 0 for a
    batch already applied or a file already applied to the session (idempotent)."""
    batch = (
        RosterBatch.objects.select_for_update(of=("self",))
        .select_related("session__agency", "session__site")
        .get(pk=batch.pk)
    )
    access.require(actor, "assessments.candidates.manage", batch.session)
    refuse(apply_refusal(batch, actor))
    if batch.status == BatchStatus.APPLIED:
        return 0
    session = (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("agency", "site")
        .get(pk=batch.session_id)
    )
    now = clock.now()
    if session.roster_batches.filter(status=BatchStatus.APPLIED, sha256=batch.sha256).exists():
        added = 0
    else:
        added = _apply_rows(actor, session, batch, now)
    batch.status = BatchStatus.APPLIED
    batch.applied_at = now
    batch.applied_count = added
    batch.save(update_fields=["status", "applied_at", "applied_count"])
    _record(actor, "assessments.roster.apply", batch, {"added": [None, added]})
    return added


def _apply_rows(actor, session, batch, now) -> int:
    rows = list(batch.rows.all())
    refuse(cs.enrolment_refusal(session, actor, extra=len(rows)))
    indexes = {r.id_index: r for r in rows}
    existing = {
        c.id_index: c
        for c in Candidate.objects.filter(
            id_index__in=[v for r in rows for v in pii.index_candidates(r.id_type, r.id_number)]
        )
    }
    if cs.enrolled(session).filter(candidate__in=list(existing.values())).exists():
        raise ValidationError(
            _("Someone in the roster was enrolled meanwhile: upload the file again."),
            code="changed",
        )
    new = []
    for index, row in indexes.items():
        if index not in existing:
            clean = row.values["clean"]
            derived = pii.derive(row.id_type, row.id_number)
            new.append(
                Candidate(
                    real_name=clean["real_name"],
                    id_type=row.id_type,
                    id_number=row.id_number,
                    gender=derived.gender if derived else "",
                    birth_date=derived.birth_date if derived else None,
                )
            )
    Candidate.objects.bulk_create(new)
    people = {c.id_index: c for c in Candidate.objects.filter(id_index__in=list(indexes))}
    photos = {}
    if batch.photos_id:
        with batch.photos.file.open("rb") as fh:
            photos = photo_files(io.BytesIO(fh.read()))
    enrolments = []
    for row in rows:
        clean = dict(row.values["clean"])
        eligible_by = clean.pop("eligible_by", "")
        route = clean.pop("eligible_route", "")
        for key in ("started_on", "prior_date"):
            clean[key] = dt.date.fromisoformat(clean[key]) if clean.get(key) else None
        inp = cs.CandidateInput(id_type=row.id_type, id_number=row.id_number, **clean)
        # An education route marks the enrolment 学历待核验 (the agency uploads the diploma
        # and confirms it per candidate).
        outcome = eligibility.Outcome(True, {"label": eligible_by, "route": route})
        enrolment = cs.enrolment_for(
            session, people[row.id_index], inp, outcome, actor, now,
            source=EnrolmentSource.ROSTER, batch=batch,
        )  # fmt: skip
        if row.photo_name and row.photo_name in photos:
            jpeg = cs.check_photo(photos[row.photo_name])
            enrolment.photo = cs.store_photo(actor, session, jpeg, inp.real_name)
        enrolments.append(enrolment)
    Enrolment.objects.bulk_create(enrolments)
    return len(enrolments)


def error_report(batch: RosterBatch) -> bytes:
    """The rows with their errors as XLSX (the template's columns, then 错误说明), so the
    agency corrects the file it knows. ID numbers are masked."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("错误报告")
    sheet.append(["行号", *[c.header for c in COLUMNS], "错误说明"])
    for row in batch.rows.all():
        shown = row.values.get("shown", {})
        cells = [
            pii.mask_id(row.id_number, row.id_type) if k == "id_number" else shown.get(k, "")
            for k in KEYS
        ]
        sheet.append([row.number, *cells, describe_errors(row.errors)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXTRA_HEADERS = {"eligibility": "申报条件", "capacity": "名额", "photo": "照片"}


def header_of(key: str) -> str:
    return HEADER_OF.get(key) or EXTRA_HEADERS.get(key, key)


def describe_errors(errors: dict) -> str:
    """``{column: message}`` as one line, column by column in the template's order."""
    order = [*KEYS, *EXTRA_HEADERS]
    keys = sorted(errors, key=lambda k: order.index(k) if k in order else len(order))
    return "；".join(f"{header_of(k)}：{errors[k]}" for k in keys)
