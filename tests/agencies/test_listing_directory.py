"""The public agency directory (Art 15, 22): search, filters, the entry page; applicants and
rejected organisations never appear."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agencies import services
from agencies.models import DirectoryEntry
from portal.models import Agency, AgencySite, AgencyStatus
from tests.agencies.builders import fill, gd_call, listed_agency, register, uscc
from tests.catalog.builders import electrician_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    electrician_standard(world.osta_national)
    call = gd_call(world)
    _u, employer, _a = listed_agency(
        world, "珠江电力职业技能评价中心", "91440101MA5CKD7E1", kind="Y", call=call
    )
    _u, social, _a = listed_agency(
        world, "岭南技能培训评价有限公司", "91440101MA5CKD7E2", kind="S", call=call
    )
    # An applicant with a draft, and a rejected one: neither is listed.
    user, applicant = register("申请中评价机构", uscc("91440101MA5CKD7E3"))
    services.start_application(user, applicant, call)
    user, rejected = register("被驳回评价机构", uscc("91440101MA5CKD7E4"))
    application = fill(user, services.start_application(user, rejected, call))
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=False
    )
    services.decide(world.gd_official, application, approve=False, reasons="不符合条件。")
    return {"employer": employer, "social": social, "applicant": applicant, "rejected": rejected}


def page(client, **params) -> str:
    return client.get(reverse("agencies:directory"), params).content.decode()


def test_the_header_links_the_directory(client, world):
    body = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("agencies:directory")}"' in body


def test_applicants_and_rejected_never_appear(client, agencies):
    body = page(client)
    assert "珠江电力职业技能评价中心" in body and "岭南技能培训评价有限公司" in body
    assert "申请中评价机构" not in body and "被驳回评价机构" not in body
    for key in ("applicant", "rejected"):
        url = reverse("agencies:directory_entry", args=[agencies[key].pk])
        assert client.get(url).status_code == 404
    assert "申请中评价机构" not in page(client, q="申请中")
    assert "被驳回评价机构" not in page(client, q="驳回")


def test_search_by_name_and_filters(client, world, agencies):
    body = page(client, q="珠江")
    assert "珠江电力" in body and "岭南" not in body
    body = page(client, kind="S")
    assert "岭南" in body and "珠江电力" not in body
    body = page(client, province="440000")
    assert "岭南" in body and "珠江电力" in body
    assert "岭南" not in page(client, province="230000")
    assert "珠江电力" in page(client, occupation="6-31-01")
    assert "珠江电力" in page(client, occupation="电工")
    assert "珠江电力" not in page(client, occupation="车工")
    assert "珠江电力" in page(client, level="3")
    assert "珠江电力" not in page(client, level="1")


def test_suspended_and_lapsed_agencies_are_marked(client, agencies):
    Agency.objects.filter(pk=agencies["employer"].pk).update(status=AgencyStatus.SUSPENDED)
    Agency.objects.filter(pk=agencies["social"].pk).update(status=AgencyStatus.LAPSED)
    body = page(client)
    assert "珠江电力" in body and "岭南" in body
    assert 'class="badge warn"' in body and 'class="badge neutral"' in body
    Agency.objects.filter(pk=agencies["social"].pk).update(status=AgencyStatus.REMOVED)
    assert "岭南" not in page(client)


def test_the_entry_shows_scope_sites_and_term(client, world, agencies):
    agency = agencies["employer"]
    entry = DirectoryEntry.objects.get(agency=agency)
    body = client.get(reverse("agencies:directory_entry", args=[agency.pk])).content.decode()
    assert "珠江电力职业技能评价中心" in body and "广东省" in body
    assert "6-31-01-03" in body and "--" in body  # no work type
    assert "四级/中级工" in body and "三级/高级工" in body
    assert "电工国家职业技能标准" in body
    assert "广州考点" in body
    assert str(entry.valid_until.year) in body
    # The contact person's line is for the authority; none was chosen for publication.
    assert "020-12345678" not in body and "未公布联系方式" in body
    site = AgencySite.objects.get(agency=agency)
    assert not site.site_serial  # awaiting its serial from the province
    services.assign_site_serial(world.gd_official, site)
    site.refresh_from_db()
    body = client.get(reverse("agencies:directory_entry", args=[agency.pk])).content.decode()
    assert site.site_serial in body


def test_the_directory_paginates_and_keeps_filters(client, world, agencies):
    body = page(client, q="评价", page="1")
    assert "珠江电力" in body
    assert client.get(reverse("agencies:directory"), {"page": "99"}).status_code == 200


DIRECTORY_NOTE = "部分筛选条件的取值无法识别，已忽略："


def test_an_empty_directory_search_says_what_to_try(client, world):
    body = page(client, q="没有这个机构")
    assert "可尝试输入机构名称中的部分文字、职业代码前缀（如 6-31）" in body
    assert f'href="{reverse("agencies:directory")}"' in body
    assert f'href="{reverse("agencies:removed_agencies")}"' in body


def test_bad_directory_filters_are_ignored_with_a_note(client, agencies):
    body = page(client, q="珠江", province="999999", level="abc", kind="Q")
    assert DIRECTORY_NOTE in body and 'class="error"' not in body
    for label in ("省份", "等级", "类型"):
        assert label in body.split(DIRECTORY_NOTE, 1)[1].split("</p>", 1)[0]
    # The valid filter (the name) still applies.
    assert "珠江电力职业技能评价中心" in body and "岭南技能培训评价有限公司" not in body
    assert DIRECTORY_NOTE not in page(client, q="珠江")
