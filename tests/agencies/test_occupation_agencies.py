"""The catalogue's occupation page lists the agencies that may assess it (agencies fills the
catalog's ``catalog.occupation`` slot): by the region of the filing authority, with levels;
suspended and removed agencies left out; two queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies import queries
from catalog.models import Occupation
from portal.models import Agency, AgencyStatus
from tests.agencies.builders import list_agency

pytestmark = pytest.mark.django_db

ELECTRICIAN = "6-31-01-03"


@pytest.fixture
def listed(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    gd = list_agency(world, world.gd_agency, world.members["admin"], levels=("4", "3"))
    hlj = list_agency(world, world.hlj_agency, world.hlj_admin, levels=("5",))
    return gd, hlj


def page(client) -> str:
    url = reverse("catalog:occupation", args=[ELECTRICIAN])
    return client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def section(body: str) -> str:
    start = body.index('class="occupation-agencies"')
    return body[start : body.index("</section>", start)]


def test_agencies_by_province_with_their_levels_and_links(client, world, listed):
    part = section(page(client))
    assert "可评价本职业的评价机构" in part
    # Provinces by code: 黑龙江 (230000) before 广东 (440000).
    hlj_at, gd_at = part.index("<h3>黑龙江省</h3>"), part.index("<h3>广东省</h3>")
    assert hlj_at < part.index(world.hlj_agency.name) < gd_at < part.index(world.gd_agency.name)
    hlj_row = part[part.index(world.hlj_agency.name) : gd_at]
    assert "五级/初级工" in hlj_row and "四级" not in hlj_row
    assert "三级/高级工、四级/中级工" in part[gd_at:] and "五级" not in part[gd_at:]
    for agency in (world.gd_agency, world.hlj_agency):
        assert f'href="{reverse("agencies:directory_entry", args=[agency.pk])}"' in part


def test_suspended_and_removed_agencies_are_left_out(client, world, listed):
    Agency.objects.filter(pk=world.gd_agency.pk).update(status=AgencyStatus.SUSPENDED)
    Agency.objects.filter(pk=world.hlj_agency.pk).update(status=AgencyStatus.REMOVED)
    part = section(page(client))
    assert world.gd_agency.name not in part and world.hlj_agency.name not in part
    assert "目前没有可评价本职业的评价机构" in part


def test_another_occupation_lists_none_of_them(client, world, listed):
    other = Occupation.objects.exclude(code=ELECTRICIAN).filter(status="active").first()
    body = client.get(reverse("catalog:occupation", args=[other.code])).content.decode()
    assert world.gd_agency.name not in section(body)


def test_the_slot_costs_two_queries(world, listed):
    occupation = Occupation.objects.get(code=ELECTRICIAN)
    with CaptureQueriesContext(connection) as captured:
        groups = queries.agencies_for_occupation(occupation)
    assert len(captured.captured_queries) == 2
    assert [g["region"] for g in groups] == ["黑龙江省", "广东省"]
    assert [r["level_codes"] for g in groups for r in g["rows"]] == [["5"], ["3", "4"]]
