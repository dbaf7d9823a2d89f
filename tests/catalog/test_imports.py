"""Importing the occupation catalogue (Art 6): all or nothing, reported per line, no duplicates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from catalog.models import Occupation
from catalog.services import imports
from portal.access import SYSTEM
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADER = "code,name,major_category,work_type_count,marker,standard_edition\n"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_the_starting_catalogue_is_the_shared_csv():
    assert Occupation.objects.count() == 137
    electrician = Occupation.objects.get(code="6-31-01-03")
    assert electrician.name == "电工" and electrician.work_type_count == 4
    assert Occupation.objects.get(code="4-13-01-05").is_digital
    if (SHARED / "occupations.csv").exists():
        repo = (Path(__file__).resolve().parents[2] / "catalog/data/occupations.csv").read_text()
        assert repo == (SHARED / "occupations.csv").read_text()


def test_a_good_file_creates_updates_and_leaves_the_rest(tmp_path, capsys):
    path = tmp_path / "occ.csv"
    path.write_bytes(
        csv_bytes(
            "6-31-01-03,电工（新名）,6,4,,",
            "4-04-05-99,测试新职业,4,,S,",
            "4-01-06-01,电子商务师,4,,,",
        )
    )
    call_command("import_occupations", str(path))
    assert "new 1, updated 1, unchanged 1" in capsys.readouterr().out
    assert Occupation.objects.get(code="6-31-01-03").name == "电工（新名）"
    assert Occupation.objects.get(code="4-04-05-99").is_digital
    entry = AuditEntry.objects.get(action="catalog.occupation.import")
    assert entry.actor is None and entry.actor_label == "system" and len(entry.object_list) == 2
    # Importing the same file again changes nothing and duplicates nothing.
    call_command("import_occupations", str(path))
    assert "new 0, updated 0, unchanged 3" in capsys.readouterr().out
    assert Occupation.objects.filter(code="4-04-05-99").count() == 1


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("6-31-1-03,坏编码,6,,,", "不是"),
        ("6-31-01-03,,6,,,", "名称为空"),
        ("6-31-01-77,未知大类,9,,,", "未知的大类"),
        ("6-31-01-78,错大类,5,,,", "不属于大类"),
        ("6-31-01-79,坏标识,6,,X,", "标识"),
        ("6-31-01-80,坏数量,6,四,,", "整数"),
    ],
)
def test_each_bad_row_is_reported_with_its_line_and_nothing_is_written(
    tmp_path, capsys, row, reason
):
    before = Occupation.objects.count()
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes("4-04-05-98,好的新职业,4,,,", row))
    with pytest.raises(CommandError):
        call_command("import_occupations", str(path))
    err = capsys.readouterr().err
    assert "第3行" in err and reason in err
    assert Occupation.objects.count() == before
    assert not Occupation.objects.filter(code="4-04-05-98").exists()


def test_a_duplicate_code_in_the_file_names_both_lines():
    plan = imports.plan_import(csv_bytes("4-04-05-98,甲,4,,,", "4-04-05-98,乙,4,,,"))
    assert not plan.ok
    assert "第3行" in str(plan.errors[0]) and "第2行" in str(plan.errors[0])


def test_an_unreadable_xlsx_is_refused():
    plan = imports.plan_import(b"PK\x03\x04 this is no workbook", "occ.xlsx")
    assert not plan.ok and "XLSX" in str(plan.errors[0])


def test_a_missing_column_is_refused():
    plan = imports.plan_import("code,name\n6-31-01-03,电工\n".encode())
    assert not plan.ok and "major_category" in str(plan.errors[0])


def test_xlsx_and_gb18030_files_are_read():
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name", "major_category", "work_type_count", "marker"])
    ws.append(["4-04-05-97", "表格职业", 4, 2, "L"])
    buffer = io.BytesIO()
    wb.save(buffer)
    plan = imports.apply_import(SYSTEM, buffer.getvalue(), "occ.xlsx")
    assert plan.ok, plan.errors
    created = Occupation.objects.get(code="4-04-05-97")
    assert created.is_green and created.work_type_count == 2
    gb = (HEADER + "4-04-05-96,国标编码职业,4,,,\n").encode("gb18030")
    assert imports.apply_import(SYSTEM, gb, "occ.csv").ok
    assert Occupation.objects.filter(name="国标编码职业").exists()


def test_officials_without_the_right_cannot_import(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.apply_import(world.gd_official, csv_bytes("4-04-05-95,x,4,,,"))
    assert imports.apply_import(world.osta_national, csv_bytes("4-04-05-95,x,4,,,")).ok
