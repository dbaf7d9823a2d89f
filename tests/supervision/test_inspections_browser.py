"""Browser journeys of the inspections stage (Art 25), on a desktop and a phone (390 px): the
drawn inspector opens the inspection from the workspace, records an on-site visit with a
photo, records a serious finding and issues a rectification order; the agency's admin answers
it with evidence in its workspace; the inspector accepts the rectification."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import clock
from supervision.models import OrderState, RectificationOrder
from tests.portal.builders import sign_in
from tests.supervision.builders_inspections import drawn_plan, inspector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _shot(page, screenshot_dir, name: str, width: int) -> None:
    page.screenshot(path=screenshot_dir / f"inspections-{name}-{width}.png", full_page=True)
    _fits(page, width)


@pytest.mark.parametrize("width", [1366, 390])
def test_inspector_finds_and_orders_the_agency_answers_the_inspector_accepts(
    page, live_server, world, settings, tmp_path, screenshot_dir, width
):
    settings.MEDIA_ROOT = tmp_path
    user = inspector(world.inspector.username)
    _plan, (inspection,) = drawn_plan(world.gd_official, [(world.gd_agency, [user])])
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    photo = tmp_path / "考场照片.png"
    photo.write_bytes(PNG)

    sign_in(page, live_server, "inspector")
    page.goto(f"{live_server.url}/workspace/")
    assert "1 项检查待您完成" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/workspace/supervision/inspections/")
    page.locator("main table a", has_text=world.gd_agency.name).click()
    assert "开放查阅的资料" in page.content()
    page.get_by_role("link", name="填写检查记录").click()
    page.get_by_label("类型").select_option("on_site")
    page.get_by_label("在场人员").fill("机构负责人王五")
    page.get_by_label("检查内容与所见情况").fill("查看实操考场，监控无录像")
    page.get_by_label("照片和材料").set_input_files(str(photo))
    _shot(page, screenshot_dir, "record", width)
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()

    page.get_by_role("link", name="记录发现的问题").click()
    page.get_by_label("抽查事项").select_option(index=1)
    page.get_by_label("严重程度").select_option("serious")
    page.get_by_label("发现的问题").fill("实操考场监控录像缺失")
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    _shot(page, screenshot_dir, "inspection", width)

    page.get_by_role("link", name="下达整改通知").click()
    page.locator("main input[type=checkbox]").first.check()
    page.get_by_label("整改要求").fill("修复监控并保存录像")
    deadline = clock.today() + dt.timedelta(days=20)
    page.get_by_label("整改期限").fill(deadline.isoformat())
    _shot(page, screenshot_dir, "order-new", width)
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    order = RectificationOrder.objects.get(inspection=inspection)
    assert order.state == OrderState.OPEN and order.deadline == deadline

    # The agency answers in its workspace.
    page.context.clear_cookies()
    sign_in(page, live_server, "gd_admin")
    base = f"{live_server.url}/workspace/agency/{world.gd_agency.pk}"
    page.goto(f"{base}/")
    assert "1 项整改通知待您答复" in page.locator("main").inner_text()
    page.goto(f"{base}/supervision/orders/")
    assert "实操考场监控录像缺失" in page.locator("main").inner_text()
    _shot(page, screenshot_dir, "agency-orders", width)
    page.locator("main table a").first.click()
    page.get_by_label("整改情况").fill("已修复监控，录像保存一年")
    page.get_by_label("证明材料").set_input_files(str(photo))
    _shot(page, screenshot_dir, "agency-answer", width)
    page.locator("main form button[type=submit]").click()
    page.locator(".messages .message.success").wait_for()
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and order.answer_documents.count() == 1

    # The inspector accepts.
    page.context.clear_cookies()
    sign_in(page, live_server, "inspector")
    page.goto(f"{live_server.url}/workspace/supervision/inspections/orders/{order.pk}/")
    assert "已修复监控" in page.locator("main").inner_text()
    _shot(page, screenshot_dir, "order-review", width)
    page.get_by_role("button", name="确认整改到位").click()
    page.locator(".messages .message.success").wait_for()
    order.refresh_from_db()
    assert order.state == OrderState.ACCEPTED
    _shot(page, screenshot_dir, "order-accepted", width)


def test_the_inspector_concludes_and_the_official_suspends_on_the_serious_finding(
    page, live_server, world, settings, tmp_path, screenshot_dir
):
    """On a phone: the conclusion through its confirmation step; then the official of the
    province reads the inspection and suspends the agency through the agencies service, with
    the password, and the inspection shows what followed."""
    from agencies.models import Sanction
    from supervision.services import inspections as services
    from tests.portal.builders import PASSWORD

    settings.MEDIA_ROOT = tmp_path
    width = 390
    user = inspector(world.inspector.username)
    _plan, (inspection,) = drawn_plan(world.gd_official, [(world.gd_agency, [user])])
    services.add_finding(user, inspection, check_item=None, severity="serious", description="替考")
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, live_server, "inspector")
    page.goto(f"{live_server.url}/workspace/supervision/inspections/{inspection.pk}/")
    page.get_by_role("link", name="作出检查结论").click()
    page.get_by_label("检查结论").select_option("problems_found")
    page.locator("main form button[type=submit]").click()
    assert "作出结论后不能再添加记录和问题" in page.content()
    _shot(page, screenshot_dir, "conclude-confirm", width)
    page.locator("main form button[name=confirmed]").click()
    page.locator(".messages .message.success").wait_for()
    inspection.refresh_from_db()
    assert inspection.state == "concluded" and inspection.publish_due is not None

    page.context.clear_cookies()
    sign_in(page, live_server, "gd_official")
    page.goto(f"{live_server.url}/workspace/supervision/inspections/")
    page.locator("main table a", has_text=world.gd_agency.name).click()
    page.get_by_role("link", name="启动后续处理").click()
    page.get_by_label("后续处理").select_option("suspension")
    page.get_by_label("原因").fill("抽查发现替考，暂停认定工作")
    page.get_by_label("法律依据").fill("《职业技能等级认定工作规程》第二十七条")
    page.get_by_label("暂停至").fill(clock.today().replace(year=clock.today().year + 1).isoformat())
    _shot(page, screenshot_dir, "follow-up", width)
    page.locator("main form button[type=submit]").click()
    page.get_by_label("您的密码").fill(PASSWORD)
    _shot(page, screenshot_dir, "follow-up-confirm", width)
    page.locator("main form button[name=confirmed]").click()
    page.locator(".messages .message.success").wait_for()
    sanction = Sanction.objects.get(agency=world.gd_agency)
    assert f"agencies.sanction:{sanction.pk}" in page.content()
    assert page.get_by_role("link", name="该机构的处理记录").count() == 1
    _shot(page, screenshot_dir, "follow-up-done", width)
