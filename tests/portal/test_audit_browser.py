"""The audit trail in the browser, at 1366 px and at 390 px (a phone): the sentences fit,
the changes unfold, nothing is wider than the screen. Screenshots land in var/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal import audit
from portal.access import SYSTEM
from portal.models import AgencyStatus, PeriodicRun
from tests.portal.builders import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def _entries(world):
    long_reason = "日常检查发现考评人员配备不足，考务管理制度未落实，责令限期整改。" * 4
    for n in range(3):
        audit.record(
            world.gd_official,
            "agencies.agency.suspend",
            world.gd_agency,
            {
                "status": [AgencyStatus.LISTED, AgencyStatus.SUSPENDED],
                "until": [None, dt.date(2027, 1, 17 + n)],
                "reason": [None, long_reason],
                "is_demo": [False, True],
            },
            audience="agency",
        )
    audit.record(
        SYSTEM,
        "agencies.agency.suspension_ended",
        world.gd_agency,
        {"status": [AgencyStatus.SUSPENDED, AgencyStatus.LISTED]},
        audience="agency",
    )
    now = timezone.now()
    PeriodicRun.objects.create(
        job="portal.verify_audit", started_at=now, finished_at=now, ok=True, detail="ok"
    )


def test_the_trail_reads_and_fits_on_a_desktop_and_a_phone(
    page, live_server, world, screenshot_dir
):
    _entries(world)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/audit/?object_type=portal.agency")
    assert page.locator("#id_object_type").evaluate("e => e.tagName") == "SELECT"
    assert "哈希链校验：完整" in page.locator("#chain-status").inner_text()
    first = page.locator("tbody.audit-entry").first
    assert "系统（定时任务）在暂停期满时解除了暂停：暂停 → 已列入目录" in first.inner_text()
    assert page.locator("code.action-code").first.is_visible()
    page.locator("tbody.audit-entry summary").first.click()
    assert page.locator("dl.changes").first.is_visible()
    assert page.evaluate(NO_OVERFLOW)
    page.screenshot(path=screenshot_dir / "audit-desktop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator("tbody.audit-entry summary").nth(1).click()
    assert page.evaluate(NO_OVERFLOW), "the audit trail is wider than a phone"
    page.screenshot(path=screenshot_dir / "audit-phone.png", full_page=True)


def test_the_agencys_trail_fits_a_phone_without_codes(page, live_server, world, screenshot_dir):
    _entries(world)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "gd_admin")
    page.goto(f"{live_server.url}/workspace/agency/{world.gd_agency.pk}/audit/")
    assert "暂停了评价机构：已列入目录 → 暂停" in page.locator("table.audit-table").inner_text()
    assert page.locator("code.action-code").count() == 0
    assert page.evaluate(NO_OVERFLOW), "the agency's audit trail is wider than a phone"
    page.screenshot(path=screenshot_dir / "audit-agency-phone.png", full_page=True)
