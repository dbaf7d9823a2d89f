"""Importing the occupation catalogue from CSV or XLSX (Art 6), all or nothing.

The columns are those of ``shared/data/occupations.csv``: code, name,
major_category, work_type_count, marker, standard_edition (the last is
informational and ignored here: standards are recorded with their levels).
A file with any bad row changes nothing; every bad row is reported with its
line and a Chinese reason. Re-importing updates names and adds new rows, never
duplicates.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import MajorCategory, Occupation, OccupationSource
from portal import access, audit, codes
from portal.roles import NATIONAL

COLUMNS = ("code", "name", "major_category", "work_type_count", "marker", "standard_edition")
REQUIRED = ("code", "name", "major_category")


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, no header, wrong columns)."""


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ParsedRow:
    line: int
    code: str
    name: str
    major_category: str
    work_type_count: int | None
    is_digital: bool
    is_green: bool


@dataclass
class ImportPlan:
    creates: list[ParsedRow] = field(default_factory=list)
    updates: list[tuple[Occupation, ParsedRow, dict]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return len(self.creates) + len(self.updates) + self.unchanged


def read_rows(data: bytes, filename: str = "") -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV (UTF-8, with or without BOM, or GB18030) or XLSX file, with line numbers."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            _("The file is neither UTF-8 nor GB18030 text, nor an XLSX workbook.")
        )
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    return _with_header(rows)


def _read_xlsx(data: bytes) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("The XLSX workbook cannot be read.")) from exc
    sheet = workbook.worksheets[0]
    rows = [
        ["" if cell is None else str(cell).strip() for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return _with_header(rows)


def _with_header(rows: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header = [h.strip().lstrip("\ufeff").lower() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _("The header must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(v).strip() for v in row):
            continue
        values = {h: (str(row[i]).strip() if i < len(row) else "") for i, h in enumerate(header)}
        out.append((number, values))
    return out


def _parse(line: int, values: dict[str, str], categories: set[str]) -> ParsedRow | RowError:
    raw_code = values.get("code", "")
    try:
        code = codes.normalize_occupation_code(raw_code)
        codes.parse_occupation_code(code)
    except ValueError:
        return RowError(
            line,
            _("“%(code)s” is not an occupation code of the form 6-31-01-03.") % {"code": raw_code},
        )
    name = values.get("name", "").strip()
    if not name:
        return RowError(line, _("The name is empty."))
    if len(name) > 80:
        return RowError(line, _("The name is longer than 80 characters."))
    category = values.get("major_category", "").strip()
    if category.endswith(".0"):
        category = category[:-2]  # XLSX numbers
    if category not in categories:
        return RowError(
            line, _("Unknown major category “%(category)s” (1 to 8).") % {"category": category}
        )
    if category != code[0]:
        return RowError(
            line,
            _("The code %(code)s does not belong to major category %(category)s.")
            % {"code": code, "category": category},
        )
    count_raw = values.get("work_type_count", "").strip()
    if count_raw.endswith(".0"):
        count_raw = count_raw[:-2]
    if count_raw and not count_raw.isdigit():
        return RowError(line, _("The number of work types must be a whole number."))
    marker = values.get("marker", "").strip().upper()
    if marker and set(marker) - {"S", "L"}:
        return RowError(line, _("The marker may only be S (digital) or L (green)."))
    return ParsedRow(
        line,
        code,
        name,
        category,
        int(count_raw) if count_raw else None,
        "S" in marker,
        "L" in marker,
    )


def plan_import(data: bytes, filename: str = "") -> ImportPlan:
    """Read and check a file, and work out what applying it would change (no writes)."""
    plan = ImportPlan()
    try:
        rows = read_rows(data, filename)
    except ImportFileError as exc:
        plan.errors.append(RowError(1, str(exc)))
        return plan
    categories = set(MajorCategory.objects.values_list("code", flat=True))
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        result = _parse(line, values, categories)
        if isinstance(result, RowError):
            plan.errors.append(result)
            continue
        if result.code in seen:
            plan.errors.append(
                RowError(
                    line,
                    _("The code %(code)s is already on line %(first)d.")
                    % {"code": result.code, "first": seen[result.code]},
                )
            )
            continue
        seen[result.code] = line
        parsed.append(result)
    if not parsed and not plan.errors:
        plan.errors.append(RowError(1, _("The file has no rows.")))
    existing = {o.code: o for o in Occupation.objects.filter(code__in=seen)}
    for row in parsed:
        current = existing.get(row.code)
        if current is None:
            plan.creates.append(row)
            continue
        changes = {}
        wanted = {
            "name": row.name,
            "major_category_id": row.major_category,
            "is_digital": row.is_digital,
            "is_green": row.is_green,
        }
        if row.work_type_count is not None:
            wanted["work_type_count"] = row.work_type_count
        for name, value in wanted.items():
            if getattr(current, name) != value:
                changes[name] = [getattr(current, name), value]
        if changes:
            plan.updates.append((current, row, changes))
        else:
            plan.unchanged += 1
    return plan


@transaction.atomic
def apply_import(
    actor, data: bytes, filename: str = "", source: str = OccupationSource.CLASSIFICATION_2022
) -> ImportPlan:
    """Apply a catalogue file: all rows or none; one audit entry for the whole import."""
    access.require(actor, "catalog.occupation.manage")
    plan = plan_import(data, filename)
    if not plan.ok:
        return plan
    created = Occupation.objects.bulk_create(
        Occupation(
            code=r.code,
            name=r.name,
            major_category_id=r.major_category,
            is_digital=r.is_digital,
            is_green=r.is_green,
            is_skill=r.major_category != "2",
            source=source,
            work_type_count=r.work_type_count,
        )
        for r in plan.creates
    )
    for occupation, _row, changes in plan.updates:
        for name, (_old, new) in changes.items():
            setattr(occupation, name, new)
        occupation.is_skill = occupation.major_category_id != "2"
        occupation.save(update_fields=[*changes, "is_skill", "updated_at"])
    audit.record(
        actor,
        "catalog.occupation.import",
        None,
        {
            "file": [None, filename],
            "created": [None, len(plan.creates)],
            "updated": [None, len(plan.updates)],
            "unchanged": [None, plan.unchanged],
        },
        objects=[*created, *(o for o, _r, _c in plan.updates)],
        province=NATIONAL,
    )
    return plan
