"""Spreadsheet and ZIP uploads: XLS, XLSX, ODS, CSV and ZIP told from their content, ZIP
limits, and ``portal.spreadsheets.read_rows`` over every format (decision 0033)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import documents
from portal.spreadsheets import read_rows

FIXTURES = Path(__file__).parent / "fixtures"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
TEXT_ID = {1: "请将证件号码列设为文本"}


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "证件号码", "参加工作日期"])
    sheet.append(["张三", "44030119900101123X", dt.date(2015, 7, 1)])
    sheet.append(["李四", 440301199001011234, dt.date(2018, 3, 1)])
    sheet.append([None, None, None])  # an empty row is skipped
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value) -> str:
    if isinstance(value, float):
        return f'<table:table-cell office:value-type="float" office:value="{value!r}"/>'
    cell = '<table:table-cell office:value-type="string">'
    return f"{cell}<text:p>{value}</text:p></table:table-cell>"


def ods_bytes() -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice and WPS write it."""
    rows = [["姓名", "证件号码"], ["张三", "44030119900101123X"], ["李四", 440301199001011234.0]]
    body = "".join(
        "<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="名单">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def check(name: str, data: bytes, allowed=(*documents.SPREADSHEETS, "zip")):
    return documents.validate_upload(SimpleUploadedFile(name, data), allowed=allowed)


# --- Types from the content -----------------------------------------------------------------


def test_each_type_is_told_from_its_content():
    xls = (FIXTURES / "roster.xls").read_bytes()
    assert check("名单.xls", xls).key == "xls"
    assert check("名单.xlsx", xlsx_bytes()).key == "xlsx"
    assert check("名单.ods", ods_bytes()).key == "ods"
    assert check("名单.csv", "姓名,证件号码\n张三,1\n".encode()).key == "csv"
    assert check("名单.csv", "姓名,证件号码\r\n张三,1\r\n".encode("gb18030")).key == "csv"
    assert check("照片.zip", zip_of({"a.png": PNG})).key == "zip"


def test_a_name_that_lies_about_the_content_is_refused():
    with pytest.raises(ValidationError) as info:
        check("名单.xlsx", (FIXTURES / "roster.xls").read_bytes())
    assert info.value.code == "name_mismatch"
    with pytest.raises(ValidationError) as info:
        check("名单.csv", b"\x00\x01binary")
    assert info.value.code == "bad_type"


def test_an_ole2_file_that_is_not_a_workbook_is_not_an_xls():
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert documents.sniff(fake[:16], fake) is None


# --- ZIP limits ---------------------------------------------------------------------------


def refusal(name: str, data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        check(name, data)
    return info.value


def test_zip_limits(settings):
    settings.ZIP_MAX_MEMBERS = 3
    four = zip_of({f"{i}.png": PNG for i in range(4)})
    error = refusal("照片.zip", four)
    assert error.code == "zip_members" and "最多" in error.messages[0]
    settings.ZIP_MAX_MEMBERS = 100
    settings.ZIP_MAX_UNCOMPRESSED_BYTES = 1000
    big = zip_of({"a.png": PNG + b"\x00" * 5000})
    assert refusal("照片.zip", big).code == "zip_too_large"


def test_zip_names_outside_the_archive_are_refused():
    for name in ("../etc/a.png", "/abs/a.png", "C:/x/a.png", "dir/../../a.png"):
        error = refusal("照片.zip", zip_of({name: PNG}))
        assert error.code == "zip_path" and name in error.messages[0]


def test_a_zip_inside_a_zip_is_refused():
    inner = zip_of({"a.png": PNG})
    error = refusal("照片.zip", zip_of({"more.zip": inner}))
    assert error.code == "zip_nested" and "more.zip" in error.messages[0]
    error = refusal("照片.zip", zip_of({"disguised.png": inner}))
    assert error.code == "zip_nested"


def test_zip_members_are_images_by_their_content():
    error = refusal("照片.zip", zip_of({"44030119900101123X.jpg": b"not an image at all"}))
    assert error.code == "zip_member_type" and "44030119900101123X.jpg" in error.messages[0]
    error = refusal("照片.zip", zip_of({"a.jpg": PNG}))  # a PNG named .jpg
    assert error.code == "zip_member_type"
    # Mac and Windows clutter is skipped; folders are fine.
    ok = zip_of({"照片/a.jpg": JPEG, "__MACOSX/照片/._a.jpg": b"\x00\x05", "照片/Thumbs.db": b"x"})
    assert check("照片.zip", ok).key == "zip"
    files = list(documents.archive_files(SimpleUploadedFile("照片.zip", ok)))
    assert files == [("a.jpg", JPEG)]


def test_a_damaged_zip_is_refused():
    data = zip_of({"a.png": PNG})
    assert refusal("照片.zip", data[:-30]).code in ("bad_zip", "bad_type")


# --- read_rows ------------------------------------------------------------------------------


def rows_of(data: bytes, **kwargs):
    return list(read_rows(io.BytesIO(data), text_columns=TEXT_ID, **kwargs))


@pytest.mark.parametrize("kind", ["xls", "xlsx", "ods"])
def test_a_number_in_a_text_column_is_refused_with_the_callers_message(kind):
    data = {
        "xls": lambda: (FIXTURES / "roster.xls").read_bytes(),
        "xlsx": xlsx_bytes,
        "ods": ods_bytes,
    }[kind]()
    header, good, bad = rows_of(data)
    assert header.values[:2] == ["姓名", "证件号码"] and header.number == 1
    assert good.values[:2] == ["张三", "44030119900101123X"] and not good.errors
    assert bad.number == 3 and bad[0] == "李四"
    assert bad[1] is None and bad.errors == {1: "请将证件号码列设为文本"}
    if kind != "ods":
        assert good[2] == dt.date(2015, 7, 1)


def test_csv_rows_are_text():
    data = "姓名,证件号码\r\n\r\n张三,44030119900101123X\r\n李四,440301199001011234\r\n"
    rows = rows_of(data.encode("gb18030"))
    assert [r.values for r in rows] == [
        ["姓名", "证件号码"],
        ["张三", "44030119900101123X"],
        ["李四", "440301199001011234"],
    ]
    assert [r.number for r in rows] == [1, 3, 4] and not any(r.errors for r in rows)
    semicolons = rows_of("姓名;证件号码\n张三;1\n".encode("utf-8-sig"))
    assert semicolons[1].values == ["张三", "1"]


def test_too_many_rows_and_not_a_spreadsheet_are_refused():
    with pytest.raises(ValidationError) as info:
        rows_of(xlsx_bytes(), max_rows=2)
    assert info.value.code == "too_many_rows"
    with pytest.raises(ValidationError) as info:
        rows_of(PNG)
    assert info.value.code == "bad_type" and "CSV" in info.value.messages[0]
    with pytest.raises(ValidationError) as info:
        list(read_rows(io.BytesIO(b"PK\x03\x04broken"), kind="xlsx"))
    assert info.value.code == "unreadable"
