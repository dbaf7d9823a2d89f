"""basis_for (Art 17): the standard edition in force, else the agency's filed specification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from catalog import queries, services
from catalog.models import Method, Occupation, SkillLevel, SpecStatus, WorkType
from portal import clock

pytestmark = pytest.mark.django_db
D = dt.date


def lv(code: str) -> SkillLevel:
    return SkillLevel.objects.get(pk=code)


def levels(*codes: str, pass_mark: int = 60) -> list[services.LevelInput]:
    return [
        services.LevelInput(
            c,
            [
                services.MethodInput(Method.THEORY, 100, pass_mark, 90),
                services.MethodInput(Method.SKILL, 100, pass_mark, 120),
            ],
            [services.EligibilityInput("total_years", years=2, description="两年")],
        )
        for c in codes
    ]


@pytest.fixture
def electrician(world):
    occupation = Occupation.objects.get(code="6-31-01-03")
    old = services.create_standard(
        world.osta_national,
        occupation,
        title="电工国家职业技能标准",
        edition_year=2009,
        effective_from=D(2009, 7, 1),
        levels=levels("5", "4", "3", "2", "1", pass_mark=60),
    )
    new = services.create_standard(
        world.osta_national,
        occupation,
        title="电工国家职业技能标准",
        edition_year=2018,
        effective_from=D(2018, 12, 1),
        supersedes=old,
        levels=levels("5", "4", "3", "2", "1", pass_mark=65),
    )
    return occupation, old, new


def test_the_edition_in_force_on_the_date_governs(electrician):
    occupation, old, new = electrician
    on_2015 = queries.basis_for(occupation, lv("3"), on=D(2015, 1, 1))
    on_2019 = queries.basis_for(occupation, lv("3"), on=D(2019, 1, 1))
    assert on_2015.source == old and on_2015.reference == "2009年版"
    assert on_2019.source == new and on_2019.methods[0].pass_mark == 65
    assert queries.basis_for(occupation, lv("3"), on=D(2008, 1, 1)) is None
    # The day before and the day the new edition takes effect.
    assert queries.basis_for(occupation, lv("5"), on=D(2018, 11, 30)).source == old
    assert queries.basis_for(occupation, lv("5"), on=D(2018, 12, 1)).source == new


def test_basis_exposes_methods_ratios_and_eligibility(electrician):
    occupation, _old, _new = electrician
    with clock.frozen(D(2026, 11, 25)):
        basis = queries.basis_for(occupation, lv("4"))
    assert basis.kind == "standard" and basis.is_standard
    assert [m.method for m in basis.methods] == ["theory", "skill"]
    assert (
        basis.ratios.skill_min_examiners == 3
        and basis.ratios.theory_candidates_per_invigilator == 15
    )
    assert basis.eligibility[0].years == 2


@pytest.fixture
def four_level(world):
    occupation = Occupation.objects.get(code="6-20-03-03")  # 焊接材料制造工
    standard = services.create_standard(
        world.osta_national,
        occupation,
        title="焊接材料制造工国家职业技能标准",
        edition_year=2024,
        effective_from=D(2024, 6, 1),
        levels=levels("5", "4", "3", "2"),
    )
    return occupation, standard


def spec_for(world, occupation, codes, *, agency=None, work_type=None, file=True):
    agency = agency or world.gd_agency
    admin = world.members["admin"] if agency == world.gd_agency else world.hlj_admin
    spec = services.create_spec(
        admin,
        agency,
        occupation=occupation,
        title="规范",
        work_type=work_type,
        levels=levels(*codes),
    )
    if file:
        services.submit_spec(admin, spec)
        services.file_spec(world.osta_national, spec)
        spec.refresh_from_db()
    return spec


def test_a_filed_spec_covers_what_a_four_level_standard_leaves_out(world, four_level):
    occupation, standard = four_level
    with clock.frozen(D(2026, 3, 1)):
        spec = spec_for(world, occupation, ["1"])
        assert spec.status == SpecStatus.FILED and spec.filing_number == "备〔2026〕0001号"
        assert queries.basis_for(occupation, lv("2"), agency=world.gd_agency).source == standard
        assert queries.basis_for(occupation, lv("1"), agency=world.gd_agency).source == spec
        # Another agency cannot lean on it (Art 17: a basis for the agency that filed it).
        assert queries.basis_for(occupation, lv("1"), agency=world.hlj_agency) is None
        assert queries.basis_for(occupation, lv("1")) is None
    # Before the filing date it was not yet a basis.
    assert queries.basis_for(occupation, lv("1"), agency=world.gd_agency, on=D(2026, 2, 1)) is None


def test_a_spec_for_a_level_the_standard_covers_is_refused_with_the_reason(world, four_level):
    occupation, _standard = four_level
    spec = spec_for(world, occupation, ["2", "1"], file=False)
    with clock.frozen(D(2026, 3, 1)), pytest.raises(ValidationError) as info:
        services.submit_spec(world.members["admin"], spec)
    assert info.value.error_list[0].code == "covered_by_standard"
    assert "二级/技师" in info.value.messages[0]
    spec.refresh_from_db()
    assert spec.status == SpecStatus.DRAFT and not spec.reviews.exists()


def test_a_standard_that_takes_effect_later_blocks_filing_then(world):
    occupation = Occupation.objects.get(code="4-13-01-05")  # 全媒体运营师, no standard
    with clock.frozen(D(2026, 3, 1)):
        spec = spec_for(world, occupation, ["5"], file=False)
        services.submit_spec(world.members["admin"], spec)
    services.create_standard(
        world.osta_national,
        occupation,
        title="全媒体运营师国家职业技能标准",
        edition_year=2026,
        effective_from=D(2026, 4, 1),
        levels=levels("5"),
    )
    with clock.frozen(D(2026, 4, 2)), pytest.raises(ValidationError) as info:
        services.file_spec(world.osta_national, spec)
    assert info.value.error_list[0].code == "covered_by_standard"
    spec.refresh_from_db()
    assert spec.status == SpecStatus.SUBMITTED


def test_work_type_standards_and_specs(world):
    occupation = Occupation.objects.get(code="6-18-02-04")  # 焊工
    arc = WorkType.objects.create(occupation=occupation, name="焊条电弧焊工")
    gas = WorkType.objects.create(occupation=occupation, name="气体保护焊工")
    standard = services.create_standard(
        world.osta_national,
        occupation,
        title="焊工国家职业技能标准",
        edition_year=2018,
        effective_from=D(2018, 1, 1),
        levels=levels("5", "4"),
        work_types=[arc],
    )
    assert queries.basis_for(occupation, lv("5"), work_type=arc).source == standard
    assert queries.basis_for(occupation, lv("5"), work_type=gas) is None
    assert queries.basis_for(occupation, lv("5")) is None
    with clock.frozen(D(2026, 1, 5)):
        spec = spec_for(world, occupation, ["5"], work_type=gas)
    assert (
        queries.basis_for(occupation, lv("5"), work_type=gas, agency=world.gd_agency).source == spec
    )
    assert (
        queries.basis_for(occupation, lv("5"), work_type=arc, agency=world.gd_agency).source
        == standard
    )


def test_a_whole_occupation_standard_covers_every_work_type(world, electrician):
    occupation, _old, new = electrician
    wt = WorkType.objects.create(occupation=occupation, name="维修电工")
    assert queries.basis_for(occupation, lv("3"), work_type=wt).source == new


def test_employer_only_tiers(world):
    principal = lv("principal")
    assert services.level_allowed_for("Y", principal)
    assert not services.level_allowed_for("S", principal)
    assert services.level_allowed_for("S", lv("1"))
    with pytest.raises(ValidationError) as info:
        services.check_level_allowed("S", principal)
    assert info.value.code == "employer_only_level"
    occupation = Occupation.objects.get(code="4-13-01-05")
    with pytest.raises(ValidationError):  # the social organisation cannot put the tier in a spec
        services.create_spec(
            world.members["admin"],
            world.gd_agency,
            occupation=occupation,
            title="x",
            levels=levels("principal"),
        )
    spec = services.create_spec(
        world.hlj_admin,
        world.hlj_agency,
        occupation=occupation,
        title="企业特级技师规范",
        levels=levels("principal"),
    )
    assert spec.levels.get().level == principal


def test_a_new_edition_must_come_after_the_old_and_only_once(world, electrician):
    occupation, old, new = electrician
    with pytest.raises(ValidationError):
        services.create_standard(
            world.osta_national,
            occupation,
            title="电工",
            edition_year=2020,
            effective_from=D(2020, 1, 1),
            supersedes=old,
            levels=levels("5"),
        )
    with pytest.raises(ValidationError):
        services.create_standard(
            world.osta_national,
            occupation,
            title="电工",
            edition_year=2017,
            effective_from=D(2017, 1, 1),
            supersedes=new,
            levels=levels("5"),
        )


def test_comprehensive_review_only_for_levels_two_and_one(world):
    occupation = Occupation.objects.get(code="4-13-01-05")
    bad = [services.LevelInput("3", [services.MethodInput(Method.REVIEW)])]
    with pytest.raises(ValidationError, match="综合评审"):
        services.create_standard(
            world.osta_national,
            occupation,
            title="x",
            edition_year=2025,
            effective_from=D(2025, 1, 1),
            levels=bad,
        )
