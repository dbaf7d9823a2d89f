"""An official plans and draws; a member of the public verifies the draw (Art 25; decisions
0055, 0060), on a desktop and a phone (390 px): gd_official drafts a plan, adjusts a tier,
approves it (confirmed with the password), draws it with the public numbers on their date;
then someone not signed in opens 「双随机抽查」 from the home page and verifies the draw."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import clock
from supervision.models import Inspection, PlanState, SpotCheckPlan
from tests.portal.builders import PASSWORD, sign_in
from tests.supervision import builders_plans as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _confirm(page) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.get_by_label("您的密码").fill(PASSWORD)
    page.locator("main form button[name=confirmed]").click()
    page.locator(".messages .message.success").wait_for()


@pytest.mark.parametrize("width", [1366, 390])
def test_an_official_plans_and_draws_and_the_public_verifies(
    page, browser, live_server, world, screenshot_dir, width
):
    b.pools(world)
    b.check_items(world)
    size = {"width": width, "height": 900 if width > 400 else 844}
    page.set_viewport_size(size)
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/supervision/plans/")
    page.locator("main a[href$='/plans/new/']").click()
    today = clock.today()
    page.fill("input[name=title]", "浏览器测试抽查计划")
    page.fill("input[name=period_start]", today.isoformat())
    page.fill("input[name=period_end]", today.replace(month=12, day=31).isoformat())
    for box in page.locator("input[name=check_items]").all():
        box.check()
    page.fill("input[name=tier_1]", "1")
    page.fill("input[name=tier_4]", "100%")
    page.screenshot(path=screenshot_dir / f"plans-new-{width}.png", full_page=True)
    _fits(page, width)
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    plan = SpotCheckPlan.objects.get(title="浏览器测试抽查计划")

    # The pool with computed tiers; the 广东 test agency moved to tier 1 with a reason.
    row = page.locator(f"tr[data-object='agency:{world.gd_agency.pk}']")
    row.locator("select[name=tier]").select_option("1")
    row.locator("input[name=reason]").fill("投诉较多，提高风险等级")
    row.locator("button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    page.screenshot(path=screenshot_dir / f"plans-pool-{width}.png", full_page=True)
    _fits(page, width)

    page.locator("a[data-action=approve]").click()
    page.fill("input[name=randomness_source]", b.SOURCE)
    page.fill("input[name=randomness_date]", (today + dt.timedelta(days=1)).isoformat())
    _confirm(page)
    plan.refresh_from_db()
    assert plan.state == PlanState.SEALED
    assert page.locator("[data-refusal=draw]").is_visible()  # the numbers' day is tomorrow

    with clock.frozen(plan.randomness_date):
        page.reload()
        page.locator("a[data-action=draw]").click()
        page.fill("input[name=numbers]", b.NUMBERS)
        page.screenshot(path=screenshot_dir / f"plans-draw-{width}.png", full_page=True)
        _fits(page, width)
        _confirm(page)
        page.screenshot(path=screenshot_dir / f"plans-drawn-{width}.png", full_page=True)
        _fits(page, width)
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN
    assert Inspection.objects.filter(plan=plan).count() == 2
    assert "检查员" in page.locator("main").inner_text()

    # A member of the public, not signed in, from the home page.
    visitor = browser.new_context(viewport=size)
    public = visitor.new_page()
    public.goto(f"{live_server.url}/")
    public.get_by_role("link", name="双随机抽查").first.click()
    public.get_by_role("link", name="浏览器测试抽查计划").click()
    text = public.locator("main").inner_text()
    assert plan.sealed_digest in text and plan.seed in text and "检查员" not in text
    public.screenshot(path=screenshot_dir / f"plans-public-{width}.png", full_page=True)
    _fits(public, width)
    public.locator("a[data-action=verify]").click()
    public.locator("[data-verified=yes]").wait_for()
    assert public.locator("tr[data-ok=yes]").count() == 4
    public.screenshot(path=screenshot_dir / f"plans-verify-{width}.png", full_page=True)
    _fits(public, width)
    visitor.close()
