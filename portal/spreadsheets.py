"""Reading spreadsheets people upload: XLSX, XLS and ODS (what Excel and WPS save) through
python-calamine, CSV through the csv module (decision 0033).

``read_rows`` yields each non-empty row of the first sheet with the row number a user sees in
the program, its values and the errors of its cells. A column declared text refuses a cell
the program stored as a number (Excel has already turned an 18-digit ID number into
4.40301199001011E+17 and lost its last digits): the caller says, column by column, what to
tell the user, e.g. 「请将证件号码列设为文本」.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal import documents

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass
class Row:
    """One row: ``number`` as the spreadsheet program shows it (1 for the first row), the
    cells (strings stripped, empty cells ``""``), and the errors by column index."""

    number: int
    values: list[Cell]
    errors: dict[int, str] = field(default_factory=dict)

    def __getitem__(self, index: int) -> Cell:
        return self.values[index] if index < len(self.values) else ""

    def __len__(self) -> int:
        return len(self.values)


def _data(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


def _csv_rows(data: bytes) -> Iterator[list[Cell]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(
            _("The CSV file is neither UTF-8 nor GB 18030 text."), code="csv_encoding"
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def _book_rows(data: bytes) -> Iterator[list[Cell]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            return
        sheet = book.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as exc:  # calamine raises its own errors for damaged files
        raise ValidationError(
            _("The spreadsheet cannot be read: it is damaged or protected by a password."),
            code="unreadable",
        ) from exc
    yield from rows


def read_rows(
    file,
    *,
    kind: str | None = None,
    text_columns: Mapping[int, str] | None = None,
    max_rows: int | None = None,
) -> Iterator[Row]:
    """The non-empty rows of the first sheet of ``file`` (an upload, a file or bytes).

    ``kind`` is one of ``documents.SPREADSHEETS``, decided from the content when not given.
    ``text_columns`` maps a column index to the message for a number found in it; such a cell
    is given as ``None`` with the message in ``Row.errors``. More than ``max_rows`` non-empty
    rows are refused as a whole.
    """
    data = _data(file)
    kind = kind or documents.sniff(data[:16], data)
    if kind not in documents.SPREADSHEETS:
        raise ValidationError(
            _("This is not a spreadsheet. Accepted: %(types)s.")
            % {"types": "、".join(documents.FILE_TYPES[k].label for k in documents.SPREADSHEETS)},
            code="bad_type",
        )
    text_columns = text_columns or {}
    source = _csv_rows(data) if kind == "csv" else _book_rows(data)
    count = 0
    for number, cells in enumerate(source, start=1):
        values = [c.strip() if isinstance(c, str) else ("" if c is None else c) for c in cells]
        if not any(v != "" for v in values):
            continue
        count += 1
        if max_rows is not None and count > max_rows:
            raise ValidationError(
                _("The file has more than %(limit)d rows; split it.") % {"limit": max_rows},
                code="too_many_rows",
            )
        row = Row(number, values)
        for index, message in text_columns.items():
            value = row[index]
            if isinstance(value, int | float) and not isinstance(value, bool):
                row.values[index] = None
                row.errors[index] = message
        yield row


def cell_text(value: Cell) -> str:
    """A cell as the text typed into it: empty for none, ``12.0`` read back as ``12`` (calamine
    returns whole numbers as floats), surrounding spaces stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
