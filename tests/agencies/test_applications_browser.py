"""Browser journey of an applicant: an organisation registers, applies to a 广东 call with
evidence, scope and a site, submits with the pledge; a visitor reads the agency directory.
Screenshots land in var/screenshots/.

Fields are found by their ids and names, so the journey holds in either language."""

from __future__ import annotations

import pytest
from django.utils import translation

from agencies.models import AgencyApplication, ApplicationStatus, Condition
from portal.models import Agency
from tests.agencies.builders import gd_call, listed_agency, uscc
from tests.catalog.builders import electrician_standard
from tests.portal.builders import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ready(world, settings, tmp_path):
    settings.CAPTCHA_ENABLED = False
    settings.MEDIA_ROOT = tmp_path / "media"
    electrician_standard(world.osta_national)
    call = gd_call(world)
    listed_agency(
        world,
        "珠江电力职业技能评价中心",
        "91440101MA5CKD7E1",
        kind="Y",
        call=gd_call(world, title="广东省2025年评价机构征集公告"),
    )
    evidence = tmp_path / "营业执照.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return call, evidence


def test_an_organisation_registers_applies_and_submits(page, live_server, ready, screenshot_dir):
    call, evidence = ready
    page.goto(f"{live_server.url}/calls/{call.pk}/")
    page.locator("#apply a[href='/register/organisation/']").click()
    code = uscc("91440106MA5D3K8F2")
    for field, value in {
        "username": "lingnan_admin",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "陈立",
        "email": "chen@example.org",
        "phone": "13800138000",
        "org_name": "岭南新职业技能评价中心",
        "uscc": code,
    }.items():
        page.locator(f"#id_{field}").fill(value)
    page.locator("#id_kind input[value='S']").check()
    page.locator("#id_province").select_option("440000")
    page.screenshot(path=screenshot_dir / "agency-register.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    agency = Agency.objects.get(uscc=code)
    page.wait_for_url(f"{live_server.url}/workspace/agency/{agency.pk}/")

    page.locator(f".side-nav a[href='/workspace/agency/{agency.pk}/applications/']").click()
    page.locator(
        f"form[action$='/applications/start/']:has(input[value='{call.pk}']) button"
    ).click()
    application = AgencyApplication.objects.get(agency=agency, call=call)
    page.wait_for_url(f"**/applications/{application.pk}/edit/")

    for field, value in {
        "address": "广州市天河区华穗路8号",
        "legal_representative": "陈立",
        "contact_name": "陈立",
        "contact_phone": "020-38888888",
        "declared_years": "6",
        "declared_total_assessed": "12000",
    }.items():
        page.locator(f"#id_{field}").fill(value)
    page.locator("#id_condition_1-statement").fill("本机构依法登记，财务和管理制度健全，信用良好。")
    page.locator("#id_condition_1-evidence").set_input_files(evidence)
    page.locator("#id_condition_1-evidence_title").fill("营业执照")
    page.locator("button[name=save]").first.click()
    assert page.locator("#condition-1 a", has_text="营业执照").is_visible()

    for n in Condition.values[1:]:
        page.locator(f"#id_condition_{n}-statement").fill(f"第{n}项条件：已具备，详见证明材料。")
        page.locator(f"#id_condition_{n}-evidence").set_input_files(evidence)
    page.locator("#id_scope-0-occupation").fill("6-31-01-03")
    for level in ("4", "3"):
        page.locator(f"input[name='scope-0-levels'][value='{level}']").check()
    page.locator("#id_scope-0-declared_assessed").fill("3000")
    page.locator("#id_sites-0-name").fill("天河考点")
    page.locator("#id_sites-0-address").fill("广州市天河区华穗路8号3楼")
    page.locator("button[name=save]").first.click()
    assert page.locator("#id_scope-0-occupation").input_value() == "6-31-01-03"
    assert page.locator("#id_sites-0-name").input_value() == "天河考点"
    page.screenshot(path=screenshot_dir / "agency-application-edit.png", full_page=True)

    page.locator("#id_pledge").check()
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    with translation.override("zh-hans"):
        label = str(ApplicationStatus.SUBMITTED.label)
    assert page.locator(".application-status").inner_text() == label
    assert page.locator(f"a[href='/documents/{application.receipt_id}/']").is_visible()
    page.screenshot(path=screenshot_dir / "agency-application-status.png", full_page=True)


def test_a_visitor_reads_the_directory(page, live_server, ready, screenshot_dir):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").locator("a[href='/directory/']").click()
    page.locator("#id_q").fill("珠江")
    page.locator("form.filters button[type=submit]").click()
    assert page.get_by_role("link", name="珠江电力职业技能评价中心").is_visible()
    page.screenshot(path=screenshot_dir / "agency-directory.png", full_page=True)
    page.get_by_role("link", name="珠江电力职业技能评价中心").click()
    assert "6-31-01-03" in page.content() and "三级/高级工" in page.content()
    page.screenshot(path=screenshot_dir / "agency-directory-entry.png", full_page=True)
