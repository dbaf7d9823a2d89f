"""Browser journeys of the catalog: a visitor finds an occupation and its standard; the
national testing centre returns and then files an agency's specification."""

from __future__ import annotations

import pytest

from catalog import demo, services
from catalog.models import EvaluationSpec, Occupation, SpecStatus
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_visitor_searches_and_opens_an_occupation_and_its_standard(
    page, live_server, world, media, screenshot_dir
):
    demo._standard(world.osta_national, Occupation.objects.get(code="6-31-01-03"), 2018)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="职业与标准").click()
    page.get_by_label("编码或名称").fill("电工")
    page.get_by_role("button", name="搜索").click()
    page.screenshot(path=screenshot_dir / "catalog-search-electrician.png", full_page=True)
    assert page.get_by_role("link", name="6-31-01-03").is_visible()

    page.get_by_label("编码或名称").fill("6-18-02")
    page.get_by_role("button", name="搜索").click()
    for name in ("铸造工", "锻造工", "金属热处理工", "焊工"):
        assert page.get_by_role("link", name=name, exact=True).is_visible()

    page.get_by_label("编码或名称").fill("电工")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="电工", exact=True).click()
    assert "三级/高级工" in page.content()
    page.screenshot(path=screenshot_dir / "catalog-occupation-detail.png", full_page=True)
    page.get_by_role("link", name="电工国家职业技能标准（2018年版）").first.click()
    assert "演示数据" in page.content()
    page.screenshot(path=screenshot_dir / "catalog-standard-detail.png", full_page=True)
    href = page.get_by_role("link", name="下载标准文本").get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_the_centre_returns_then_files_a_specification(page, live_server, world, screenshot_dir):
    occupation = Occupation.objects.get(code="4-13-01-05")
    spec = services.create_spec(
        world.members["admin"],
        world.gd_agency,
        occupation=occupation,
        title="全媒体运营师评价规范",
        levels=demo.level_inputs(["5", "4"]),
    )
    services.submit_spec(world.members["admin"], spec, note="首次提交")

    sign_in(page, live_server, "osta_national")
    page.get_by_role("link", name="评价规范备案").first.click()
    page.get_by_role("link", name="全媒体运营师评价规范").click()
    page.get_by_label("原因").fill("请补充四级的技能操作考核时长。")
    page.get_by_role("button", name="退回修改").click()
    assert "已退回" in page.content() or "退回修改" in page.content()
    spec.refresh_from_db()
    assert spec.status == SpecStatus.RETURNED
    page.screenshot(path=screenshot_dir / "catalog-spec-returned.png", full_page=True)
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, live_server, "gd_admin")
    page.goto(f"{live_server.url}/workspace/agency/{world.gd_agency.pk}/specs/{spec.pk}/")
    assert "请补充四级的技能操作考核时长。" in page.content()
    page.get_by_role("button", name="重新提交备案").click()
    page.get_by_role("button", name="退出登录").click()

    sign_in(page, live_server, "osta_national")
    page.goto(f"{live_server.url}/workspace/catalog/specs/{spec.pk}/")
    page.get_by_role("button", name="予以备案").click()
    spec = EvaluationSpec.objects.get(pk=spec.pk)
    assert spec.status == SpecStatus.FILED
    assert spec.filing_number in page.content()
    page.screenshot(path=screenshot_dir / "catalog-spec-filed.png", full_page=True)
    assert list(spec.reviews.values_list("round", flat=True)) == [1, 2]
