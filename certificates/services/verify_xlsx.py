"""Bulk verification by spreadsheet (Art 22; decision 0051).

A member uploads an XLSX (or XLS, ODS, CSV: ``portal.spreadsheets``) with the columns of
``template()``, up to ``VERIFY_UPLOAD_MAX_ROWS`` rows; every row is answered: found or not,
the status and the public facts, or the row's own error (a bad row never stops the others:
an HR clerk wants the 99 answers even when one ID number was mistyped). The answers are an
XLSX built in the request (openpyxl, write-only) and never stored; the upload keeps counts.
The ID number is never written into the answers.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from certificates.models import VerificationUpload, VerifierOrganisation
from certificates.services.lookup import find_many
from certificates.services.verifiers import (
    _audit_province,
    answer_of,
    item_errors,
    max_rows,
    member_refusal,
)
from portal import audit, clock, spreadsheets
from portal.refusals import refuse

#: (key, heading) of the upload's columns, in order.
COLUMNS = [
    ("reference", "编号"),
    ("name", "姓名"),
    ("id_type", "证件类型"),
    ("id_number", "证件号码"),
    ("number", "证书编号"),
]
ANSWER_HEADINGS = [
    "编号", "姓名", "是否查到", "状态", "证书编号", "职业（工种）", "等级", "评价机构",
    "发证日期", "撤销日期", "撤销原因", "更正后证书编号", "说明",
]  # fmt: skip
STATUS_NAMES = {"valid": "有效", "revoked": "已撤销", "replaced": "已更正（换发新证）"}
NUMERIC_TEXT = "请将此列设为文本（数字格式会丢失末几位）"


def template() -> bytes:
    """The upload template: Chinese headings, ID and certificate number columns as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "核验名单"
    for index, (_key, heading) in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index, value=heading).font = Font(bold=True)
    for letter, width in zip("ABCDE", (12, 10, 16, 22, 26), strict=True):
        sheet.column_dimensions[letter].width = width
        for r in range(2, 502):
            sheet[f"{letter}{r}"].number_format = "@"
    sheet.append(["示例1", "张三", "居民身份证", "", ""])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_text = spreadsheets.cell_text


def _columns(header: list) -> dict[str, int]:
    headings = {heading: key for key, heading in COLUMNS}
    found = {headings[_text(v)]: i for i, v in enumerate(header) if _text(v) in headings}
    missing = [h for k, h in COLUMNS if k not in found and k != "reference"]
    if missing or "name" not in found:
        raise ValidationError(
            {
                "file": _("The first row must hold the template's headings; missing: %(cols)s.")
                % {"cols": "、".join(missing)}
            }
        )
    return found


def read(data: bytes) -> list[dict]:
    """The rows of an uploaded file as ``{"row", "values", "errors"}``; a file that cannot be
    read at all raises ``ValidationError`` at ``file`` (Chinese)."""
    try:
        rows = list(
            spreadsheets.read_rows(
                data, text_columns={3: NUMERIC_TEXT, 4: NUMERIC_TEXT}, max_rows=max_rows() + 1
            )
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    except Exception:  # a damaged archive may fail inside the reader in its own way
        raise ValidationError(
            {"file": _("The spreadsheet cannot be read: it is damaged or protected by a password.")}
        ) from None
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    columns = _columns(rows[0].values)
    if len(rows) - 1 > max_rows():
        raise ValidationError(
            {"file": _("The file has more than %(limit)d rows; split it.") % {"limit": max_rows()}}
        )
    if len(rows) == 1:
        raise ValidationError({"file": _("The file has headings but no rows.")})
    out = []
    for row in rows[1:]:
        values = {key: _text(row[i]) if row[i] is not None else "" for key, i in columns.items()}
        errors = {key: row.errors[i] for key, i in columns.items() if i in row.errors}
        out.append({"row": row.number, "values": values, "errors": errors})
    return out


def _answer_rows(rows: list[dict]) -> tuple[list[list], int, int]:
    queries, where = [], []
    for position, row in enumerate(rows):
        v = row["values"]
        if row["errors"]:
            continue
        query, errors = item_errors(
            v.get("reference", ""), v.get("name", ""), v.get("id_type", ""),
            v.get("id_number", ""), v.get("number", ""),
        )  # fmt: skip
        if query is None:
            row["errors"] = errors
        else:
            queries.append(query)
            where.append(position)
    results: list[list | None] = [None] * len(rows)
    for position, certificates in zip(where, find_many(queries), strict=True):
        results[position] = certificates
    lines, found = [], 0
    labels = dict(COLUMNS)
    for row, certificates in zip(rows, results, strict=True):
        v = row["values"]
        head = [v.get("reference", ""), v.get("name", "")]
        if certificates is None:
            problems = "；".join(f"{labels[k]}：{m}" for k, m in row["errors"].items())
            lines.append([*head, "无法核验", "", "", "", "", "", "", "", "", "", problems])
            continue
        if not certificates:
            lines.append([*head, "否", "", "", "", "", "", "", "", "", "", "未查到"])
            continue
        found += 1
        for facts in answer_of(certificates)["certificates"]:
            occupation = facts["occupation"] + (
                f"（{facts['work_type']}）" if facts["work_type"] else ""
            )
            lines.append(
                [*head, "是", STATUS_NAMES.get(facts["status"], facts["status"]),
                 facts["number"], occupation, facts["level"], facts["agency"],
                 facts["issued_on"], facts["revoked_on"] or "", facts["revoked_reason"],
                 facts["replaced_by"] or "", "历史证书" if facts["legacy"] else ""]
            )  # fmt: skip
    errors = sum(1 for r in results if r is None)
    return lines, found, errors


def _cell(value):
    """What a typed value may become in the answers: no control characters (the XLSX format
    refuses them) and never a formula (a name typed as ``=HYPERLINK(…)`` stays text)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def answers_xlsx(lines: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("核验结果")
    sheet.append(ANSWER_HEADINGS)
    for line in lines:
        sheet.append([_cell(v) for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def verify_upload(
    actor, org: VerifierOrganisation, data: bytes, *, file_name: str
) -> tuple[VerificationUpload, bytes]:
    """A member verifies a spreadsheet of people (Art 22): every row answered, the upload
    recorded with its counts and audited; returns the record and the answers (XLSX)."""
    refuse(member_refusal(org, actor))
    rows = read(data)
    lines, found, errors = _answer_rows(rows)
    with transaction.atomic():
        upload = VerificationUpload.objects.create(
            organisation=org,
            user=actor,
            file_name=file_name[:200],
            row_count=len(rows),
            found_count=found,
            error_count=errors,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "certificates.verify.upload",
            org,
            {"rows": len(rows), "found": found, "rows_with_errors": errors},
            province=_audit_province(org),
        )
    # Built after the commit, outside any lock (decision 0017).
    return upload, answers_xlsx(lines)
