"""Importing legacy certificate records (Art 4; decision 0046).

Testing-centre staff (``osta_staff``) import certificates issued before the portal (16-digit
职业资格证书 numbers, ``portal.codes.is_legacy_certificate_number``) or elsewhere (22-digit
numbers) so that the public lookup finds them; the portal never prints, signs or numbers
them.

1. ``template()`` — an XLSX with Chinese headings, the number and ID columns as text;
2. ``stage(actor, upload, source=...)`` — the file (XLSX, XLS, ODS or CSV through
   ``portal.spreadsheets``) is checked row by row into a ``LegacyImport`` (errors in Chinese,
   column by column); nothing is imported yet;
3. ``apply(actor, batch)`` — in one transaction, checked again: every row or none. A row
   already imported with the same facts is skipped (re-importing a file adds nothing); a
   number already on record with other facts, or issued by the portal, is an error. Every
   imported 22-digit number moves its counter (``certificates.services.numbering.counter_key``)
   past the highest imported sequence, so the portal never issues a number that exists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from certificates.models import (
    NO_WORK_TYPE,
    Certificate,
    LegacyCertificate,
    LegacyImport,
    LegacyImportState,
)
from certificates.services import numbering
from portal import access, audit, clock, codes, counters, pii, spreadsheets
from portal.models import IdType
from portal.refusals import Refusal, refuse
from portal.roles import NATIONAL

LEVELS = {
    "5": "五级/初级工",
    "4": "四级/中级工",
    "3": "三级/高级工",
    "2": "二级/技师",
    "1": "一级/高级技师",
}
NUMERIC_TEXT = "请将此列设为文本"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True
    width: int = 16


COLUMNS = [
    Column("number", "证书编号", True, 26),
    Column("holder_name", "姓名", True, 10),
    Column("id_type", "证件类型", True, 22),
    Column("id_number", "证件号码", True, 22),
    Column("occupation_code", "职业编码", True, 14),
    Column("occupation_name", "职业名称", True, 20),
    Column("work_type_name", "工种", False, 16),
    Column("level", "等级", True, 14),
    Column("agency_name", "发证机构", True, 30),
    Column("issued_on", "发证日期", True, 14),
]
KEYS = [c.key for c in COLUMNS]
HEADERS = {c.header: c.key for c in COLUMNS}
#: The facts compared when the same number comes again (re-import adds nothing).
SAME = ("holder_name", "id_type", "id_index", "occupation_code", "level_code", "issued_on")


def max_rows() -> int:
    return int(getattr(settings, "LEGACY_IMPORT_MAX_ROWS", 20000))


def template() -> bytes:
    """The import template: Chinese headings, the number and ID columns formatted as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "历史证书"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for key in ("number", "id_number", "occupation_code"):
        letter = get_column_letter(KEYS.index(key) + 1)
        for r in range(2, 202):
            sheet[f"{letter}{r}"].number_format = "@"
    letter = get_column_letter(KEYS.index("issued_on") + 1)
    for r in range(2, 202):
        sheet[f"{letter}{r}"].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Checking rows ----------------------------------------------------------------------------


_text = spreadsheets.cell_text


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    text = text.replace("年", "-").replace("月", "-").replace("日", "")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        raise ValidationError(_("Enter a date such as 2020-03-01.")) from None


def _level(text: str) -> str:
    text = text.replace(" ", "")
    for code, display in LEVELS.items():
        names = {code, display, *display.split("/")}
        if text in names:
            return code
    raise ValidationError(_("Enter the level as 五级 to 一级 (or 初级工 to 高级技师)."))


def _id_types() -> dict[str, str]:
    from django.utils import translation

    with translation.override("zh-hans"):
        names = {str(label): value for value, label in IdType.choices}
    return {**names, **{value: value for value, _label in IdType.choices}}


def _province_of(number: str) -> str | None:
    try:
        return codes.province_for_prefix(number[5:7])
    except ValueError:
        return None


