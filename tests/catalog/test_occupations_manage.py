"""Officials' catalogue pages: occupations and work types, the import with its preview,
national standards with their levels (Art 6, 8)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog import services
from catalog.models import (
    EligibilityRule,
    LevelRequirement,
    Method,
    MethodRequirement,
    NationalStandard,
    Occupation,
    SkillLevel,
    WorkType,
)
from catalog.queries import basis_for
from portal.models import AuditEntry
from tests.catalog.builders import level_data, standard_post

pytestmark = pytest.mark.django_db

ELECTRICIAN = "6-31-01-03"
MEDIA = "4-13-01-05"  # 全媒体运营师: no standard
HEADER = "code,name,major_category,work_type_count,marker,standard_edition\n"


def csv_file(*rows: str, name: str = "occupations.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "\n".join(rows) + "\n").encode(), "text/csv")


@pytest.fixture
def keeper(client, world):
    client.force_login(world.osta_national)
    return client


def the_standard(world, code=ELECTRICIAN, **kwargs) -> NationalStandard:
    occupation = Occupation.objects.get(code=code)
    return services.create_standard(
        world.osta_national,
        occupation,
        title="电工国家职业技能标准",
        edition_year=2018,
        effective_from=dt.date(2018, 12, 1),
        levels=[
            services.LevelInput(
                "5",
                [services.MethodInput(Method.THEORY, 100, 60, 90)],
                [services.EligibilityInput("total_years", years=1, description="一年")],
            )
        ],
        **kwargs,
    )


# --- Who may open the pages ----------------------------------------------------------------


def page_urls(world) -> list[str]:
    standard = the_standard(world)
    return [
        reverse("catalog:manage_occupations"),
        reverse("catalog:manage_occupation_new"),
        reverse("catalog:manage_occupation", args=[ELECTRICIAN]),
        reverse("catalog:manage_occupation_edit", args=[ELECTRICIAN]),
        reverse("catalog:manage_import"),
        reverse("catalog:manage_standards"),
        reverse("catalog:manage_standard_new"),
        reverse("catalog:manage_standard_new") + f"?occupation={MEDIA}",
        reverse("catalog:manage_standard_edit", args=[standard.pk]),
        reverse("catalog:manage_standard_document", args=[standard.pk]),
    ]


def test_national_keepers_open_every_page_others_are_refused(client, world):
    urls = page_urls(world)
    for user in (world.osta_national, world.ministry):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    refused = (
        world.gd_official,
        world.hlj_official,
        world.osta_gd,
        world.expert,
        world.inspector,
        world.nobody,
        *world.members.values(),
        world.hlj_admin,
    )
    for user in refused:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_posts_by_an_official_without_the_right_change_nothing(client, world):
    client.force_login(world.gd_official)
    response = client.post(
        reverse("catalog:manage_occupation_new"),
        {"code": "4-04-05-97", "name": "无权", "major_category": "4", "source": "published_later"},
    )
    assert response.status_code == 403
    assert not Occupation.objects.filter(code="4-04-05-97").exists()


def test_a_missing_occupation_or_standard_is_404(keeper):
    assert keeper.get(reverse("catalog:manage_occupation", args=["8-99-99-99"])).status_code == 404
    assert keeper.get("/workspace/catalog/occupations/9-99-99-99/").status_code == 404  # no major 9
    assert keeper.get(reverse("catalog:manage_standard_edit", args=[999999])).status_code == 404


# --- Occupations ------------------------------------------------------------------------------


def test_the_list_searches_filters_by_status_and_shows_withdrawn(keeper, world):
    withdrawn = Occupation.objects.get(code=MEDIA)
    services.set_occupation_status(world.osta_national, withdrawn, "withdrawn", "测试")
    url = reverse("catalog:manage_occupations")
    page = keeper.get(url, {"q": "4-13"}).context["page"]
    assert withdrawn in page.object_list
    page = keeper.get(url, {"status": "withdrawn"}).context["page"]
    assert list(page.object_list) == [withdrawn]
    page = keeper.get(url, {"status": "active", "q": "4-13-01-05"}).context["page"]
    assert list(page.object_list) == []
    page = keeper.get(url).context["page"]
    assert page.paginator.count == Occupation.objects.count()
    assert keeper.get(url, {"page": 2}).context["page"].number == 2


def test_create_an_occupation(keeper, world):
    response = keeper.post(
        reverse("catalog:manage_occupation_new"),
        {
            "code": "4－04－05－97",
            "name": " 新职业 ",
            "major_category": "4",
            "is_digital": "on",
            "source": "published_later",
            "work_type_count": "2",
        },
    )
    assert response.status_code == 302
    occupation = Occupation.objects.get(code="4-04-05-97")
    assert response["Location"] == reverse("catalog:manage_occupation", args=[occupation.code])
    assert occupation.name == "新职业" and occupation.is_digital and occupation.is_skill
    assert occupation.work_type_count == 2 and occupation.source == "published_later"
    entry = AuditEntry.objects.get(action="catalog.occupation.create")
    assert entry.actor == world.osta_national and entry.object_id == str(occupation.pk)


def test_a_duplicate_code_is_refused_at_the_field(keeper):
    before = Occupation.objects.count()
    response = keeper.post(
        reverse("catalog:manage_occupation_new"),
        {
            "code": ELECTRICIAN,
            "name": "重复",
            "major_category": "6",
            "source": "published_later",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("code", "unique")
    assert Occupation.objects.count() == before
    assert not AuditEntry.objects.filter(action="catalog.occupation.create").exists()


def test_a_bad_code_and_a_wrong_category_are_refused(keeper):
    url = reverse("catalog:manage_occupation_new")
    form = keeper.post(
        url, {"code": "6-31-1-03", "name": "坏", "major_category": "6", "source": "published_later"}
    ).context["form"]
    assert form.has_error("code", "invalid_occupation_code")
    form = keeper.post(
        url,
        {"code": "4-04-05-97", "name": "错", "major_category": "6", "source": "published_later"},
    ).context["form"]
    assert form.has_error("major_category", "category_mismatch")
    assert not Occupation.objects.filter(code="4-04-05-97").exists()


def test_edit_an_occupation_keeps_its_code(keeper, world):
    occupation = Occupation.objects.get(code=ELECTRICIAN)
    url = reverse("catalog:manage_occupation_edit", args=[ELECTRICIAN])
    assert keeper.get(url).context["form"].initial["name"] == "电工"
    response = keeper.post(
        url,
        {
            "code": "9-99-99-99",
            "name": "电工（改）",
            "major_category": "6",
            "is_green": "on",
            "source": occupation.source,
            "work_type_count": "4",
        },
    )
    assert response.status_code == 302
    occupation.refresh_from_db()
    assert (
        occupation.code == ELECTRICIAN and occupation.name == "电工（改）" and occupation.is_green
    )
    entry = AuditEntry.objects.get(action="catalog.occupation.change")
    assert entry.changes["name"] == ["电工", "电工（改）"] and entry.object_id == str(occupation.pk)


def test_withdraw_needs_a_reason_and_restore_brings_it_back(keeper, world):
    occupation = Occupation.objects.get(code=MEDIA)
    url = reverse("catalog:manage_occupation", args=[MEDIA])
    response = keeper.post(url, {"action": "withdraw", "reason": ""})
    assert response.status_code == 200
    assert response.context["reason_form"].has_error("reason", "required")
    occupation.refresh_from_db()
    assert occupation.is_active
    assert keeper.post(url, {"action": "withdraw", "reason": "并入其他职业"}).status_code == 302
    occupation.refresh_from_db()
    assert occupation.status == "withdrawn"
    entry = AuditEntry.objects.get(action="catalog.occupation.withdraw")
    assert entry.changes["reason"] == [None, "并入其他职业"]
    assert Occupation.objects.filter(code=MEDIA).exists()  # withdrawn, never deleted
    assert keeper.post(url, {"action": "restore", "reason": ""}).status_code == 302
    occupation.refresh_from_db()
    assert occupation.is_active
    assert AuditEntry.objects.filter(action="catalog.occupation.restore").count() == 1


def test_work_types_are_added_withdrawn_and_restored(keeper):
    occupation = Occupation.objects.get(code=ELECTRICIAN)
    url = reverse("catalog:manage_occupation", args=[ELECTRICIAN])
    response = keeper.post(
        url, {"action": "add_work_type", "wt-name": "维修电工", "wt-code": "01", "wt-is_demo": "on"}
    )
    assert response.status_code == 302
    work_type = WorkType.objects.get(occupation=occupation, name="维修电工")
    assert work_type.code == "01" and work_type.is_demo
    response = keeper.post(url, {"action": "add_work_type", "wt-name": "维修电工"})
    assert response.status_code == 200 and response.context["work_type_form"].errors["name"]
    assert WorkType.objects.filter(occupation=occupation).count() == 1
    keeper.post(
        url, {"action": "work_type_status", "work_type": work_type.pk, "status": "withdrawn"}
    )
    work_type.refresh_from_db()
    assert work_type.status == "withdrawn"
    keeper.post(url, {"action": "work_type_status", "work_type": work_type.pk, "status": "active"})
    work_type.refresh_from_db()
    assert work_type.status == "active"
    assert AuditEntry.objects.filter(action="catalog.work_type.status").count() == 2
    other = WorkType.objects.create(occupation=Occupation.objects.get(code=MEDIA), name="别的")
    response = keeper.post(
        url, {"action": "work_type_status", "work_type": other.pk, "status": "withdrawn"}
    )
    assert response.status_code == 404
    assert keeper.post(url, {"action": "delete"}).status_code == 404


# --- The import -------------------------------------------------------------------------------


def preview(keeper, *rows: str):
    return keeper.post(
        reverse("catalog:manage_import"), {"file": csv_file(*rows), "source": "published_later"}
    )


def test_the_preview_shows_counts_and_changes_and_writes_nothing(keeper):
    before = Occupation.objects.count()
    response = preview(
        keeper,
        "6-31-01-03,电工（新名）,6,4,,",
        "4-04-05-99,测试新职业,4,,S,",
        "4-01-06-01,电子商务师,4,,,",
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    assert (len(plan.creates), len(plan.updates), plan.unchanged, len(plan.errors)) == (1, 1, 1, 0)
    html = response.content.decode()
    assert 'id="count-new">1<' in html and 'id="count-changed">1<' in html
    assert "4-04-05-99" in html and "测试新职业" in html
    assert '<span class="muted">电工</span> → <strong>电工（新名）</strong>' in html
    assert response.context["apply_form"] is not None
    assert Occupation.objects.count() == before
    assert Occupation.objects.get(code=ELECTRICIAN).name == "电工"
    assert not AuditEntry.objects.filter(action="catalog.occupation.import").exists()


def apply(keeper, response, **overrides):
    form = response.context["apply_form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(overrides)
    return keeper.post(reverse("catalog:manage_import"), {**data, "apply": "1"})


def test_apply_writes_what_the_preview_showed(keeper, world):
    response = preview(keeper, "6-31-01-03,电工（新名）,6,4,,", "4-04-05-99,测试新职业,4,,S,")
    response = apply(keeper, response)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:manage_occupations")
    created = Occupation.objects.get(code="4-04-05-99")
    assert created.is_digital and created.source == "published_later"
    assert Occupation.objects.get(code=ELECTRICIAN).name == "电工（新名）"
    entry = AuditEntry.objects.get(action="catalog.occupation.import")
    assert entry.actor == world.osta_national and len(entry.object_list) == 2
    assert entry.changes["file"] == [None, "occupations.csv"]


def test_a_bad_file_writes_nothing_and_lists_the_line(keeper):
    before = Occupation.objects.count()
    response = preview(keeper, "4-04-05-98,好的新职业,4,,,", "6-31-1-03,坏编码,6,,,")
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [e.line for e in plan.errors] == [3]
    assert response.context["apply_form"] is None
    html = response.content.decode()
    assert 'id="import-errors"' in html and re.search(r"<td[^>]*>3</td>", html)
    assert 'name="apply"' not in html
    assert Occupation.objects.count() == before


def test_a_file_that_is_not_csv_is_one_error(keeper):
    response = keeper.post(
        reverse("catalog:manage_import"),
        {
            "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00garbage", "text/csv"),
            "source": "classification_2022",
        },
    )
    assert response.status_code == 200 and response.context["plan"].errors[0].line == 1


def test_a_tampered_apply_writes_nothing(keeper):
    response = preview(keeper, "4-04-05-99,测试新职业,4,,S,")
    import base64

    other = (HEADER + "4-04-05-99,测试新职业,4,,S,\n4-04-05-96,偷加的,4,,,\n").encode()
    response = apply(keeper, response, content=base64.b64encode(other).decode())
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:manage_import")
    assert not Occupation.objects.filter(code__in=["4-04-05-99", "4-04-05-96"]).exists()
    response = apply(keeper, preview(keeper, "4-04-05-99,测试新职业,4,,S,"), token="forged")
    assert response.status_code == 302
    assert not Occupation.objects.filter(code="4-04-05-99").exists()


def test_another_official_cannot_apply_my_preview(keeper, world, client):
    response = preview(keeper, "4-04-05-99,测试新职业,4,,S,")
    form = response.context["apply_form"]
    data = {name: form[name].value() for name in form.fields}
    keeper.force_login(world.ministry)
    keeper.post(reverse("catalog:manage_import"), {**data, "apply": "1"})
    assert not Occupation.objects.filter(code="4-04-05-99").exists()


def test_when_the_catalogue_changed_since_the_preview_a_new_preview_is_shown(keeper, world):
    response = preview(keeper, "6-31-01-03,电工（新名）,6,4,,")
    services.update_occupation(
        world.ministry, Occupation.objects.get(code=ELECTRICIAN), name="电工（新名）"
    )
    response = apply(keeper, response)
    assert response.status_code == 200 and response.context["changed"]
    plan = response.context["plan"]
    assert (len(plan.updates), plan.unchanged) == (0, 1)
    assert not AuditEntry.objects.filter(action="catalog.occupation.import").exists()


# --- National standards -------------------------------------------------------------------------


def test_the_first_step_asks_for_the_occupation(keeper, world):
    url = reverse("catalog:manage_standard_new")
    assert "standard_pick.html" in [t.name.split("/")[-1] for t in keeper.get(url).templates]
    response = keeper.get(url, {"occupation": "9-99-99-99"})
    assert response.context["form"].has_error("occupation", "unknown_occupation")
    services.create_occupation(
        world.osta_national, code="2-02-01-01", name="专业技术人员", major_category_id="2"
    )  # professional-technical (Art 6)
    response = keeper.get(url, {"occupation": "2-02-01-01"})
    assert response.context["form"].has_error("occupation", "not_assessable")
    services.set_occupation_status(
        world.osta_national, Occupation.objects.get(code=MEDIA), "withdrawn", "测试"
    )
    response = keeper.get(url, {"occupation": MEDIA})
    assert response.context["form"].has_error("occupation", "not_assessable")
    response = keeper.get(url, {"occupation": "6310103"})  # the compact form is understood
    assert response.context["occupation"].code == ELECTRICIAN


def test_create_a_standard_with_two_levels(keeper, world):
    occupation = Occupation.objects.get(code=MEDIA)
    url = reverse("catalog:manage_standard_new") + f"?occupation={MEDIA}"
    # Index 0 is 五级 (rank 1), index 1 is 四级.
    data = {
        **standard_post(),
        **level_data(
            covered={
                0: {
                    "covered": "on",
                    "theory_pass": "65",
                    "theory_minutes": "90",
                    "skill_pass": "70",
                    "total_years": "1",
                    "total_text": "累计从事本职业工作1年",
                },
                1: {
                    "covered": "on",
                    "theory_pass": "62",
                    "skill_used": None,
                    "prior_years": "4",
                    "prior_level": "5",
                    "education": "senior_middle",
                    "education_years": "2",
                    "education_text": "技工院校本专业毕业",
                },
            }
        ),
    }
    response = keeper.post(url, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    standard = NationalStandard.objects.get(occupation=occupation)
    assert standard.edition_year == 2026 and standard.effective_from == dt.date(2026, 5, 1)
    level5 = LevelRequirement.objects.get(standard=standard, level_id="5")
    level4 = LevelRequirement.objects.get(standard=standard, level_id="4")
    assert LevelRequirement.objects.filter(standard=standard).count() == 2
    marks5 = {
        m.method: (m.pass_mark, m.full_marks, m.duration_minutes)
        for m in MethodRequirement.objects.filter(requirement=level5)
    }
    assert marks5 == {"theory": (65, 100, 90), "skill": (70, 100, None)}
    assert [(m.method, m.pass_mark) for m in level4.methods.all()] == [("theory", 62)]
    assert level5.skill_min_examiners == 3 and level5.theory_candidates_per_invigilator == 15
    rules4 = {r.route: r for r in EligibilityRule.objects.filter(requirement=level4)}
    assert rules4["prior_level"].prior_level_id == "5" and rules4["prior_level"].years == 4
    education = rules4["education"]
    assert education.education_level == "senior_middle" and education.years == 2
    assert education.description == "技工院校本专业毕业"
    basis = basis_for(occupation, SkillLevel.objects.get(pk="4"), on=standard.effective_from)
    (route,) = [e for e in basis.eligibility if e.route == "education"]
    assert route.education_level == "senior_middle" and route.education == "高中/中专/技校"
    assert route.description == "技工院校本专业毕业"
    # The edit form shows the level chosen in the list.
    edit = keeper.get(reverse("catalog:manage_standard_edit", args=[standard.pk])).content.decode()
    assert '<option value="senior_middle" selected>高中/中专/技校</option>' in edit
    assert level5.eligibility.get().description == "累计从事本职业工作1年"
    assert AuditEntry.objects.filter(action="catalog.standard.create").count() == 1


def test_a_pass_mark_above_full_marks_is_refused_and_nothing_written(keeper):
    url = reverse("catalog:manage_standard_new") + f"?occupation={MEDIA}"
    data = {
        **standard_post(),
        **level_data(
            covered={
                0: {"covered": "on", "theory_full": "100", "theory_pass": "120"},
            }
        ),
    }
    response = keeper.post(url, data)
    assert response.status_code == 200
    level_form = response.context["formset"].forms[0]
    assert level_form.has_error("theory_pass", "pass_above_full")
    assert not NationalStandard.objects.filter(occupation__code=MEDIA).exists()
    assert not AuditEntry.objects.filter(action="catalog.standard.create").exists()


def test_level_rules_are_checked_per_level(keeper):
    url = reverse("catalog:manage_standard_new") + f"?occupation={MEDIA}"
    response = keeper.post(url, {**standard_post(), **level_data()})
    assert response.context["formset"].non_form_errors().as_data()[0].code == "no_level"
    response = keeper.post(
        url,
        {
            **standard_post(),
            **level_data(
                covered={
                    2: {"covered": "on", "theory_used": None, "skill_used": None},
                    3: {
                        "covered": "on",
                        "skill_min_examiners": "4",
                        "prior_years": "3",
                        "prior_level": "",
                    },
                }
            ),
        },
    )
    forms = response.context["formset"].forms
    assert forms[2].has_error("__all__", "no_method")
    assert forms[3].has_error("skill_min_examiners", "not_odd")
    assert forms[3].has_error("prior_level", "required")
    # Comprehensive review is not offered below level 2: the field is fixed off.
    response = keeper.post(
        url, {**standard_post(), **level_data(covered={0: {"covered": "on", "review_used": "on"}})}
    )
    assert response.status_code == 302
    requirement = LevelRequirement.objects.get(standard__occupation__code=MEDIA)
    assert Method.REVIEW not in {m.method for m in requirement.methods.all()}


def test_a_new_edition_supersedes_an_old_one_and_effective_dates_are_checked(keeper, world):
    old = the_standard(world)
    url = reverse("catalog:manage_standard_new") + f"?occupation={ELECTRICIAN}"
    form = keeper.get(url).context["form"]
    assert list(form.fields["supersedes"].queryset) == [old]
    data = {
        **standard_post(
            title="电工国家职业技能标准",
            edition_year="2026",
            effective_from="2018-01-01",
            supersedes=str(old.pk),
        ),
        **level_data(covered={0: {"covered": "on"}}),
    }
    response = keeper.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["effective_from"]
    assert NationalStandard.objects.filter(occupation__code=ELECTRICIAN).count() == 1
    data["effective_from"] = "2026-05-01"
    assert keeper.post(url, data).status_code == 302
    new = NationalStandard.objects.get(occupation__code=ELECTRICIAN, edition_year=2026)
    assert new.supersedes == old
    # The old edition is no longer offered to supersede.
    assert list(keeper.get(url).context["form"].fields["supersedes"].queryset) == [new]


def test_edit_a_standard_prefills_and_rewrites_its_levels(keeper, world):
    standard = the_standard(world)
    url = reverse("catalog:manage_standard_edit", args=[standard.pk])
    response = keeper.get(url)
    form, formset = response.context["form"], response.context["formset"]
    assert form.initial["edition_year"] == 2018
    first = formset.forms[0]
    assert first.level.pk == "5" and first.initial["covered"]
    assert first.initial["theory_minutes"] == 90 and not first.initial["skill_used"]
    assert first.initial["total_years"] == 1 and first.initial["total_text"] == "一年"
    assert not formset.forms[1].initial["covered"]
    data = {
        **standard_post(
            title=standard.title, edition_year="2018", effective_from="2018-12-01", is_demo="on"
        ),
        **level_data(
            covered={
                0: {"covered": "on", "skill_used": None, "theory_pass": "66"},
                1: {"covered": "on"},
            }
        ),
    }
    assert keeper.post(url, data).status_code == 302
    standard.refresh_from_db()
    assert standard.is_demo and standard.document_number == "人社厅发〔2026〕1号"
    assert [
        (r.level_id, [m.pass_mark for m in r.methods.all()])
        for r in standard.levels.order_by("level__rank")
    ] == [("5", [66]), ("4", [60, 60])]
    entry = AuditEntry.objects.get(action="catalog.standard.change")
    assert "levels" in entry.changes and "is_demo" in entry.changes


def test_work_types_of_the_occupation_are_offered(keeper, world):
    occupation = Occupation.objects.get(code=ELECTRICIAN)
    repair = WorkType.objects.create(occupation=occupation, name="维修电工")
    WorkType.objects.create(occupation=occupation, name="旧工种", status="withdrawn")
    url = reverse("catalog:manage_standard_new") + f"?occupation={ELECTRICIAN}"
    assert list(keeper.get(url).context["form"].fields["work_types"].queryset) == [repair]
    data = {
        **standard_post(title="电工（维修电工）标准"),
        "work_types": [str(repair.pk)],
        **level_data(covered={0: {"covered": "on"}}),
    }
    assert keeper.post(url, data).status_code == 302
    assert list(NationalStandard.objects.get(title="电工（维修电工）标准").work_types.all()) == [
        repair
    ]


def test_the_pdf_must_be_a_pdf(keeper, world):
    standard = the_standard(world)
    url = reverse("catalog:manage_standard_document", args=[standard.pk])
    response = keeper.post(url, {"file": SimpleUploadedFile("s.pdf", b"PK\x03\x04 not a pdf")})
    assert response.status_code == 200
    assert response.context["form"].has_error("file", "bad_type")
    standard.refresh_from_db()
    assert standard.document is None
    pdf = SimpleUploadedFile(
        "standard.pdf", b"%PDF-1.4\n%fake but starts right\n", "application/pdf"
    )
    assert keeper.post(url, {"file": pdf}).status_code == 302
    standard.refresh_from_db()
    assert standard.document is not None and standard.document.is_public


def test_the_education_route_takes_a_level_from_the_list(keeper):
    url = reverse("catalog:manage_standard_new") + f"?occupation={MEDIA}"
    data = {
        **standard_post(),
        **level_data(
            covered={0: {"covered": "on", "education": "kindergarten", "education_years": "1"}}
        ),
    }
    response = keeper.post(url, data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    data = {
        **standard_post(),
        **level_data(covered={0: {"covered": "on", "education_years": "1"}}),
    }
    response = keeper.post(url, data)
    assert (
        response.status_code == 200
        and not NationalStandard.objects.filter(occupation__code=MEDIA).exists()
    )


def test_the_migration_keeps_the_text_and_reads_the_level_it_names():
    import importlib

    migration = importlib.import_module("catalog.migrations.0003_education_levels")
    assert migration.level_named_in("本科及以上学历") == "bachelor"
    assert migration.level_named_in("大专或技工院校高级工班毕业") == "junior_college"
    assert migration.level_named_in("技工院校本专业毕业") == "senior_middle"
    assert migration.level_named_in("硕士研究生") == "master"
    assert migration.level_named_in("初中毕业") == "junior_middle"
    assert migration.level_named_in("相关专业毕业") == "senior_middle"
