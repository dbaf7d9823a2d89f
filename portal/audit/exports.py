"""CSV and XLSX exports of the audit entries a page lists (decision 0029).

An export holds the filtered entries of the page it is asked from, through the same scoped
queryset (an agency's administrator exports only the entries addressed to the agency), and
reads as the page does: the same sentences, names and masked values, no IP address, request
id or hash. Both are made inside the request: CSV is streamed row by row from a server-side
cursor (about 4,500 entries a second); XLSX is written by openpyxl in write-only mode to a
temporary file and sent when complete (about 1,500 a second). ``LIMITS`` keeps either well
inside gunicorn's 30-second worker timeout; beyond it the page asks for a narrower filter.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import display

LIMITS = {"csv": 50_000, "xlsx": 10_000}
_CHUNK = 1000
# A cell a spreadsheet would take for a formula (CSV injection, OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def headers(*, show_codes: bool) -> list[str]:
    names = [_("Time"), _("Actor"), _("Action")]
    if show_codes:
        names.append(_("Action code"))
    return names + [_("Object type"), _("Object"), _("Agency"), _("Changes")]


def _changes_text(entry) -> str:
    return "；".join(f"{c.label}：{c.before} → {c.after}" for c in entry.all_changes)


def rows(entries: QuerySet, *, show_codes: bool) -> Iterator[list]:
    """One list per entry, in the page's order; the time as a local naive datetime."""
    iterator = entries.iterator(chunk_size=_CHUNK)
    while chunk := list(islice(iterator, _CHUNK)):
        for entry in display.present(chunk):
            row = [
                timezone.localtime(entry.created_at).replace(tzinfo=None, microsecond=0),
                entry.actor_text,
                entry.sentence,
            ]
            if show_codes:
                row.append(entry.action)
            row += [
                entry.object_type_label,
                entry.object_repr,
                entry.agency.name if entry.agency_id else "",
                _changes_text(entry),
            ]
            yield row


def _filename(ext: str) -> str:
    return f"audit-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


def _safe_csv(value) -> str:
    text = value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(entries: QuerySet, *, show_codes: bool) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
        yield writer.writerow(headers(show_codes=show_codes))
        for row in rows(entries, show_codes=show_codes):
            yield writer.writerow([_safe_csv(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(entries: QuerySet, *, show_codes: bool) -> FileResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit trail"))
    sheet.column_dimensions["A"].width = 20
    sheet.append(headers(show_codes=show_codes))
    for row in rows(entries, show_codes=show_codes):
        cells = []
        for value in row:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            cells.append(cell)
        sheet.append(cells)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    book.save(out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
