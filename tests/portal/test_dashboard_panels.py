"""Dashboard panels over a queue show how many wait, how long the oldest has waited and
when one falls due, the same way for every app; an overdue queue is highlighted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import clock, notices
from portal.roles import AuthorityRole
from portal.ui import dashboards
from portal.ui.dashboards import Panel

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 6, 1)
KEY = "tests.panels.queue"


@pytest.fixture
def queue_panel():
    """A queue panel for ministry officials whose figures each test sets."""
    figures: dict = {}
    dashboards.register_panel(
        KEY,
        {AuthorityRole.MINISTRY_OFFICIAL},
        lambda request: Panel(title="测试队列", order=1, **figures),
    )
    yield figures
    dashboards._PANELS = [p for p in dashboards._PANELS if p[1] != KEY]


def _waiting_line(client) -> str:
    page = client.get(reverse("portal:dashboard")).content.decode()
    start = page.index("测试队列")
    line = page[page.index('<p class="waiting', start) :]
    return line[: line.index("</p>") + 4]


def _days_ago(days: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=days), dt.time(15)))


def test_a_queue_shows_its_count_waiting_time_and_due_date(client, world, queue_panel):
    queue_panel.update(count=3, oldest=_days_ago(5), due_on=dt.date(2027, 6, 3))
    client.force_login(world.ministry)
    with clock.frozen(TODAY):
        line = _waiting_line(client)
    # Thursday 27 May to Tuesday 1 June: 3 working days (Friday, Monday, Tuesday).
    assert line == '<p class="waiting">3 项待办 · 最早已等待 3 个工作日 · 2027年6月3日到期</p>'


def test_an_overdue_queue_is_highlighted(client, world, queue_panel):
    queue_panel.update(count=1, due_on=dt.date(2027, 5, 31))
    client.force_login(world.ministry)
    with clock.frozen(TODAY):
        line = _waiting_line(client)
    assert line == '<p class="waiting overdue">1 项待办 · 2027年5月31日到期（已逾期）</p>'


def test_an_item_that_arrived_today(client, world, queue_panel):
    queue_panel.update(count=1, oldest=_days_ago(0))
    client.force_login(world.ministry)
    with clock.frozen(TODAY):
        assert _waiting_line(client) == '<p class="waiting">1 项待办 · 今天送达</p>'


def test_a_panel_without_a_queue_shows_no_waiting_line(client, world, queue_panel):
    queue_panel.update(count=4)
    client.force_login(world.ministry)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "测试队列" in page and 'class="waiting' not in page
    assert Panel(title="x").waiting_days is None and not Panel(title="x").overdue


def test_the_objections_panel_shows_how_long_the_oldest_has_waited(
    client, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    notices.register_kind(
        "tests.panels",
        label="面板测试",
        on_stood=lambda notice: None,
        on_overturned=lambda notice, objection: None,
    )
    with clock.frozen(dt.date(2027, 3, 5)):
        notice = notices.publish_notice(
            world.gd_official,
            "tests.thing:1",
            kind="tests.panels",
            title="面板测试公示",
            body="正文",
            period_working_days=5,
            jurisdiction="440000",
        )
        notices.file_objection(notice, name="张三", contact="13800138000", content="有异议。")
    client.force_login(world.gd_official)
    with clock.frozen(dt.date(2027, 3, 9)):
        page = client.get(reverse("portal:dashboard")).content.decode()
    # Friday 5 March to Tuesday 9 March: 2 working days; each to-do line says it, with the
    # day the portal promised the objector an answer by (answer_due_on).
    assert "1 件异议待处理" in page
    with clock.frozen(dt.date(2027, 3, 9)):
        due = notices.answer_due_on(notice.objections.get().submitted_at)
    assert due > dt.date(2027, 3, 9)
    due_text = f"{due.year}年{due.month}月{due.day}日到期"
    assert f'<span class="waiting">（已等待 2 个工作日 · {due_text}）</span>' in page


def test_a_panel_of_to_dos_shows_each_line_and_facts_without_a_badge(client, world):
    """Each to-do has its own waiting time (working or calendar days) and deadline; the badge
    sums the to-dos; information lines never make a badge (ADR 0027)."""
    key = "tests.panels.todos"
    todos = [
        dashboards.Todo(2, "2 件测试待办", "/x/", oldest=_days_ago(5)),
        dashboards.Todo(1, "1 件日历日待办", oldest=_days_ago(5), working_days=False),
        dashboards.Todo(0, "0 件不显示"),
        dashboards.Todo(1, "1 件到期待办", due_on=dt.date(2027, 5, 31)),
    ]
    dashboards.register_panel(
        key,
        {AuthorityRole.MINISTRY_OFFICIAL},
        lambda request: dashboards.todo_panel(
            "待办面板", todos=list(todos), facts=["本辖区有 3 个账号"], order=1
        ),
    )
    info = "tests.panels.info"
    dashboards.register_panel(
        info,
        {AuthorityRole.MINISTRY_OFFICIAL},
        lambda request: Panel(title="信息面板", facts=["管理 9 个账号"], order=2),
    )
    try:
        client.force_login(world.ministry)
        with clock.frozen(TODAY):
            page = client.get(reverse("portal:dashboard")).content.decode()
    finally:
        dashboards._PANELS = [p for p in dashboards._PANELS if p[1] not in (key, info)]
    section = page[page.index("待办面板") : page.index("</section>", page.index("待办面板"))]
    assert '<span class="badge">4</span>' in section
    assert (
        '<a href="/x/">2 件测试待办</a><span class="waiting">（最早已等待 3 个工作日）' in section
    )
    assert '1 件日历日待办<span class="waiting">（已等待 5 天）' in section
    assert "0 件不显示" not in section
    assert (
        '<li class="overdue">1 件到期待办<span class="waiting">（2027年5月31日到期（已逾期））'
        in section
    )
    assert "<li>本辖区有 3 个账号</li>" in section
    other = page[page.index("信息面板") : page.index("</section>", page.index("信息面板"))]
    assert "badge" not in other and "<li>管理 9 个账号</li>" in other
