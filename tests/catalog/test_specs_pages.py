"""The public catalogue and the specification workflow in the browser's HTTP terms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from catalog import services
from catalog.models import EvaluationSpec, Method, Occupation, SpecReview, SpecStatus
from portal import clock
from portal.models import AuditEntry
from tests.catalog import builders

pytestmark = pytest.mark.django_db


def std_levels(*codes):
    return [
        services.LevelInput(c, [services.MethodInput(Method.THEORY, 100, 60, 90)]) for c in codes
    ]


@pytest.fixture
def electrician_standard(world):
    return builders.electrician_standard(world.osta_national, duration_minutes=90)


def test_search_by_name_and_code_prefix(client):
    body = client.get(reverse("catalog:occupations"), {"q": "电工"}).content.decode()
    assert "/6-31-01-03/" in body and "/6-18-02-04/" not in body
    body = client.get(reverse("catalog:occupations"), {"q": "6-18-02"}).content.decode()
    for name in ("铸造工", "锻造工", "金属热处理工", "焊工"):
        assert name in body
    assert "车工" not in body


def test_filters_by_category_marker_and_standard(client, electrician_standard):
    body = client.get(reverse("catalog:occupations"), {"marker": "S"}).content.decode()
    assert "/4-13-01-05/" in body and "/6-31-01-03/" not in body
    body = client.get(reverse("catalog:occupations"), {"has_standard": "yes"}).content.decode()
    assert "6-31-01-03" in body and "6-31-01-04" not in body
    body = client.get(reverse("catalog:occupations"), {"major_category": "5"}).content.decode()
    assert "/5-01-02-01/" in body and "/6-31-01-03/" not in body


def test_the_detail_page_shows_levels_basis_and_methods(client, electrician_standard):
    body = client.get(reverse("catalog:occupation", args=["6-31-01-03"])).content.decode()
    assert "三级/高级工" in body and "电工国家职业技能标准（2018年版）" in body
    assert "理论知识考试" in body
    assert client.get(reverse("catalog:occupation", args=["8-99-99-99"])).status_code == 404
    assert client.get("/catalog/occupations/9-99-99-99/").status_code == 404  # no major 9


def test_standards_and_filed_specs_lists(client, world, electrician_standard):
    body = client.get(reverse("catalog:standards")).content.decode()
    assert "电工国家职业技能标准" in body
    body = client.get(reverse("catalog:standard", args=[electrician_standard.pk])).content.decode()
    assert "一级/高级技师" in body
    assert client.get(reverse("catalog:specs")).status_code == 200


def test_searching_many_pages_keeps_the_filter_when_paging(client):
    body = client.get(reverse("catalog:occupations"), {"q": "6"}).content.decode()
    assert "page=2" in body and "q=6" in body


@pytest.fixture
def spec(world):
    occupation = Occupation.objects.get(code="4-13-01-05")
    return services.create_spec(
        world.members["staff"],
        world.gd_agency,
        occupation=occupation,
        title="全媒体运营师评价规范",
        levels=std_levels("5"),
    )


def test_an_agency_drafts_a_spec_in_the_browser_form(client, world):
    client.force_login(world.members["staff"])
    url = reverse("catalog:agency_spec_new", args=[world.gd_agency.pk])
    page = client.get(url)
    assert page.status_code == 200 and "特级技师" not in page.content.decode()  # social org
    data = {
        "occupation": "4-13-01-05",
        "title": "全媒体运营师评价规范",
        "summary": "",
        "work_type": "",
        "levels-TOTAL_FORMS": "5",
        "levels-INITIAL_FORMS": "5",
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "7",
    }
    for i, code in enumerate(["1", "2", "3", "4", "5"]):
        data[f"levels-{i}-level"] = code
        data[f"levels-{i}-pass_mark"] = "60"
    data["levels-4-covers"] = "on"
    data["levels-4-theory"] = "on"
    data["levels-4-theory_minutes"] = "90"
    data["levels-4-total_years"] = "1"
    response = client.post(url, data)
    spec = EvaluationSpec.objects.get(title="全媒体运营师评价规范")
    assert response.status_code == 302
    assert spec.levels.get().level_id == "5"
    # A covered level without a method is refused at that row, nothing saved.
    data["title"] = "第二份"
    data["levels-3-covers"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert not EvaluationSpec.objects.filter(title="第二份").exists()


def test_the_filing_round_trip_keeps_every_round(client, world, spec):
    agency_url = reverse("catalog:agency_spec", args=[world.gd_agency.pk, spec.pk])
    review_url = reverse("catalog:spec_review", args=[spec.pk])
    client.force_login(world.members["admin"])
    client.post(agency_url, {"action": "submit", "note": "第一次"})
    client.force_login(world.osta_national)
    assert "全媒体运营师评价规范" in client.get(reverse("catalog:spec_queue")).content.decode()
    # Returning needs comments: refused at the field, nothing changes.
    response = client.post(review_url, {"action": "return", "reason": ""})
    assert response.status_code == 200
    spec.refresh_from_db()
    assert spec.status == SpecStatus.SUBMITTED
    client.post(review_url, {"action": "return", "reason": "请补充考核时长"})
    spec.refresh_from_db()
    assert spec.status == SpecStatus.RETURNED
    client.force_login(world.members["admin"])
    assert "请补充考核时长" in client.get(agency_url).content.decode()
    client.post(agency_url, {"action": "submit", "note": "已补充"})
    client.force_login(world.osta_national)
    with clock.frozen(dt.date(2026, 11, 25)):
        client.post(review_url, {"action": "file", "reason": ""})
    spec.refresh_from_db()
    assert spec.status == SpecStatus.FILED and spec.filing_number == "备〔2026〕0001号"
    assert list(spec.reviews.values_list("round", "decision")) == [
        (1, SpecReview.Decision.RETURNED),
        (2, SpecReview.Decision.FILED),
    ]
    actions = list(
        AuditEntry.objects.filter(object_id=str(spec.pk), object_type="catalog.evaluationspec")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "catalog.spec.create",
        "catalog.spec.submit",
        "catalog.spec.return",
        "catalog.spec.submit",
        "catalog.spec.file",
    ]
    assert "全媒体运营师评价规范" in client.get(reverse("catalog:specs")).content.decode()


def test_refusals_leave_the_spec_as_it_was(client, world, spec):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):  # not submitted yet
        services.file_spec(world.osta_national, spec)
    services.submit_spec(world.members["admin"], spec)
    with pytest.raises(ValidationError):  # twice
        services.submit_spec(world.members["admin"], spec)
    with pytest.raises(PermissionDenied):  # a provincial official cannot file (Art 8)
        services.file_spec(world.gd_official, spec)
    with pytest.raises(PermissionDenied):  # the examiner cannot withdraw
        services.withdraw_spec(world.members["examiner"], spec)
    with pytest.raises(ValidationError):  # a submitted spec cannot be edited
        services.update_spec(world.members["admin"], spec, title="改")
    spec.refresh_from_db()
    assert spec.status == SpecStatus.SUBMITTED and spec.title == "全媒体运营师评价规范"


def test_another_agencys_spec_is_404(client, world, spec):
    client.force_login(world.hlj_admin)
    url = reverse("catalog:agency_spec", args=[world.gd_agency.pk, spec.pk])
    assert client.get(url).status_code == 404
    url = reverse("catalog:agency_spec", args=[world.hlj_agency.pk, spec.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.gd_official)  # not a keeper of the catalogue
    assert client.get(reverse("catalog:spec_review", args=[spec.pk])).status_code == 403


def test_refusing_a_spec_needs_a_reason_and_ends_the_filing(client, world, spec):
    services.submit_spec(world.members["admin"], spec)
    review_url = reverse("catalog:spec_review", args=[spec.pk])
    client.force_login(world.osta_national)
    assert client.post(review_url, {"action": "refuse", "reason": ""}).status_code == 200
    spec.refresh_from_db()
    assert spec.status == SpecStatus.SUBMITTED
    client.post(review_url, {"action": "refuse", "reason": "已有国家职业技能标准立项"})
    spec.refresh_from_db()
    assert spec.status == SpecStatus.REFUSED
    assert spec.reviews.get().decision == SpecReview.Decision.REFUSED
    entry = AuditEntry.objects.get(action="catalog.spec.refuse")
    assert entry.changes["comments"] == [None, "已有国家职业技能标准立项"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # refused is final
        services.submit_spec(world.members["admin"], spec)
