"""The roster import (Art 18; decision 0035): the template, the preview column by column, all
rows or none, idempotent, photos by ID number, the numeric ID cell, the command line."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from assessments.models import BatchStatus, Candidate, Enrolment, RosterBatch
from assessments.services import imports
from portal import clock
from portal.models import AuditEntry
from tests.assessments.builders import open_session, resident_id
from tests.assessments.test_candidates import _image

pytestmark = pytest.mark.django_db

OWN = "91440300MA5F8G9H2K"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def idn(n: int) -> str:
    return resident_id(f"44030519900101{n:03d}")


def row(n: int, **over) -> list:
    values = {
        "real_name": f"王考生{n}",
        "id_type": "居民身份证",
        "id_number": idn(n),
        "phone": "13900139000",
        "email": "",
        "employer_name": "广东测试机构",
        "employer_uscc": OWN,
        "dispatched": "否",
        "work_unit_name": "",
        "work_unit_uscc": "",
        "education": "",
        "started_on": (clock.today() - dt.timedelta(days=8 * 366)).isoformat(),
        "prior_number": "",
        "prior_level": "",
        "prior_date": "",
    }
    values.update(over)
    return [values[k] for k in imports.KEYS]


def xlsx(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("名单.xlsx", imports.template(rows))


@pytest.fixture
def id_type_label(settings):
    return dict(imports.id_type_names().items())


def test_the_template_has_chinese_headers_drop_downs_and_text_id_column():
    book = load_workbook(io.BytesIO(imports.template()))
    sheet = book["报名名单"]
    assert [c.value for c in sheet[1]][:3] == ["姓名", "证件类型", "证件号码"]
    assert sheet["C2"].number_format == "@"
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert len(lists) == 4 and all(f.startswith("=选项!") for f in lists)
    assert "居民身份证" in [c.value for c in book["选项"]["A"]]


def test_a_roster_with_bad_rows_changes_nothing_and_says_why_column_by_column(world):
    session = open_session(world)
    admin = world.members["admin"]
    cs_done = Candidate.objects.count()
    rows = [
        row(1),
        row(2, id_number=idn(2)[:-1] + ("0" if idn(2)[-1] != "0" else "1")),  # check char
        row(3, started_on=clock.today().isoformat()),  # ineligible
        row(1, real_name="重复"),  # twice in the file
        row(5, employer_uscc="91440101MA59ABCD1X", phone="12"),  # bad phone
        row(6, education="博士后"),
    ]
    batch = imports.stage(admin, session, xlsx(rows))
    assert batch.status == BatchStatus.STAGED and batch.total_rows == 6
    assert batch.error_rows == 5
    errors = {r.number: r.errors for r in batch.rows.all()}
    assert errors[2] == {}
    assert "id_number" in errors[3]
    assert set(errors[4]) == {"eligibility"} and "累计从事本职业6年" in errors[4]["eligibility"]
    assert "row 2" in errors[5]["id_number"] or "第 2 行" in errors[5]["id_number"]
    assert "phone" in errors[6]
    assert "education" in errors[7]
    with pytest.raises(ValidationError) as exc:
        imports.apply(admin, batch)
    assert exc.value.code == "row_errors"
    assert Enrolment.objects.count() == 0 and Candidate.objects.count() == cs_done
    report = load_workbook(io.BytesIO(imports.error_report(batch))).active
    lines = list(report.iter_rows(values_only=True))
    assert lines[0][-1] == "错误说明" and lines[2][-1].startswith("证件号码：")
    assert idn(1) not in str(lines)


def test_fixed_roster_applies_every_row_once_and_again_adds_nothing(world):
    session = open_session(world)
    admin = world.members["admin"]
    imports.stage(admin, session, xlsx([row(1), row(2, started_on="")]))
    batch = imports.stage(admin, session, xlsx([row(1), row(2)]))
    assert batch.error_rows == 0
    assert imports.apply(admin, batch) == 2
    assert session.enrolments.count() == 2
    assert imports.apply(admin, batch) == 0  # applying again adds nothing
    again = imports.stage(admin, session, xlsx([row(1), row(2)]))
    assert again.error_rows == 2  # both already enrolled
    assert all("id_number" in r.errors for r in again.rows.all())
    with pytest.raises(ValidationError):
        imports.apply(admin, again)
    assert session.enrolments.count() == 2
    assert AuditEntry.objects.filter(action="assessments.roster.apply").count() == 1
    assert Enrolment.objects.filter(batch=batch, source="roster").count() == 2


def test_a_numeric_id_cell_is_refused_with_the_text_hint(world):
    session = open_session(world)
    batch = imports.stage(world.members["admin"], session, xlsx([row(1, id_number=int(idn(1)))]))
    (only,) = batch.rows.all()
    assert only.errors["id_number"] == "请将证件号码列设为文本"


def test_capacity_is_checked_row_by_row(world):
    session = open_session(world, capacity=2)
    batch = imports.stage(world.members["admin"], session, xlsx([row(1), row(2), row(3)]))
    errors = [r.errors for r in batch.rows.all()]
    assert errors[:2] == [{}, {}] and "capacity" in errors[2]


def test_an_employer_agency_roster_refuses_other_employers_staff(world):
    from portal.models import AgencyKind

    world.gd_agency.kind = AgencyKind.EMPLOYER
    world.gd_agency.save(update_fields=["kind"])
    session = open_session(world)
    batch = imports.stage(
        world.members["admin"],
        session,
        xlsx([row(1), row(2, employer_uscc="91440101MA59ABCD1X")]),
    )
    errors = [r.errors for r in batch.rows.all()]
    assert errors[0] == {} and "employer_uscc" in errors[1]


def test_photos_are_matched_by_id_number_and_unmatched_listed(world):
    session = open_session(world)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"{idn(1)}.jpg", _image())
        z.writestr("陌生人.jpg", _image())
        z.writestr(f"{idn(2)}.png", _image((100, 100), kind="PNG", exif=False))
    photos = SimpleUploadedFile("照片.zip", archive.getvalue())
    admin = world.members["admin"]
    batch = imports.stage(admin, session, xlsx([row(1), row(2), row(3)]), photos=photos)
    rows = {r.number: r for r in batch.rows.all()}
    assert rows[2].photo_name == idn(1) and rows[2].errors == {}
    assert "photo" in rows[3].errors
    assert rows[4].photo_name == ""
    assert batch.unmatched_photos == ["陌生人"]


def test_a_large_roster_is_checked_by_the_task_with_progress(
    world, django_capture_on_commit_callbacks
):
    session = open_session(world)
    with django_capture_on_commit_callbacks(execute=True):
        batch = imports.stage(
            world.members["admin"], session, xlsx([row(1), row(2)]), run_now=False
        )
        assert batch.status == BatchStatus.READING and batch.progress == 0
    batch = RosterBatch.objects.get(pk=batch.pk)
    assert batch.status == BatchStatus.STAGED and batch.progress == 100
    assert batch.checked_rows == 2


def test_registration_not_open_refuses_the_upload(world):
    session = open_session(world, registration_closes=clock.today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        imports.stage(world.members["admin"], session, xlsx([row(1)]))
    assert not RosterBatch.objects.exists()


def test_not_a_spreadsheet_or_wrong_headers(world):
    session = open_session(world)
    with pytest.raises(ValidationError) as exc:
        imports.stage(world.members["admin"], session, SimpleUploadedFile("a.xlsx", b"hello"))
    assert "roster" in exc.value.message_dict
    csv = SimpleUploadedFile("a.csv", "名字,证件\n张三,1\n".encode())
    batch = imports.stage(world.members["admin"], session, csv)
    assert batch.status == BatchStatus.FAILED and "姓名" in batch.file_error


def test_command_previews_applies_and_writes_the_template(world, tmp_path, capsys):
    session = open_session(world)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(imports.template([row(1), row(2, phone="1")]))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_roster", str(session.pk), str(bad))
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "第 3 行：手机号码：" in out and idn(1) not in out
    assert not Enrolment.objects.exists() and not RosterBatch.objects.exists()
    with pytest.raises(SystemExit):
        call_command("import_roster", str(session.pk), str(bad), "--apply")
    assert not Enrolment.objects.exists()
    good = tmp_path / "good.xlsx"
    good.write_bytes(imports.template([row(1), row(2)]))
    call_command("import_roster", str(session.pk), str(good))
    call_command("import_roster", str(session.pk), str(good), "--apply")
    assert session.enrolments.count() == 2
    out_file = tmp_path / "t.xlsx"
    call_command("import_roster", "--template", str(out_file))
    assert load_workbook(out_file)["报名名单"]["A1"].value == "姓名"
