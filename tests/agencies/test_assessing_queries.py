"""What assessments ask of agencies (Art 15, 16, 22, 27): the scope check on a date, whom an
agency may assess, and whether a worker is its own staff (affiliates included)."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies import queries
from agencies.models import AffiliatedEmployer, AffiliateStatus, DirectoryEntry, ScopeItem
from catalog.models import Occupation, SkillLevel, WorkType
from portal import clock
from portal.models import AgencyStatus
from tests.agencies.builders import list_agency, uscc

pytestmark = pytest.mark.django_db

ELECTRICIAN = "6-31-01-03"


@pytest.fixture
def listed(world, settings, tmp_path):
    """广东's social organisation listed for 电工 四级 and 三级 (any work type)."""
    settings.MEDIA_ROOT = tmp_path
    return list_agency(world, world.gd_agency, world.members["admin"])


def lv(code):
    return SkillLevel.objects.get(pk=code)


def electrician():
    return Occupation.objects.get(code=ELECTRICIAN)


def test_the_approved_scope_covers_it(listed, world):
    today = clock.today()
    assert queries.scope_refusal(world.gd_agency, electrician(), None, lv("4"), on=today) is None
    assert queries.scope_refusal(world.gd_agency, electrician(), None, lv("3"), on=today) is None


def test_a_level_outside_the_scope_is_refused(listed, world):
    refusal = queries.scope_refusal(world.gd_agency, electrician(), None, lv("5"), on=clock.today())
    assert refusal == "职业技能等级五级/初级工不在该机构的备案范围内。"


def test_an_occupation_outside_the_scope_is_refused(listed, world):
    other = Occupation.objects.exclude(code=ELECTRICIAN).first()
    refusal = queries.scope_refusal(world.gd_agency, other, None, lv("4"), on=clock.today())
    assert "不在该机构的备案范围内" in refusal and other.code in refusal


def test_work_types_narrow_the_scope(listed, world):
    occupation = electrician()
    item = ScopeItem.objects.get(entry=listed)
    chosen = WorkType.objects.create(occupation=occupation, code="01", name="维修电工甲")
    other = WorkType.objects.create(occupation=occupation, code="02", name="安装电工乙")
    today = clock.today()
    # An item without a work type covers every work type of the occupation.
    assert queries.scope_refusal(world.gd_agency, occupation, other, lv("4"), on=today) is None
    item.work_type = chosen
    item.save(update_fields=["work_type"])
    assert queries.scope_refusal(world.gd_agency, occupation, chosen, lv("4"), on=today) is None
    refusal = queries.scope_refusal(world.gd_agency, occupation, other, lv("4"), on=today)
    assert "工种" in refusal and "安装电工乙" in refusal
    refusal = queries.scope_refusal(world.gd_agency, occupation, None, lv("4"), on=today)
    assert "部分工种" in refusal


def test_the_agency_itself_is_checked_on_that_date(listed, world):
    agency = world.gd_agency
    after = listed.valid_until + dt.timedelta(days=1)
    assert "备案期限" in queries.scope_refusal(agency, electrician(), None, lv("4"), on=after)
    before = listed.valid_from - dt.timedelta(days=1)
    assert "备案期限" in queries.scope_refusal(agency, electrician(), None, lv("4"), on=before)
    agency.status = AgencyStatus.SUSPENDED
    agency.save(update_fields=["status"])
    refusal = queries.scope_refusal(agency, electrician(), None, lv("4"), on=clock.today())
    assert refusal == "该评价机构已被暂停。"
    agency.status = AgencyStatus.REMOVED
    agency.save(update_fields=["status"])
    refusal = queries.scope_refusal(agency, electrician(), None, lv("4"), on=clock.today())
    assert "退出目录" in refusal


def test_an_agency_never_listed_is_refused(world):
    world.hlj_agency.status = AgencyStatus.APPLICANT
    world.hlj_agency.save(update_fields=["status"])
    refusal = queries.scope_refusal(
        world.hlj_agency, electrician(), None, lv("4"), on=clock.today()
    )
    assert refusal == "该评价机构未列入评价机构目录。"


def test_who_an_agency_may_serve(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert queries.may_serve_others(world.gd_agency)  # a social organisation: anyone
    hlj = world.hlj_agency
    assert not queries.may_serve_others(hlj)  # an employer, not listed
    entry = list_agency(world, hlj, world.hlj_admin)
    assert not queries.may_serve_others(hlj)  # its own staff only
    DirectoryEntry.objects.filter(pk=entry.pk).update(may_serve_others=True)
    assert queries.may_serve_others(hlj)


def test_own_staff_are_the_agency_and_its_confirmed_affiliates(world):
    hlj = world.hlj_agency
    today = clock.today()
    assert queries.is_own_staff(hlj, {hlj.uscc}, on=today)
    assert queries.is_own_staff(hlj, {hlj.uscc.lower(), ""}, on=today)
    assert not queries.is_own_staff(hlj, set(), on=today)
    subsidiary = uscc("91230100MA1X00001")
    assert not queries.is_own_staff(hlj, {subsidiary}, on=today)
    affiliate = AffiliatedEmployer.objects.create(
        agency=hlj,
        name="龙江子公司",
        uscc=subsidiary,
        relation="全资子公司",
        declared_by=world.hlj_admin,
        declared_at=clock.now(),
    )
    assert not queries.is_own_staff(hlj, {subsidiary}, on=today)  # pending
    affiliate.status = AffiliateStatus.CONFIRMED
    affiliate.decided_by, affiliate.decided_at = world.hlj_official, clock.now()
    affiliate.save()
    assert queries.is_own_staff(hlj, {"91440300MA5F8G9H2K", subsidiary}, on=today)
    assert not queries.is_own_staff(hlj, {subsidiary}, on=today - dt.timedelta(days=1))
    assert not queries.is_own_staff(world.gd_agency, {subsidiary}, on=today)
    affiliate.status = AffiliateStatus.WITHDRAWN
    affiliate.save()
    assert not queries.is_own_staff(hlj, {subsidiary}, on=today)
