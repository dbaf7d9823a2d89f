"""Dashboards that count what waits for each user, queues that open on it, and the process
tracker of an application (docs/decisions/0027).

One pipeline of applications of a 广东 call, each stopped at another step, is built on known
days: Monday 1 March 2027 (submitted), Tuesday 2 (accepted, decided) and Wednesday 3 (accepted
for a site visit), an objection on Thursday 4; the pages are read on Monday 8 March. Waiting is
counted in working days for the authorities (Monday 1 → Monday 8: 5 working days) and in
calendar days for the applicant.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies import queries, services
from agencies.models import AgencyApplication, ApplicationStatus
from agencies.queries.vetting import Stage
from portal import clock
from portal.ui import tracker
from tests.agencies.builders import fill, register, uscc, vetting_pipeline

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU = (dt.date(2027, 3, d) for d in (1, 2, 3, 4))
TODAY = dt.date(2027, 3, 8)
QUEUE = reverse("agencies:vetting")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pipeline(world):
    """One application at each step of the vetting of a 广东 call."""
    return vetting_pipeline(world, MON)


def _page(client, user, url=None, **query) -> str:
    client.force_login(user)
    with clock.frozen(TODAY):
        return client.get(url or reverse("portal:dashboard"), query).content.decode()


def _panels(client, user, url=None) -> list:
    client.force_login(user)
    with clock.frozen(TODAY):
        return client.get(url or reverse("portal:dashboard")).context["panels"]


# --- Dashboards ----------------------------------------------------------------------------


def test_the_vetting_officials_dashboard_counts_each_step_with_its_waiting_time(
    client, world, pipeline
):
    body = _page(client, world.gd_official)
    # Monday 1 → Monday 8: 5 working days; Tuesday 2: 4; Wednesday 3: 3; Thursday 4: 2.
    wait = '</a><span class="waiting">（已等待 %d 个工作日）'
    for line in (
        f'<a href="{QUEUE}?stage=check">1 份申请待材料核验' + wait % 5,
        f'<a href="{QUEUE}?stage=assign">1 份申请待指派专家' + wait % 4,
        f'<a href="{QUEUE}?stage=visit">1 次实地核查待记录' + wait % 3,
        f'<a href="{QUEUE}?stage=decide">1 份申请待作出审批决定' + wait % 4,
        # …and the answer promised to the objector falls due (answer_due_on).
        "1 件异议待处理" + (wait % 2)[:-1] + " · ",
    ):
        assert line in body, line
    # What waits for others is information, not a to-do.
    assert "1 份申请等待专家提交评审意见" in body
    assert "1 份申请已退回，等待申请机构补正" in body
    assert "1 家已批准机构尚未签署承诺书" in body
    ends = pipeline["notice_ends"]
    assert (
        f"1 份拟批准结果公示中（最早一项公示期至{ends.year}年{ends.month}月{ends.day}日）" in body
    )

    panels = {p.links[0].url: p for p in _panels(client, world.gd_official) if p.links}
    vetting = panels[QUEUE]
    assert vetting.count == 4  # the badge counts the official's to-dos only
    assert len(vetting.todos) == 4 and len(vetting.facts) == 4
    assert clock.working_days_between(MON, TODAY) == 5
    assert timezone_date(vetting.oldest) == MON and vetting.due_on is None
    accounts = panels[reverse("accounts:list")]
    assert accounts.count is None and not accounts.todos  # information: no badge

    # 黑龙江 sees nothing of 广东's applications.
    hlj = {p.links[0].url: p for p in _panels(client, world.hlj_official) if p.links}[QUEUE]
    assert hlj.count == 0 and not hlj.todos and not hlj.facts


def timezone_date(moment):
    from django.utils import timezone

    return timezone.localdate(moment)


def test_the_national_officials_dashboard_is_scoped_to_national_calls(client, world, pipeline):
    panels = {p.links[0].url: p for p in _panels(client, world.ministry) if p.links}
    vetting = panels[QUEUE]
    assert vetting.count == 0 and not vetting.todos  # 广东's call is vetted in 广东
    body = _page(client, world.ministry)
    assert "目前没有待办事项。" in body
    # National officials see every notice's objections (Art 24).
    assert "1 件异议待处理" in body
    with clock.frozen(TODAY):
        call = services.create_call(
            world.ministry,
            jurisdiction="000000",
            title="全国评价机构征集公告",
            body="面向全国征集。",
            opens_on=TODAY,
            deadline=TODAY + dt.timedelta(days=30),
        )
        call = services.publish_call(world.ministry, call)
        user, agency = register("全国技能评价中心", uscc("91110000MA5NAT0A0"))
        application = fill(user, services.start_application(user, agency, call))
        services.submit_application(user, application, pledge=True)
    body = _page(client, world.ministry)
    assert f'<a href="{QUEUE}?stage=check">1 份申请待材料核验</a>' in body
    assert "今天送达" in body


def test_the_testing_centre_reads_the_steps_as_information(client, world, pipeline):
    panel = {p.links[0].url: p for p in _panels(client, world.osta_gd) if p.links}[QUEUE]
    assert panel.count is None and not panel.todos  # it does not vet: no badge, no to-do
    assert "1 份申请待作出审批决定" in [str(f) for f in panel.facts]


def test_the_experts_dashboard_counts_declarations_then_reviews(client, world, pipeline):
    body = _page(client, world.expert)
    assert '1 份申请待声明利益冲突</a><span class="waiting">（已等待 4 个工作日）' in body
    assignment = pipeline["opinions"].expert_assignments.get(expert=world.expert)
    with clock.frozen(dt.date(2027, 3, 5)):
        services.declare_conflict(world.expert, assignment, has_conflict=False)
    body = _page(client, world.expert)
    assert '1 份评审意见待提交</a><span class="waiting">（已等待 1 个工作日）' in body
    assert "待声明利益冲突" not in body


def test_the_applicants_dashboard_says_what_to_do_in_calendar_days(client, world, pipeline):
    employer = pipeline["employer"].agency
    home = reverse("portal:agency_home", args=[employer.pk])
    body = _page(client, pipeline["employer_user"], home)
    sign = reverse("agencies:application_sign", args=[employer.pk, pipeline["employer"].pk])
    assert f'<a href="{sign}">签署承诺书</a><span class="waiting">（已等待 6 天）' in body
    returned = pipeline["returned"].agency
    body = _page(
        client, pipeline["returned_user"], reverse("portal:agency_home", args=[returned.pk])
    )
    assert "按退回意见补正材料后重新提交</a>" in body and "已等待 6 天" in body
    # world.gd_agency waits for the authority: nothing to do, said without a red badge.
    panels = _panels(
        client, world.members["admin"], reverse("portal:agency_home", args=[world.gd_agency.pk])
    )
    application_panel = next(p for p in panels if p.listing and not p.todos and p.order == 5)
    assert application_panel.count == 0


def test_the_agency_clerk_sees_returned_specifications_as_to_dos(client, world):
    from catalog import services as catalog
    from catalog.models import Method, Occupation

    levels = [catalog.LevelInput("5", [catalog.MethodInput(Method.THEORY, 100, 60, 90)])]
    with clock.frozen(MON):
        spec = catalog.create_spec(
            world.members["staff"],
            world.gd_agency,
            occupation=Occupation.objects.get(code="4-13-01-05"),
            title="全媒体运营师评价规范",
            levels=levels,
        )
        catalog.submit_spec(world.members["staff"], spec)
    home = reverse("portal:agency_home", args=[world.gd_agency.pk])
    assert "1 份评价规范正在备案审查" in _page(client, world.members["staff"], home)
    with clock.frozen(WED):
        catalog.return_spec(world.osta_national, spec, comments="请补充评分细则。")
    body = _page(client, world.members["staff"], home)
    assert '1 份评价规范被退回待修改</a><span class="waiting">（已等待 5 天）' in body
    # The testing centre's filing queue counts in working days.
    with clock.frozen(THU):
        catalog.submit_spec(world.members["staff"], spec)
    body = _page(client, world.osta_national)
    assert '1 份评价规范待备案审查</a><span class="waiting">（已等待 2 个工作日）' in body
    # Its queue opens on the submitted ones, searched by the agency's credit code.
    queue = reverse("catalog:spec_queue")
    spec_url = reverse("catalog:spec_review", args=[spec.pk])
    body = _page(client, world.osta_national, queue)
    assert spec_url in body and "已等待 2 个工作日" in body
    assert spec_url in _page(client, world.osta_national, queue, q=world.gd_agency.uscc[-6:])
    body = _page(client, world.osta_national, queue, q="无此规范")
    assert spec_url not in body and "没有与“无此规范”匹配的评价规范" in body
    body = _page(client, world.osta_national, queue, status="filed")
    assert spec_url not in body
    body = _page(client, world.osta_national, queue, status="nonsense")
    assert spec_url in body and "已忽略：状态。" in body


# --- Queues --------------------------------------------------------------------------------


def _rows(body: str, pipeline, keys) -> list[str]:
    """The keys of ``pipeline`` whose application links appear in ``body``, in page order."""
    found = [
        (body.index(url), key)
        for key in keys
        if (url := reverse("agencies:vetting_detail", args=[pipeline[key].pk])) in body
    ]
    return [key for _at, key in sorted(found)]


KEYS = ("check", "assign", "visit", "decide", "opinions", "notice", "returned", "employer")


def test_the_vetting_queue_opens_on_what_waits_longest_first(client, world, pipeline):
    body = _page(client, world.gd_official, QUEUE)
    # Longest waiting first; the applications waiting for others are not listed.
    assert _rows(body, pipeline, KEYS) == ["check", "assign", "decide", "visit"]
    assert "待我处理（4）" in body and "已等待 5 个工作日" in body
    body = _page(client, world.gd_official, QUEUE, sort="recent")
    assert _rows(body, pipeline, KEYS) == ["visit", "decide", "assign", "check"]
    body = _page(client, world.gd_official, QUEUE, status="all")
    assert set(_rows(body, pipeline, KEYS)) == set(KEYS)
    ends = pipeline["notice_ends"]
    assert f"公示期至{ends.year}年{ends.month}月{ends.day}日" in body  # the deadline in the row
    assert "专家意见：0/3" in body
    body = _page(client, world.gd_official, QUEUE, stage="decide")
    assert _rows(body, pipeline, KEYS) == ["decide"]
    body = _page(client, world.gd_official, QUEUE, status="on_notice")
    assert _rows(body, pipeline, KEYS) == ["notice"]


def test_the_vetting_queue_searches_by_name_and_credit_code(client, world, pipeline):
    body = _page(client, world.gd_official, QUEUE, q="天河技能")
    assert _rows(body, pipeline, KEYS) == ["decide"]
    code = pipeline["visit"].uscc
    body = _page(client, world.gd_official, QUEUE, q=code.lower()[-8:])
    assert _rows(body, pipeline, KEYS) == ["visit"]
    # The search covers the pending ones by default, every one under "all".
    assert _rows(_page(client, world.gd_official, QUEUE, q="番禺"), pipeline, KEYS) == []
    body = _page(client, world.gd_official, QUEUE, q="番禺", status="all")
    assert _rows(body, pipeline, KEYS) == ["notice"]
    body = _page(client, world.gd_official, QUEUE, q="不存在的机构")
    assert "没有与“不存在的机构”匹配的申请" in body


def test_a_bad_filter_value_is_ignored_with_a_note(client, world, pipeline):
    body = _page(client, world.gd_official, QUEUE, status="bogus", sort="sideways")
    assert "部分筛选条件的取值无法识别，已忽略：状态、排序。列表按其余条件筛选。" in body
    assert 'class="error"' not in body  # no raw form error
    assert _rows(body, pipeline, KEYS) == ["check", "assign", "decide", "visit"]


def test_the_queue_is_scoped_and_its_queries_do_not_grow(
    client, world, pipeline, django_assert_max_num_queries
):
    assert _rows(_page(client, world.hlj_official, QUEUE, status="all"), pipeline, KEYS) == []
    client.force_login(world.gd_official)
    with clock.frozen(TODAY), django_assert_max_num_queries(12):
        response = client.get(QUEUE, {"status": "all"})
    assert response.status_code == 200
    # Eight rows or one: the same number of queries (no query per row).
    counts = []
    for query in ({"status": "all"}, {"stage": "decide"}):
        with clock.frozen(TODAY), CaptureQueriesContext(connection) as captured:
            client.get(QUEUE, query)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    work = queries.vetting_worklist(world.gd_official)
    assert {k: v["count"] for k, v in work.items()} == {
        Stage.CHECK: 1,
        Stage.ASSIGN: 1,
        Stage.VISIT: 1,
        Stage.DECIDE: 1,
        Stage.OPINIONS: 1,
        Stage.NOTICE: 1,
        Stage.COMMITMENT: 1,
        Stage.RETURNED: 1,
    }


def test_the_expert_and_change_queues_open_on_what_is_pending(client, world, pipeline):
    url = reverse("agencies:expert_assignments")
    assignment = pipeline["opinions"].expert_assignments.get(expert=world.expert)
    mine = reverse("agencies:expert_assignment", args=[assignment.pk])
    body = _page(client, world.expert, url)
    assert mine in body and "已等待 4 个工作日" in body
    assert mine not in _page(client, world.expert, url, q="无此机构")
    assert mine in _page(client, world.expert, url, q=pipeline["opinions"].uscc)
    body = _page(client, world.expert, url, show="later")
    assert "已忽略：显示。" in body and mine in body
    body = _page(client, world.gd_official, reverse("agencies:change_requests"), kind="nope")
    assert "已忽略：类型。" in body
    assert "暂无待决定的变更申请。" in body


# --- The process tracker -------------------------------------------------------------------


def _states(application) -> list[tuple[str, str]]:
    steps = queries.application_steps(AgencyApplication.objects.get(pk=application.pk))
    return [(s.state, s.note and str(s.note)) for s in steps]


D, C, T, X, S = tracker.DONE, tracker.CURRENT, tracker.TODO, tracker.STOPPED, tracker.SKIPPED


def test_the_tracker_shows_the_step_reached_by_each_application(world, pipeline):
    assert _states(pipeline["check"]) == [(D, ""), (C, ""), (T, ""), (T, ""), (T, ""), (T, "")]
    assert _states(pipeline["returned"])[:2] == [(D, ""), (C, "退回补正")]
    assert _states(pipeline["opinions"])[:3] == [(D, ""), (D, ""), (C, "")]
    assert [s for s, _n in _states(pipeline["notice"])] == [D, D, D, C, T, T]
    # An employer's approval has no public notice (Art 14): the step is skipped.
    assert _states(pipeline["employer"]) == [
        (D, ""),
        (D, ""),
        (D, ""),
        (S, "用人单位无需公示"),
        (C, ""),
        (T, ""),
    ]
    steps = queries.application_steps(AgencyApplication.objects.get(pk=pipeline["notice"].pk))
    assert steps[3].until == pipeline["notice_ends"]
    assert timezone_date(steps[0].date) == MON and timezone_date(steps[1].date) == TUE

    with clock.frozen(THU):
        services.sign_commitment(pipeline["employer_user"], pipeline["employer"])
        services.decide(world.gd_official, pipeline["decide"], approve=False, reasons="不符合。")
        services.withdraw_application(world.members["admin"], pipeline["check"])
    assert _states(pipeline["employer"])[4:] == [(D, ""), (D, "")]
    assert [s for s, _n in _states(pipeline["decide"])] == [D, D, X, T, T, T]
    assert _states(pipeline["decide"])[2] == (X, "未通过")
    assert _states(pipeline["check"])[1] == (X, "申请机构已撤回")
    steps = queries.application_steps(AgencyApplication.objects.get(pk=pipeline["employer"].pk))
    assert timezone_date(steps[5].date) == THU


def test_the_tracker_is_on_the_applicants_and_the_officials_page(client, world, pipeline):
    application = pipeline["notice"]
    agency_page = reverse("agencies:application", args=[application.agency_id, application.pk])
    for user, url in (
        (pipeline["notice_user"], agency_page),
        (world.gd_official, reverse("agencies:vetting_detail", args=[application.pk])),
    ):
        body = _page(client, user, url)
        tracker_html = body[
            body.index('<ol class="tracker"') : body.index(
                "</ol>", body.index('<ol class="tracker"')
            )
        ]
        assert tracker_html.count("<li") == 6
        for label in ("提交", "材料核验", "技术评估", "公示", "承诺书", "列入目录"):
            assert f'<span class="step-name">{label}</span>' in tracker_html
        assert (
            'class="current" aria-current="step"><span class="step-name">公示</span>'
            in tracker_html
        )
        assert "2027年3月1日" in tracker_html and "2027年3月2日起" in tracker_html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE


def test_the_dashboard_reads_a_bounded_number_of_queries(
    client, world, pipeline, django_assert_max_num_queries
):
    """The panels read one aggregate per queue, not one query per application (18 queries
    today with eight applications, an objection and the calendar read per to-do line; the
    late-results panel of exam affairs adds four: the sessions and the working-day cut-offs of
    the two agency kinds; the certificate requests panel one aggregate; supervision six: the
    plans panel, the overdue rectification orders, and the results waiting for publication
    with their working-day cut-off)."""
    client.force_login(world.gd_official)
    with clock.frozen(TODAY), django_assert_max_num_queries(31):
        assert client.get(reverse("portal:dashboard")).status_code == 200