def clean_row(values: dict, jurisdiction: str) -> tuple[dict, dict[str, str]]:
    """One row's values as stored (the ID number encrypted) and its errors by column."""
    errors: dict[str, str] = {}
    out: dict = {}
    for column in COLUMNS:
        if column.required and _text(values.get(column.key)) == "":
            errors[column.key] = _("Required.")
    number = codes.normalize_code(_text(values.get("number")))
    if "number" not in errors:
        if codes.is_legacy_certificate_number(number):
            out["number"] = number
        elif codes.is_valid_certificate_number(number):
            out["number"] = number
            province = _province_of(number)
            if jurisdiction != NATIONAL and province != jurisdiction:
                errors["number"] = _(
                    "This number was issued in another province: its testing centre imports it."
                )
        else:
            errors["number"] = _(
                "A certificate number has 16 digits (职业资格证书) or 22 characters "
                "(职业技能等级证书)."
            )
    out["holder_name"] = _text(values.get("holder_name"))[:60]
    id_type = _id_types().get(_text(values.get("id_type")))
    if id_type is None and "id_type" not in errors:
        errors["id_type"] = _("Choose an ID type from the list.")
    plain = _text(values.get("id_number"))
    if id_type and plain and "id_number" not in errors:
        try:
            pii.validate(id_type, plain)
        except ValidationError as exc:
            errors["id_number"] = " ".join(exc.messages)
        else:
            normal = pii.normalise(id_type, plain)
            out["id_type"], out["id_number"] = id_type, pii.encrypt(normal)
            out["id_index"] = pii.blind_index(id_type, normal)
            out["id_masked"] = pii.mask_id(normal, id_type)
    occupation = _text(values.get("occupation_code"))
    if occupation and (len(occupation) > 12 or not occupation.isascii() or "|" in occupation):
        errors["occupation_code"] = _("Enter the occupation code, such as 4-01-02-01.")
    out["occupation_code"] = occupation
    out["occupation_name"] = _text(values.get("occupation_name"))[:80]
    out["work_type_name"] = _text(values.get("work_type_name"))[:80] or NO_WORK_TYPE
    level_text = _text(values.get("level"))
    if level_text:
        try:
            out["level_code"] = _level(level_text)
            out["level_display"] = LEVELS[out["level_code"]]
        except ValidationError as exc:
            errors["level"] = exc.messages[0]
    out["agency_name"] = _text(values.get("agency_name"))[:120]
    if _text(values.get("issued_on")):
        try:
            issued = _date(values.get("issued_on"))
        except ValidationError as exc:
            errors["issued_on"] = exc.messages[0]
        else:
            if issued > clock.today() or issued.year < 1950:
                errors["issued_on"] = _("The issue date cannot be in the future or before 1950.")
            out["issued_on"] = issued.isoformat()
    number = out.get("number", "")
    if len(number) == 22 and "level_code" in out and number[15] != out["level_code"]:
        errors["level"] = _("The level does not match the number's level digit (%(d)s).") % {
            "d": number[15]
        }
    if len(number) == 22 and "issued_on" in out and number[13:15] != out["issued_on"][2:4]:
        errors["issued_on"] = _("The issue year does not match the number's year (%(y)s).") % {
            "y": number[13:15]
        }
    return out, errors


def read(data: bytes) -> list[tuple[int, dict, dict[str, str]]]:
    """The rows of an upload by column key (the heading row maps the columns), with the
    errors the spreadsheet reader found (a number stored as a number)."""
    rows = spreadsheets.read_rows(data, max_rows=max_rows() + 1)
    header = next(rows, None)
    if header is None:
        raise ValidationError(_("The file is empty."), code="empty")
    index = {HEADERS[_text(v)]: i for i, v in enumerate(header.values) if _text(v) in HEADERS}
    missing = [c.header for c in COLUMNS if c.required and c.key not in index]
    if missing:
        raise ValidationError(
            _("The heading row lacks: %(columns)s. Use the template.")
            % {"columns": "、".join(missing)},
            code="headers",
        )
    out = []
    for row in rows:
        values, errors = {}, {}
        for key, i in index.items():
            value = row[i]
            numeric = isinstance(value, float | int) and not isinstance(value, bool)
            if key in ("number", "id_number") and numeric:
                errors[key] = NUMERIC_TEXT
            values[key] = value
        out.append((row.number, values, errors))
    return out


