"""Supervising listed agencies in the browser (Art 14, 22, 27, 28): the provincial official
approves a scope extension, which goes on public notice and widens the directory when the
notice closes; then suspends and later removes another agency, which appears on the public
list of removed agencies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from agencies import services
from agencies.models import ChangeStatus
from catalog.models import Occupation, SkillLevel
from portal import clock
from portal.models import AgencyStatus, PublicNotice
from tests.agencies.builders import gd_call, listed_agency
from tests.catalog.builders import electrician_standard
from tests.portal.builders import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scope_extension_suspension_and_removal(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    electrician_standard(world.osta_national)
    call = gd_call(world)
    s_user, social, _a = listed_agency(
        world, "岭南技能培训评价有限公司", "91440101MA5CKD7E2", kind="S", call=call
    )
    _u, employer, _a = listed_agency(
        world, "珠江电力职业技能评价中心", "91440101MA5CKD7E1", kind="Y", call=call
    )
    change = services.request_scope_change(
        s_user,
        social,
        [
            (
                Occupation.objects.get(code="6-31-01-03"),
                None,
                list(SkillLevel.objects.filter(pk__in=("4", "3", "2"))),
            )
        ],
        "已具备二级/技师评价能力，申请扩大评价范围。",
    )

    # The official finds the request in the queue and approves it: it goes on public notice.
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/agencies/changes/")
    page.locator("main table").get_by_role("link", name=social.name).click()
    assert "二级/技师" in page.content()
    page.locator("[name=reason]").fill("经核实，具备二级/技师评价能力。")
    with page.expect_navigation():
        page.locator("button[value=approve]").click()
    # The confirmation page restates the decision (decision 0026).
    assert "公示" in page.locator(".confirm").inner_text()
    with page.expect_navigation():
        page.locator(".confirm button[name=confirmed]").click()
    page.screenshot(path=screenshot_dir / "officials-change.png", full_page=True)
    change.refresh_from_db()
    assert change.status == ChangeStatus.ON_NOTICE
    notice = PublicNotice.objects.get(subject=f"agencies.changerequest:{change.pk}")
    assert notice.title in page.content()

    # The period ends; the daily job closes the notice and the wider scope applies.
    with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
        call_command("run_periodic", job=["portal.close_due_notices"])
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    page.goto(f"{live_server.url}/directory/{social.pk}/")
    assert "二级/技师" in page.locator("main table").first.inner_text()

    # The official suspends the employer for a month.
    until = clock.today() + dt.timedelta(days=30)
    page.goto(f"{live_server.url}/workspace/agencies/listed/")
    page.locator("main table").get_by_role("link", name=employer.name).click()
    page.locator("#suspend summary").click()
    page.locator("[name=suspend-reason]").fill("考务管理不规范，经调查核实。")
    page.locator("[name=suspend-legal_basis]").fill(
        "《职业技能等级认定工作规程（试行）》第二十七条"
    )
    page.locator("[name=suspend-until]").fill(until.isoformat())
    with page.expect_navigation():
        page.locator("#suspend button[type=submit]").click()
    # Confirmed with the password, as a removal is.
    page.locator(".confirm [name=password]").fill(PASSWORD)
    page.screenshot(path=screenshot_dir / "officials-suspend-confirm.png", full_page=True)
    with page.expect_navigation():
        page.locator(".confirm button[name=confirmed]").click()
    employer.refresh_from_db()
    assert employer.status == AgencyStatus.SUSPENDED
    page.screenshot(path=screenshot_dir / "officials-suspend.png", full_page=True)

    # Later it is removed: a wrong password is refused at the field, the right one removes it.
    page.locator("#remove summary").click()
    page.locator("[name=remove-reason]").fill("暂停期间仍组织认定，不履行工作承诺。")
    page.locator("[name=remove-legal_basis]").fill("《职业技能等级认定工作规程（试行）》第二十七条")
    page.locator("[name=remove-follow_up_plan]").fill(
        "已报名的312名考生转由广州市职业技能鉴定指导中心组织认定；已颁发证书继续有效。"
    )
    with page.expect_navigation():
        page.locator("#remove button[type=submit]").click()
    page.locator(".confirm [name=password]").fill("not-my-password")
    with page.expect_navigation():
        page.locator(".confirm button[name=confirmed]").click()
    assert page.locator("#id_password_error").is_visible()
    employer.refresh_from_db()
    assert employer.status == AgencyStatus.SUSPENDED
    page.locator(".confirm [name=password]").fill(PASSWORD)
    page.screenshot(path=screenshot_dir / "officials-remove.png", full_page=True)
    with page.expect_navigation():
        page.locator(".confirm button[name=confirmed]").click()
    employer.refresh_from_db()
    assert employer.status == AgencyStatus.REMOVED

    # Anyone reads it on the public list of removed agencies, with the follow-up plan.
    page.get_by_role("button", name="退出登录").click()
    page.goto(f"{live_server.url}/directory/removed/")
    content = page.content()
    assert employer.name in content and "广州市职业技能鉴定指导中心" in content
    assert social.name not in content
    page.screenshot(path=screenshot_dir / "directory-removed.png", full_page=True)
    page.get_by_role("link", name="评价机构目录").last.click()
    assert employer.name not in page.locator("main").inner_text()
