"""Legacy certificate records (Art 4; decision 0046): testing-centre staff import certificates
issued before the portal (16-digit) or elsewhere (22-character): all or nothing with a
per-row report, idempotent, scoped to the jurisdiction; an imported 22-character number
moves its counter past it, and the next issuance continues after it."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from certificates import services
from certificates.models import Certificate, LegacyCertificate, LegacyImport
from certificates.services import legacy, numbering
from portal import counters
from portal.models import AuditEntry
from tests.certificates.builders import candidate_number, final_session
from tests.certificates.legacy_helpers import csv, row

pytestmark = pytest.mark.django_db

HEAD16 = "4401061907000123"  # a 16-digit 职业资格证书 number
N22 = "S000044000101194000050"  # issued 2019 at world's site, level 4, sequence 50
N22_NOW = "S000044000101{yy}4000040"  # this year's scope of world's site, level 4


def _good(yy: str) -> bytes:
    return csv(
        row(HEAD16, "李四光", candidate_number(1), level="高级工", issued="2012-05-01"),
        row(N22, "王五", candidate_number(2), issued="2019-06-30"),
        row(N22_NOW.format(yy=yy), "赵六", candidate_number(3), issued=f"20{yy}-01-05"),
    )


@pytest.fixture
def yy():
    from portal import clock

    return f"{clock.today().year % 100:02d}"


def test_stage_then_apply_imports_every_row(world, yy):
    osta = world.osta_national
    batch = legacy.stage(osta, _good(yy), source="广州市职业技能鉴定指导中心", file_name="a.csv")
    assert batch.total_rows == 3 and batch.error_rows == 0
    assert not LegacyCertificate.objects.exists()  # staged only
    assert candidate_number(1) not in str(batch.rows)  # never plain in the staged copy
    legacy.apply(osta, batch)
    old = LegacyCertificate.objects.get(number=HEAD16)
    assert old.is_legacy_format and old.level_code == "3" and old.level_display == "三级/高级工"
    assert old.id_number == candidate_number(1) and old.id_index
    assert old.source == "广州市职业技能鉴定指导中心" and old.imported_from == batch
    assert old.imported_by == osta and old.imported_at
    assert old.work_type_name == "--"
    batch.refresh_from_db()
    assert batch.state == "applied" and batch.added == 3 and batch.skipped == 0
    assert candidate_number(1) not in str(batch.rows)
    entry = AuditEntry.objects.filter(action="certificates.legacy.apply").get()
    assert candidate_number(1) not in str(entry.changes)


def test_one_bad_row_imports_nothing(world, yy):
    osta = world.osta_national
    data = csv(
        row(HEAD16, "李四光", candidate_number(1)),
        row("123", "王五", candidate_number(2)),  # bad number
        row(N22, "赵六", "110101199003070000"),  # bad ID check digit
        row(N22[:-2] + "51", "钱七", candidate_number(4), level="三级"),  # level ≠ digit 4
    )
    batch = legacy.stage(osta, data, source="某中心")
    assert batch.error_rows == 3
    errors = {r["row"]: r["errors"] for r in batch.rows if r["errors"]}
    assert set(errors) == {3, 4, 5}
    assert "number" in errors[3] and "id_number" in errors[4] and "level" in errors[5]
    with pytest.raises(ValidationError):
        legacy.apply(osta, batch)
    assert not LegacyCertificate.objects.exists()
    assert LegacyImport.objects.get().state == "staged"
    key = numbering.counter_key(numbering.NumberScope("S000044000101", "19", "4"))
    assert counters.peek(key) == 0


def test_reimport_adds_nothing_and_other_facts_are_refused(world, yy):
    osta = world.osta_national
    legacy.apply(osta, legacy.stage(osta, _good(yy), source="中心"))
    again = legacy.stage(osta, _good(yy), source="中心")
    assert again.error_rows == 0 and all(r["already"] for r in again.rows)
    legacy.apply(osta, again)
    again.refresh_from_db()
    assert again.added == 0 and again.skipped == 3
    assert LegacyCertificate.objects.count() == 3
    changed = legacy.stage(osta, csv(row(HEAD16, "李四", candidate_number(1))), source="中心")
    assert changed.error_rows == 1 and "number" in changed.rows[0]["errors"]
    dup = legacy.stage(osta, csv(row(HEAD16, "李", candidate_number(9)), row(HEAD16, "李", candidate_number(9))), source="x")  # fmt: skip  # noqa: E501
    assert dup.error_rows >= 1


def test_counter_moved_and_issuance_continues_after(world, yy):
    osta = world.osta_national
    legacy.apply(osta, legacy.stage(osta, _good(yy), source="中心"))
    key = numbering.counter_key(numbering.NumberScope("S000044000101", "19", "4"))
    assert counters.peek(key) == 50
    now_key = numbering.counter_key(numbering.NumberScope("S000044000101", yy, "4"))
    assert counters.peek(now_key) == 40
    # No counter for a 16-digit number: the portal never allocates one.
    assert not counters.Counter.objects.filter(key__contains="4401061907").exists()
    session = final_session(world, 2)
    services.issue_certificates(world.members["admin"], [session])
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"S000044000101{yy}4000041", f"S000044000101{yy}4000042"]
    # A number the portal issued cannot then be imported as legacy.
    clash = legacy.stage(osta, csv(row(numbers[0], "孙八", candidate_number(7), issued=f"20{yy}-01-02")), source="x")  # fmt: skip  # noqa: E501
    assert clash.error_rows == 1
    # The counter never moves back when a lower number is imported.
    lower = N22_NOW.format(yy=yy)[:-2] + "05"
    legacy.apply(osta, legacy.stage(osta, csv(row(lower, "周九", candidate_number(8), issued=f"20{yy}-01-03")), source="x"))  # fmt: skip  # noqa: E501
    assert counters.peek(now_key) == 42


def test_provincial_centre_imports_its_province_only(world, yy):
    gd = world.osta_gd
    hlj_number = "S000023000101194000001"
    batch = legacy.stage(gd, csv(row(hlj_number, "吴十", candidate_number(5))), source="x")
    assert "number" in batch.rows[0]["errors"]
    own = legacy.stage(gd, csv(row(HEAD16, "吴十", candidate_number(5))), source="x")
    assert own.error_rows == 0 and own.province == "440000"
    from certificates import queries

    assert list(queries.legacy_imports_for(world.osta_national)) == [own, batch]
    assert own in queries.legacy_imports_for(gd)
    national = legacy.stage(world.osta_national, _good(yy), source="x")
    assert national not in queries.legacy_imports_for(gd)


def test_only_testing_centre_staff(world):
    with pytest.raises(ValidationError):
        legacy.stage(world.members["admin"], csv(row(HEAD16, "吴十", candidate_number(5))), source="x")  # fmt: skip  # noqa: E501


def test_numbers_typed_as_numbers_and_missing_headings(world):
    osta = world.osta_national
    with pytest.raises(ValidationError):
        legacy.stage(osta, b"a,b\n1,2\n", source="x")
    book = legacy.template()
    assert book[:2] == b"PK"
    from portal import spreadsheets

    header = next(spreadsheets.read_rows(book))
    assert header.values[:4] == ["证书编号", "姓名", "证件类型", "证件号码"]


def test_legacy_lookup_by_number(world, yy):
    from certificates import queries

    osta = world.osta_national
    legacy.apply(osta, legacy.stage(osta, _good(yy), source="中心"))
    assert queries.legacy_by_number(f" {HEAD16} ").holder_name == "李四光"
    assert queries.legacy_by_number(N22).number == N22
    assert queries.legacy_by_number("nope") is None


def test_demo_imports_once_with_a_16_digit_number(world):
    from certificates import demo_legacy
    from portal.models import Agency
    from tests.assessments.builders import ready_agency

    ready_agency(world, levels=("4",))  # the site gets its serial
    Agency.objects.filter(pk=world.gd_agency.pk).update(is_demo=True)
    out = io.StringIO()
    assert demo_legacy.seed(out) == 3, out.getvalue()
    assert demo_legacy.seed() == 0
    numbers = set(LegacyCertificate.objects.values_list("number", flat=True))
    assert any(len(n) == 16 for n in numbers) and "S000044000101234000120" in numbers
    key = numbering.counter_key(numbering.NumberScope("S000044000101", "23", "4"))
    assert counters.peek(key) == 120


def test_command_checks_then_applies(world, tmp_path, yy):
    from django.core.management import CommandError, call_command

    path = tmp_path / "l.csv"
    path.write_bytes(_good(yy))
    call_command("import_legacy_certificates", str(path), source="中心", user="osta_gd")
    assert not LegacyCertificate.objects.exists()
    call_command("import_legacy_certificates", str(path), source="中心", user="osta_national", apply=True)  # fmt: skip  # noqa: E501
    assert LegacyCertificate.objects.count() == 3
    path.write_bytes(csv(row("12", "甲", candidate_number(1))))
    with pytest.raises(CommandError):
        call_command("import_legacy_certificates", str(path), source="中心", user="osta_national")