def _existing(numbers: list[str]) -> tuple[dict[str, dict], set[str]]:
    imported = {
        c["number"]: c
        for c in LegacyCertificate.objects.filter(number__in=numbers).values("number", *SAME)
    }
    issued = set(Certificate.objects.filter(number__in=numbers).values_list("number", flat=True))
    return imported, issued


def _same(stored: dict, row: dict) -> bool:
    return all(str(stored[k]) == str(row.get(k, "")) for k in SAME)


def check_rows(staged: list[dict]) -> tuple[int, int]:
    """Check staged rows against each other and the records (in place): duplicates in the
    file, numbers issued by the portal, numbers imported with other facts. Returns (rows
    with errors, rows already imported)."""
    numbers = [r["values"].get("number") for r in staged if r["values"].get("number")]
    imported, issued = _existing(numbers)
    seen: dict[str, int] = {}
    already = 0
    for row in staged:
        values, errors = row["values"], row["errors"]
        errors.pop("_duplicate", None)
        row["already"] = False
        number = values.get("number")
        if not number or "number" in errors:
            continue
        if number in seen:
            errors["number"] = _("The number is also on row %(n)d.") % {"n": seen[number]}
            continue
        seen[number] = row["row"]
        if number in issued:
            errors["number"] = _("The portal issued this number: it is not a legacy record.")
        elif number in imported:
            if _same(imported[number], values):
                row["already"] = True
                already += 1
            else:
                errors["number"] = _("This number is already on record with other facts.")
    return sum(1 for r in staged if r["errors"]), already


# --- Actions --------------------------------------------------------------------------------


def import_refusal(actor) -> Refusal | None:
    if not access.can(actor, "certificates.legacy"):
        return Refusal(_("Only testing-centre staff import legacy certificates."), "forbidden")
    return None


