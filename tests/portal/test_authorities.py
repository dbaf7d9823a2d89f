"""The HRSS authorities' names and document-number prefixes (decision 0028): seeded for every
jurisdiction, kept by national officials in the browser, every change audited."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from portal import authorities, clock, codes
from portal.models import AuditEntry, Authority
from portal.reference import AUTHORITIES
from portal.roles import NATIONAL

pytestmark = pytest.mark.django_db

LIST = reverse("portal:authorities")
GD = reverse("portal:authority_edit", args=["440000"])


def test_every_jurisdiction_has_its_authority(world):
    assert set(AUTHORITIES) == {NATIONAL, *codes.PROVINCES}
    rows = dict(Authority.objects.values_list("jurisdiction", "name"))
    assert set(rows) == set(AUTHORITIES)
    assert rows["440000"] == "广东省人力资源和社会保障厅"
    assert rows["230000"] == "黑龙江省人力资源和社会保障厅"
    assert rows[NATIONAL] == "中华人民共和国人力资源和社会保障部"
    for code, (name, prefix) in AUTHORITIES.items():
        assert "人力资源和社会保障" in name and prefix.endswith("认定"), code
        if code != NATIONAL:
            assert name.startswith(codes.PROVINCES[code]), code


def test_the_migration_seeds_the_reference_rows():
    migration = importlib.import_module("portal.migrations.0012_authorities")
    assert migration.AUTHORITIES == AUTHORITIES


def test_letter_numbers_run_per_authority_and_year(world):
    gd, hlj = authorities.authority_for("440000"), authorities.authority_for("230000")
    with transaction.atomic():
        numbers = [authorities.letter_number(gd, 2027) for _ in range(2)]
        numbers += [authorities.letter_number(hlj, 2027), authorities.letter_number(gd, 2028)]
    assert numbers == [
        "粤人社认定〔2027〕1号",
        "粤人社认定〔2027〕2号",
        "黑人社认定〔2027〕1号",
        "粤人社认定〔2028〕1号",
    ]


def test_a_flushed_row_comes_back_from_the_reference_data(world):
    Authority.objects.filter(pk="460000").delete()
    assert authorities.authority_for("460000").name == "海南省人力资源和社会保障厅"


def test_national_officials_change_an_authority_with_an_audit_entry(world):
    gd = Authority.objects.get(pk="440000")
    authorities.change_authority(
        world.ministry, gd, name="广东省人力资源社会保障厅", letter_prefix="粤人社评"
    )
    gd.refresh_from_db()
    assert (gd.name, gd.letter_prefix) == ("广东省人力资源社会保障厅", "粤人社评")
    entry = AuditEntry.objects.filter(action="portal.authority.change").latest("created_at")
    assert entry.object_id == "440000"
    assert entry.changes["name"] == ["广东省人力资源和社会保障厅", "广东省人力资源社会保障厅"]
    assert entry.changes["letter_prefix"] == ["粤人社认定", "粤人社评"]


def test_an_unchanged_save_writes_no_entry(world):
    gd = Authority.objects.get(pk="440000")
    before = AuditEntry.objects.filter(action="portal.authority.change").count()
    authorities.change_authority(world.ministry, gd, name=gd.name, letter_prefix=gd.letter_prefix)
    assert AuditEntry.objects.filter(action="portal.authority.change").count() == before


@pytest.mark.parametrize("who", ["gd_official", "osta_national", "expert"])
def test_others_may_not_change_an_authority(world, who):
    gd = Authority.objects.get(pk="440000")
    with pytest.raises(PermissionDenied):
        authorities.change_authority(getattr(world, who), gd, name="某厅", letter_prefix="某人社")


@pytest.mark.parametrize("prefix", ["YR", "粤", "粤人社〔", "粤人社认定12"])
def test_a_prefix_is_chinese_characters_only(world, prefix):
    gd = Authority.objects.get(pk="440000")
    with pytest.raises(ValidationError) as info:
        authorities.change_authority(world.ministry, gd, name=gd.name, letter_prefix=prefix)
    assert "letter_prefix" in info.value.message_dict
    gd.refresh_from_db()
    assert gd.letter_prefix == "粤人社认定"


def test_the_page_lists_every_authority_for_national_officials(client, world):
    client.force_login(world.ministry)
    body = client.get(LIST).content.decode()
    assert body.count(reverse("portal:authority_edit", args=["110000"])) == 1
    assert "广东省人力资源和社会保障厅" in body and "粤人社认定〔年份〕N号" in body
    menu = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{LIST}"' in menu and "人社部门名称与文号" in menu
    client.force_login(world.gd_official)
    assert f'href="{LIST}"' not in client.get(reverse("portal:dashboard")).content.decode()


def test_the_form_saves_and_refuses_in_chinese(client, world):
    client.force_login(world.ministry)
    page = client.get(GD).content.decode()
    assert f"粤人社认定〔{clock.today().year}〕12号" in page  # the example of the number
    bad = client.post(GD, {"name": "广东省人力资源和社会保障厅", "letter_prefix": "GD"})
    assert bad.status_code == 200
    assert "文号代字为2至12个汉字" in bad.content.decode()
    assert "GD〔" not in bad.content.decode()  # the example shows the stored prefix
    assert Authority.objects.get(pk="440000").letter_prefix == "粤人社认定"
    fixed = {"name": "广东省人力资源和社会保障厅（更正）", "letter_prefix": "粤人社认定"}
    done = client.post(GD, fixed)
    assert done.status_code == 302 and done.url == LIST
    assert Authority.objects.get(pk="440000").name == "广东省人力资源和社会保障厅（更正）"
    assert AuditEntry.objects.filter(action="portal.authority.change", object_id="440000").exists()


def test_an_unknown_jurisdiction_is_not_found(client, world):
    client.force_login(world.ministry)
    assert client.get(reverse("portal:authority_edit", args=["999999"])).status_code == 404
    assert client.get("/workspace/authorities/%00/").status_code == 404


def test_the_audit_trail_links_the_authority_for_national_officials(world):
    from portal import audit

    url = reverse("portal:authority_edit", args=["440000"])
    assert audit.object_url(world.ministry, "portal.authority", "440000") == url
    assert audit.object_url(world.gd_official, "portal.authority", "440000") is None
