"""Examiners in the browser: the agency admin adds an examiner (the ID's check character is
checked at the field, gender and birth date are read from it) and records a training; the
testing centre suspends the qualification, which the agency's page then shows. At desktop
width and at 390 px."""

from __future__ import annotations

import pytest

from assessments.models import Examiner, TrainingRecord
from tests.assessments.builders import resident_id
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_admin_adds_an_examiner_with_training_and_the_centre_suspends(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size(WIDTHS[width])
    agency = world.gd_agency
    number = resident_id("44010619850606002")
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{live_server.url}/workspace/agency/{agency.pk}/people/")
    page.locator("main a.button").first.click()
    page.locator("[name=real_name]").fill("王考评")
    page.locator("[name=id_number]").fill(number[:-1] + ("0" if number[-1] != "0" else "1"))
    page.locator("[name=grade]").select_option("examiner")
    page.locator("[name=qualification_number]").fill("GD-KPY-2026-0101")
    page.locator("[name=valid_from]").fill("2026-01-01")
    page.locator("[name=valid_until]").fill("2029-01-01")
    page.locator("[name=occupation_1]").fill("6-31-01-03")
    page.locator("[name=lowest_1]").select_option("5")
    page.locator("[name=highest_1]").select_option("2")
    page.locator("[name=document]").set_input_files(
        files=[
            {"name": "资格证书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
        ]
    )
    page.locator("main form button[type=submit]").click()
    errors = page.locator(".field .error").all_inner_texts()
    assert any("校验码" in e for e in errors) and any("高级考评员" in e for e in errors), errors
    page.screenshot(path=screenshot_dir / f"people-add-errors-{width}.png", full_page=True)
    page.locator("[name=id_number]").fill(number)
    page.locator("[name=highest_1]").select_option("3")
    page.locator("[name=document]").set_input_files(
        files=[
            {"name": "资格证书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
        ]
    )
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    record = Examiner.objects.get()
    assert record.gender == "F" and str(record.birth_date) == "1985-06-06"
    assert number not in page.content() and "440***********" in page.content()

    page.locator("main a.button", has_text="登记培训").click()
    page.locator("[name=held_on]").fill("2026-11-20")
    page.locator("[name=hours]").fill("16")
    page.locator("[name=organiser]").fill("广东省职业技能鉴定指导中心")
    page.locator("[name=topic]").fill("考评员评分规范")
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    assert TrainingRecord.objects.filter(examiner=record, hours=16).exists()
    assert "考评员评分规范" in page.content()
    page.screenshot(path=screenshot_dir / f"people-examiner-{width}.png", full_page=True)

    # The testing centre of 广东 suspends the qualification: every agency sees it.
    page.get_by_role("button", name="退出登录").click()
    sign_in(page, live_server, "osta_gd")
    page.goto(f"{live_server.url}/workspace/people/")
    page.get_by_role("link", name="王考评").click()
    page.locator("[name=reason]").fill("评分严重失误，暂停资格待查。")
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.screenshot(path=screenshot_dir / f"people-registry-suspended-{width}.png", full_page=True)
    record.refresh_from_db()
    assert record.is_suspended
    page.get_by_role("button", name="退出登录").click()
    sign_in(page, live_server, "gd_staff")
    page.goto(f"{live_server.url}/workspace/agency/{agency.pk}/people/")
    assert page.locator("main .badge", has_text="暂停").count() == 1
    page.screenshot(path=screenshot_dir / f"people-list-{width}.png", full_page=True)
