"""Browser journey of the catalogue keeper: import occupations with a preview, then record
a national standard with two levels. Screenshots land in var/screenshots/."""

from __future__ import annotations

import pytest

from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "code,name,major_category,work_type_count,marker,standard_edition\n"
    "6-31-01-03,电工（2026年修订）,6,4,,\n"
    "4-04-05-91,数据标注员（测试）,4,2,S,\n"
    "4-09-07-91,碳排放管理员（测试）,4,,L,\n"
).encode()


def test_keeper_imports_with_a_preview_then_records_a_standard(
    page, live_server, world, screenshot_dir
):
    from catalog import reference
    from catalog.models import LevelRequirement, NationalStandard, Occupation

    reference.load()  # transactional tests flush what the migrations loaded
    sign_in(page, live_server, "osta_national")

    # The import: upload, preview, apply.
    page.goto(f"{live_server.url}/workspace/catalog/occupations/")
    page.locator("main a[href$='/workspace/catalog/occupations/import/']").click()
    page.locator("input[type=file]").set_input_files(
        {"name": "occupations.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("#count-new")
    assert page.locator("#count-new").inner_text() == "2"
    assert page.locator("#count-changed").inner_text() == "1"
    assert page.locator("#count-errors").inner_text() == "0"
    assert page.locator("#import-changed").get_by_text("电工（2026年修订）").is_visible()
    assert not Occupation.objects.filter(code="4-04-05-91").exists()
    page.screenshot(path=screenshot_dir / "catalog-import-preview.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "catalog-import-preview-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("button[name=apply]").click()
    page.wait_for_url(f"{live_server.url}/workspace/catalog/occupations/")
    assert page.locator(".message.success").is_visible()
    assert Occupation.objects.get(code="4-04-05-91").is_digital
    assert Occupation.objects.get(code="6-31-01-03").name == "电工（2026年修订）"

    # A national standard for one of the new occupations, with two levels.
    page.goto(f"{live_server.url}/workspace/catalog/standards/")
    page.locator("main a[href$='/workspace/catalog/standards/new/']").click()
    page.locator("#id_occupation").fill("4-04-05-91")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("#standard-form")
    page.locator("#id_title").fill("数据标注员国家职业技能标准（测试）")
    page.locator("#id_edition_year").fill("2026")
    page.locator("#id_document_number").fill("人社厅发〔2026〕99号")
    page.locator("#id_issued_on").fill("2026-03-01")
    page.locator("#id_effective_from").fill("2026-05-01")
    page.locator("#id_is_demo").check()
    # 五级 (row 0) and 四级 (row 1).
    page.locator("#level-5 summary").click()
    page.locator("#id_levels-0-covered").check()
    page.locator("#id_levels-0-theory_pass").fill("65")
    page.locator("#id_levels-0-theory_minutes").fill("90")
    page.locator("#id_levels-0-skill_minutes").fill("120")
    page.locator("#id_levels-0-total_years").fill("1")
    page.locator("#level-4 summary").click()
    page.locator("#id_levels-1-covered").check()
    page.locator("#id_levels-1-skill_pass").fill("70")
    page.locator("#id_levels-1-prior_years").fill("4")
    # A full-page screenshot taken while an input has focus makes headless Chromium scroll
    # back to that input on the next mouse press, so the click would miss the button.
    page.locator("#id_levels-1-prior_years").blur()
    page.screenshot(path=screenshot_dir / "catalog-standard-form.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "catalog-standard-form-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#standard-form > p button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/workspace/catalog/standards/?q=4-04-05-91")
    assert page.locator(".message.success").is_visible()
    page.screenshot(path=screenshot_dir / "catalog-standards.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "catalog-standards-phone.png", full_page=True)

    standard = NationalStandard.objects.get(occupation__code="4-04-05-91")
    assert standard.is_demo and standard.edition_year == 2026
    levels = {r.level_id: r for r in LevelRequirement.objects.filter(standard=standard)}
    assert set(levels) == {"5", "4"}
    assert {m.method: m.pass_mark for m in levels["5"].methods.all()} == {"theory": 65, "skill": 60}
    assert {m.method: m.pass_mark for m in levels["4"].methods.all()} == {"theory": 60, "skill": 70}
    assert levels["4"].eligibility.get().prior_level_id == "5"


def test_keeper_adds_a_work_type_and_withdraws_an_occupation(
    page, live_server, world, screenshot_dir
):
    from catalog import reference
    from catalog.models import Occupation, WorkType

    reference.load()
    sign_in(page, live_server, "ministry")
    page.goto(f"{live_server.url}/workspace/catalog/occupations/?q=6-31")
    page.locator("main table a[href$='/workspace/catalog/occupations/6-31-01-03/']").first.click()
    page.locator("#id_wt-name").fill("维修电工")
    page.locator("input[name=action][value=add_work_type] ~ button").click()
    page.wait_for_selector(".message.success")
    assert WorkType.objects.get(occupation__code="6-31-01-03").name == "维修电工"
    page.screenshot(path=screenshot_dir / "catalog-occupation-manage.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "catalog-occupation-manage-phone.png", full_page=True)
    page.goto(f"{live_server.url}/workspace/catalog/occupations/")
    page.screenshot(path=screenshot_dir / "catalog-occupations-phone.png", full_page=True)
    page.goto(f"{live_server.url}/workspace/catalog/occupations/6-31-01-03/")
    page.locator("#id_reason").fill("测试撤销")
    page.locator("input[name=action][value=withdraw] ~ button").click()
    page.wait_for_selector(".message.success")
    assert Occupation.objects.get(code="6-31-01-03").status == "withdrawn"
