"""Running a listed agency, in the browser: the admin adds a staff member with a new account,
publishes the fee schedule (Art 19), which the public directory entry then shows, and asks
for a scope extension."""

from __future__ import annotations

import pytest

from agencies.models import ChangeKind, ChangeRequest, PublishedRules
from portal.models import AgencyMembership, User
from tests.agencies.builders import list_agency
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_fees_directory_and_scope_extension(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    agency = world.gd_agency
    list_agency(world, agency, world.members["admin"])
    base = f"{live_server.url}/workspace/agency/{agency.pk}"
    sign_in(page, live_server, "gd_admin")

    # A new member with a new account: the one-time password is shown once.
    page.goto(f"{base}/")
    page.locator(f"nav a[href='/workspace/agency/{agency.pk}/staff/']").click()
    page.locator(f"main a[href='/workspace/agency/{agency.pk}/staff/add/']").click()
    page.locator("input[name=account][value=new]").check()
    page.locator("[name=username]").fill("wang_staff")
    page.locator("[name=real_name]").fill("王员工")
    page.locator("[name=email]").fill("wang@example.org")
    page.locator("[name=phone]").fill("13800000002")
    page.locator("[name=role]").select_option("staff")
    page.locator("main form button[type=submit]").click()
    password = page.locator(".one-time-password").inner_text().strip()
    assert User.objects.get(username="wang_staff").check_password(password)
    assert AgencyMembership.objects.filter(user__username="wang_staff", role="staff").exists()
    page.locator("main a.button").click()
    assert "王员工" in page.content() and password not in page.content()
    page.screenshot(path=screenshot_dir / "running-staff.png", full_page=True)

    # The fee schedule is published ...
    page.locator(f"nav a[href='/workspace/agency/{agency.pk}/rules/']").click()
    page.locator("#fees summary").last.click()
    page.locator("#id_fees-text").fill("理论知识考试：每人次 120 元\n操作技能考核：每人次 280 元")
    page.locator("#fees form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    assert PublishedRules.objects.filter(agency=agency, kind="fees", version=1).exists()
    assert "每人次 280 元" in page.content()
    page.screenshot(path=screenshot_dir / "running-rules.png", full_page=True)

    # ... and shows on the public directory entry.
    page.get_by_role("button", name="退出登录").click()
    page.goto(f"{live_server.url}/directory/{agency.pk}/")
    assert "操作技能考核：每人次 280 元" in page.content()
    page.locator("#published-rules").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "running-directory-fees.png", full_page=True)

    # The admin asks to extend the scope to level 2 (技师).
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{base}/changes/")
    page.locator(f"main a[href='/workspace/agency/{agency.pk}/changes/scope/']").click()
    assert page.locator("input[name=scope-0-levels][value='4']").is_checked()
    page.locator("input[name=scope-0-levels][value='2']").check()
    page.locator("[name=explanation]").fill("新增技师等级的评价能力。")
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    change = ChangeRequest.objects.get(agency=agency)
    assert change.kind == ChangeKind.SCOPE and len(change.payload["scope"][0]["levels"]) == 3
    page.wait_for_url(f"{base}/changes/{change.pk}/")
    page.screenshot(path=screenshot_dir / "running-change-request.png", full_page=True)
