"""The end of becoming a listed agency, in the browser: the public notice runs, a visitor
objects, the official dismisses the objection, the notice closes, the agency signs its
commitment letter and appears in the public directory (Art 14, 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from agencies import services
from agencies.models import AgencyApplication, ApplicationStatus
from portal import clock
from portal.models import PublicNotice
from portal.roles import AgencyRole
from tests.agencies.builders import applicant, complete_application, published_call
from tests.catalog.builders import electrician_standard
from tests.portal.builders import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_notice_objection_closing_commitment_and_directory(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_ENABLED = False
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    user, agency = applicant()
    user.set_password(PASSWORD)
    user.save()
    application = complete_application(user, agency, call)
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=False
    )
    services.decide(world.gd_official, application, approve=True, reasons="符合遴选条件")
    notice = PublicNotice.objects.get(subject=f"agencies.agencyapplication:{application.pk}")

    # A visitor reads the notice under 公示公告 and objects.
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="公示公告").click()
    page.get_by_role("link", name=notice.title).click()
    page.locator("[name=name]").fill("王某")
    page.locator("[name=contact]").fill("13900000000")
    page.locator("[name=content]").fill("该机构考评人员不足。")
    page.locator("form button[type=submit]").last.click()
    assert "王某" not in page.content()
    page.screenshot(path=screenshot_dir / "journey-objection-filed.png", full_page=True)

    # The official of 广东 dismisses it.
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/notices/{notice.pk}/")
    assert "王某" in page.content()  # the authority sees who objected
    page.locator("textarea[name$=reason]").first.fill("经核实，考评人员配备符合要求。")
    page.locator("button[value=dismiss]").first.click()
    page.screenshot(path=screenshot_dir / "journey-objection-dismissed.png", full_page=True)
    page.get_by_role("button", name="退出登录").click()

    # The period ends; the daily job closes the notice and the approval stands.
    with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
        call_command("run_periodic", job=["portal.close_due_notices"])
    application = AgencyApplication.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.APPROVED

    # The agency admin signs the commitment letter; the agency is listed.
    sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/workspace/agency/{agency.pk}/applications/{application.pk}/sign/")
    assert "本机构自愿申请开展职业技能等级认定工作" in page.content()
    page.screenshot(path=screenshot_dir / "journey-commitment.png", full_page=True)
    page.locator("main form button[type=submit]").first.click()
    application = AgencyApplication.objects.get(pk=application.pk)
    assert application.status == ApplicationStatus.LISTED
    assert agency.memberships.filter(role=AgencyRole.ADMIN).exists()

    # Anyone finds it in the public directory.
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="评价机构目录").click()
    page.get_by_role("link", name="广州申请评价中心").click()
    content = page.content()
    assert "四级/中级工" in content and "电工国家职业技能标准" in content
    page.screenshot(path=screenshot_dir / "journey-directory-entry.png", full_page=True)