def stage(actor, upload, *, source: str, file_name: str = "") -> LegacyImport:
    """Art 4: check an uploaded file of legacy certificates and keep it for the preview;
    nothing is imported until ``apply``."""
    refuse(import_refusal(actor))
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Name who issued these certificates.")})
    data = upload if isinstance(upload, bytes) else upload.read()
    file_name = file_name or getattr(upload, "name", "") or "import"
    jurisdiction = actor.jurisdiction
    try:
        rows = read(data)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    if len(rows) > max_rows():
        raise ValidationError(
            {"file": _("The file has more than %(limit)d rows; split it.") % {"limit": max_rows()}}
        )
    staged = []
    for number, values, read_errors in rows:
        cleaned, errors = clean_row(values, jurisdiction)
        errors = {**errors, **read_errors}
        staged.append({"row": number, "values": cleaned, "errors": errors})
    error_rows, _already = check_rows(staged)
    with transaction.atomic():
        batch = LegacyImport.objects.create(
            province=jurisdiction,
            source=source[:120],
            file_name=file_name[:200],
            file_sha256=hashlib.sha256(data).hexdigest(),
            rows=staged,
            total_rows=len(staged),
            error_rows=error_rows,
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        audit.record(
            actor,
            "certificates.legacy.stage",
            batch,
            {"rows": [None, len(staged)], "rows_with_errors": [None, error_rows]},
            province=None if jurisdiction == NATIONAL else jurisdiction,
        )
    return batch


def apply_refusal(batch: LegacyImport, actor=None) -> Refusal | None:
    if actor is not None and not access.can(actor, "certificates.legacy", batch):
        return Refusal(_("You may not apply this import."), "forbidden")
    if batch.state == LegacyImportState.APPLIED:
        return Refusal(_("This import was applied already."), "applied")
    if batch.error_rows:
        return Refusal(
            _(
                "%(n)d rows have errors: nothing is imported until every row is right. "
                "Correct the file and upload it again."
            )
            % {"n": batch.error_rows},
            "rows_with_errors",
        )
    if not batch.total_rows:
        return Refusal(_("The file has no rows."), "empty")
    return None


def apply(actor, batch: LegacyImport) -> LegacyImport:
    """Art 4: import every row of ``batch`` or none (rows already on record with the same
    facts are skipped), and move each 22-digit number's counter past it."""
    with transaction.atomic():
        batch = LegacyImport.objects.select_for_update().get(pk=batch.pk)
        access.require(actor, "certificates.legacy", batch)
        refuse(apply_refusal(batch))
        staged = batch.rows
        error_rows, already = check_rows(staged)  # again: the records may have changed
        if error_rows:  # nothing is saved: upload the file again for the new report
            refuse(
                Refusal(
                    _(
                        "%(n)d rows no longer fit the records (imported or issued since the "
                        "check): nothing was imported. Upload the file again."
                    )
                    % {"n": error_rows},
                    "rows_with_errors",
                )
            )
        now = clock.now()
        new = [
            LegacyCertificate(
                number=v["number"],
                holder_name=v["holder_name"],
                id_type=v["id_type"],
                id_number=pii.decrypt(v["id_number"]),
                id_index=v["id_index"],
                occupation_code=v["occupation_code"],
                occupation_name=v["occupation_name"],
                work_type_name=v["work_type_name"],
                level_code=v["level_code"],
                level_display=v["level_display"],
                agency_name=v["agency_name"],
                issued_on=dt.date.fromisoformat(v["issued_on"]),
                source=batch.source,
                imported_from=batch,
                imported_at=now,
                imported_by=actor,
                province=batch.province,
            )
            for r in staged
            if not r["already"]
            for v in [r["values"]]
        ]
        LegacyCertificate.objects.bulk_create(new)
        moved = move_counters([c.number for c in new])
        batch.state = LegacyImportState.APPLIED
        batch.added, batch.skipped = len(new), already
        batch.applied_by, batch.applied_at = actor, now
        for row in staged:  # the staged copy of the ID number is no longer needed
            row["values"].pop("id_number", None)
        batch.rows = staged
        batch.save(update_fields=["state", "added", "skipped", "applied_by", "applied_at", "rows"])
        audit.record(
            actor,
            "certificates.legacy.apply",
            batch,
            {
                "records_added": [None, len(new)],
                "already_imported": [None, already],
                "counters_moved": [None, "; ".join(f"{k}→{v}" for k, v in sorted(moved.items()))],
            },
            province=None if batch.province == NATIONAL else batch.province,
        )
    return batch


def move_counters(numbers: list[str]) -> dict[str, int]:
    """Move the counter of each 22-digit number's (site, year, level) scope to at least its
    highest imported sequence (``portal.counters.seed`` never moves one back). Returns
    {number head: counter value} for the scopes touched."""
    highest: dict[str, tuple[numbering.NumberScope, int]] = {}
    for number in numbers:
        if len(number) != 22:
            continue  # 16-digit numbers have no counter: the portal never allocates them
        scope = numbering.NumberScope(prefix=number[:13], year=number[13:15], level=number[15])
        key = numbering.counter_key(scope)
        sequence = int(number[16:])
        if key not in highest or highest[key][1] < sequence:
            highest[key] = (scope, sequence)
    return {
        scope.head: counters.seed(key, sequence)
        for key, (scope, sequence) in sorted(highest.items())
    }


def describe_errors(errors: dict) -> str:
    names = {c.key: c.header for c in COLUMNS}
    return "；".join(f"{names.get(k, k)}：{m}" for k, m in errors.items())


def stage_file(actor, path: str, *, source: str) -> LegacyImport:
    """For the command: stage a file from disk."""
    from pathlib import Path

    file = Path(path)
    return stage(actor, file.read_bytes(), source=source, file_name=file.name)
