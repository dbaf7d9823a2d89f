"""Publication of spot-check results (一公开, Art 25; decision 0056): publishing a concluded
inspection as a notice that takes no objections and names no person, the refusals, the
publication deadline on the working-day calendar, the public results page before and after
(and its cache), the officials' tracker, panel and periodic check."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from portal import clock, notices, pagecache
from portal.models import AuditEntry, CalendarDay, NoticeStatus, Objection
from portal.ui.dashboards import panels_for
from supervision import deadlines
from supervision.models import Inspection, InspectionState, PlanState
from supervision.services import publication
from supervision.services.publication import publish_result
from tests.portal.builders import world_view
from tests.supervision import builders_publication as b

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rows(world_pks, django_db_blocker):
    """The plans and inspections, built once in a transaction rolled back at the module's end;
    each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = b.build(world_view(world_pks))
        yield {
            "plan": built.plan.pk,
            "problems": built.problems.pk,
            "clean": built.clean.pk,
            "running": built.running.pk,
            "hlj_plan": built.hlj_plan.pk,
            "hlj": built.hlj.pk,
        }
        transaction.set_rollback(True)


@pytest.fixture
def world(world_pks, rows, db):
    return world_view(world_pks)


def get(name: str, rows) -> Inspection:
    return Inspection.objects.select_related("plan", "agency").get(pk=rows[name])


def results_url(rows, plan="plan") -> str:
    return reverse("supervision:public_results", args=[rows[plan]])


# --- Publishing -----------------------------------------------------------------------------


def test_publishing_a_clean_result_puts_a_notice_up_that_takes_no_objections(world, rows, client):
    done = publish_result(world.gd_official, get("clean", rows))
    done.refresh_from_db()
    assert done.state == InspectionState.PUBLISHED
    assert done.published_at is not None
    notice = done.notice
    assert notice.kind == "supervision.spot_check_result"
    assert notice.jurisdiction == "440000" and notice.agency_id == done.agency_id
    assert notice.subject == f"supervision.inspection:{done.pk}"
    assert "未发现问题" in notice.body and b.PLAN_TITLE in notice.body
    assert not notices.is_accepting(notice)
    with pytest.raises(ValidationError) as refused:
        notices.file_objection(notice, name="某某", contact="13800138000", content="不服")
    assert refused.value.error_list[0].code == "no_objections"
    entry = AuditEntry.objects.get(action="supervision.publication.publish", object_id=str(done.pk))
    assert entry.changes["state"] == ["concluded", "published"]
    assert entry.changes["notice"] == [None, notice.pk]
    # The notice's public page says so and has no objection form; a POST files nothing.
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "本公告公开检查结果，不接受异议。" in page and 'name="contact"' not in page
    assert "行政复议" in page and results_url(rows) in page
    client.post(reverse("notices:detail", args=[notice.pk]), {"name": "某", "content": "不服"})
    assert not Objection.objects.filter(notice=notice).exists()


def test_the_notice_counts_findings_per_check_item_and_names_no_person(world, rows):
    done = publish_result(world.gd_official, get("problems", rows))
    title, body = done.notice.title, done.notice.body
    assert world.gd_agency.name in title and b.PLAN_TITLE in title
    assert "广东省人力资源和社会保障厅" in body and world.gd_agency.uscc in body
    assert "T44-01 考评人员资格与管理：严重问题 1 项" in body
    assert "T44-02 考场设置与考务组织：一般问题 1 项" in body
    assert "检查结论：发现问题" in body
    deadline = done.orders.get().deadline
    assert f"已责令该机构于{deadline.year}年{deadline.month}月{deadline.day}日前完成整改" in body
    for personal in (b.SECRET_ID, "赵六", "李四", "王五", b.INSPECTOR_NAME, "无有效资格"):
        assert personal not in title + body, personal


def test_the_ministry_publishes_any_plan_s_result(world, rows):
    assert publish_result(world.ministry, get("hlj", rows)).state == InspectionState.PUBLISHED


@pytest.mark.parametrize(
    ("who", "which", "error"),
    [
        ("gd_official", "running", ValidationError),  # not concluded
        ("hlj_official", "clean", PermissionDenied),  # another province's plan
        ("gd_official", "hlj", PermissionDenied),
        ("inspector", "clean", PermissionDenied),
        ("osta_gd", "clean", PermissionDenied),
        ("nobody", "clean", PermissionDenied),
    ],
)
def test_refusals_publish_nothing(world, rows, who, which, error):
    with pytest.raises(error):
        publish_result(getattr(world, who), get(which, rows))
    assert get(which, rows).notice_id is None
    assert not AuditEntry.objects.filter(action="supervision.publication.publish").exists()


def test_a_result_is_published_once(world, rows):
    publish_result(world.gd_official, get("clean", rows))
    with pytest.raises(ValidationError, match="该检查结果已经公布"):
        publish_result(world.ministry, get("clean", rows))
    assert notices.public_notices(kind=publication.NOTICE_KIND).count() == 1


def test_the_notice_leaves_the_current_list_when_its_period_ends(world, rows):
    notice = publish_result(world.gd_official, get("clean", rows)).notice
    with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
        assert notices.close_due_notices() == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED and notice.outcome == "stood"
    assert get("clean", rows).state == InspectionState.PUBLISHED


# --- The deadline ---------------------------------------------------------------------------


def test_publish_due_counts_working_days_and_skips_a_holiday(world, rows, settings):
    settings.SPOT_CHECK_PUBLISH_WORKING_DAYS = 20
    monday = dt.date(2031, 3, 3)
    assert deadlines.publish_due(monday) == dt.date(2031, 3, 31)
    CalendarDay.objects.create(date=dt.date(2031, 3, 12), kind="holiday", name="测试假日")
    assert deadlines.publish_due(monday) == dt.date(2031, 4, 1)
    # The tracker counts what is left on the same calendar.
    found = b.conclude(get("running", rows), world.inspector, monday)
    assert found.publish_due == dt.date(2031, 4, 1)
    with clock.frozen(dt.date(2031, 3, 28)):  # a Friday: Monday 31 and Tuesday 1 are left
        row = next(r for r in b_tracker(world.gd_official)["rows"] if r.inspection.pk == found.pk)
        assert (row.days_left, row.days_late) == (2, None)
    with clock.frozen(dt.date(2031, 4, 3)):
        row = next(r for r in b_tracker(world.gd_official)["rows"] if r.inspection.pk == found.pk)
        assert (row.days_left, row.days_late) == (None, 2)


def b_tracker(user):
    from supervision.queries import publication as queries

    return queries.tracker(user)


# --- The public results page ----------------------------------------------------------------


def test_the_results_page_before_and_after_publication(world, rows, client):
    page = client.get(results_url(rows)).content.decode()
    assert page.count("检查中") >= 3 and "5e" * 32 in page and "9f" * 32 in page
    assert "共抽取 3 个检查对象" in page and "3 项中已公布 0 项" in page
    assert world.gd_agency.name in page and "高风险" in page
    clean = publish_result(world.gd_official, get("clean", rows))
    page = client.get(results_url(rows)).content.decode()
    assert "3 项中已公布 1 项" in page
    assert reverse("notices:detail", args=[clean.notice_id]) in page
    assert "未发现问题" in page
    problems = publish_result(world.gd_official, get("problems", rows))
    page = client.get(results_url(rows)).content.decode()
    assert "严重问题 1 项" in page and "整改期限" in page
    assert b.SECRET_ID not in page and b.INSPECTOR_NAME not in page and "赵六" not in page
    assert reverse("notices:detail", args=[problems.notice_id]) in page


def test_only_drawn_spot_check_plans_have_a_results_page(world, rows, client):
    plan = get("clean", rows).plan
    type(plan).objects.filter(pk=plan.pk).update(state=PlanState.SEALED)
    assert client.get(results_url(rows)).status_code == 404
    type(plan).objects.filter(pk=plan.pk).update(state=PlanState.DRAWN, kind="quality")
    assert client.get(results_url(rows)).status_code == 404
    assert client.get(reverse("supervision:public_results", args=[999999])).status_code == 404


def main(body: str) -> str:
    return body[body.index("<main") : body.index("</main>")]


@pytest.fixture
def cached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pagecache-{uuid.uuid4()}",
        }
    }
    pagecache._local.clear()
    yield
    pagecache._local.clear()


def test_publishing_invalidates_the_cached_results_page(
    world, rows, client, cached, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = client.get(results_url(rows)).content.decode()
    assert "3 项中已公布 0 项" in first
    with django_assert_num_queries(0):
        again = client.get(results_url(rows)).content.decode()
    assert main(again) == main(first)
    with django_capture_on_commit_callbacks(execute=True):
        publish_result(world.gd_official, get("clean", rows))
    assert "3 项中已公布 1 项" in client.get(results_url(rows)).content.decode()


# --- The officials' tracker, panel and periodic check ---------------------------------------


def test_the_tracker_lists_the_jurisdiction_s_results_due_first(world, rows, client):
    late = b.conclude(get("running", rows), world.inspector, clock.today() - dt.timedelta(days=60))
    client.force_login(world.gd_official)
    page = client.get(reverse("supervision:publication")).content.decode()
    for name in ("problems", "clean"):
        assert f'id="inspection-{rows[name]}"' in page
    assert f'id="inspection-{rows["hlj"]}"' not in page
    assert page.index(f"inspection-{late.pk}") < page.index(f"inspection-{rows['clean']}")
    assert "已逾期" in page and "剩余" in page
    client.force_login(world.hlj_official)
    page = client.get(reverse("supervision:publication")).content.decode()
    assert f'id="inspection-{rows["hlj"]}"' in page and f"inspection-{rows['clean']}" not in page


def test_publishing_from_the_tracker_asks_to_confirm_first(world, rows, client):
    client.force_login(world.gd_official)
    url = reverse("supervision:publication_publish", args=[rows["clean"]])
    page = client.get(url).content.decode()
    assert "确认公布检查结果" in page and "不接受异议" in page and 'name="confirmed"' in page
    assert get("clean", rows).notice_id is None
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302 and response.url == reverse("supervision:publication")
    assert get("clean", rows).state == InspectionState.PUBLISHED
    # Again: refused with the reason, nothing published twice.
    response = client.get(url, follow=True)
    assert "该检查结果已经公布" in response.content.decode()
    client.force_login(world.hlj_official)
    assert client.get(url).status_code == 404


def results_panel(request):
    found = panels_for(request, {"provincial_official"})
    return next(p for p in found if str(p.title) == "抽查结果")


def test_the_dashboard_panel_counts_the_results_waiting(world, rows):
    late = b.conclude(get("running", rows), world.inspector, clock.today() - dt.timedelta(days=60))

    class Request:
        user = world.gd_official

    panel = next(
        p for p in panels_for(Request, {"provincial_official"}) if str(p.title) == "抽查结果"
    )
    assert panel.count == 3 and panel.due_on == late.publish_due and panel.overdue
    assert panel.oldest == late.concluded_at
    assert any("1 项已超过公布期限" in str(f) for f in panel.facts)
    publish_result(world.gd_official, get("clean", rows))
    panel = next(
        p for p in panels_for(Request, {"provincial_official"}) if str(p.title) == "抽查结果"
    )
    assert panel.count == 2

    class Elsewhere:
        user = world.osta_gd

    assert all(str(p.title) != "抽查结果" for p in panels_for(Elsewhere, {"osta_staff"}))


def test_the_periodic_job_logs_the_overdue_results(world, rows, caplog):
    from portal.jobs import periodic

    assert publication.JOB_LABEL in periodic.jobs()
    assert publication.flag_overdue() == "0 overdue"
    b.conclude(get("running", rows), world.inspector, clock.today() - dt.timedelta(days=60))
    with caplog.at_level(logging.WARNING, logger="supervision.services.publication"):
        assert publication.flag_overdue() == "1 overdue; 440000: 1"
    assert f"inspections {rows['running']}" in caplog.text
    assert b.INSPECTOR_NAME not in caplog.text


# --- Demo -----------------------------------------------------------------------------------


def test_the_demo_publishes_the_clean_result_once(world, rows):
    from supervision import demo_publication
    from supervision.models import SpotCheckPlan

    demo_publication.seed()  # no demo plan yet: nothing
    assert not Inspection.objects.filter(notice__isnull=False).exists()
    SpotCheckPlan.objects.filter(pk=rows["plan"]).update(title=demo_publication.DEMO_PLAN_TITLE)
    demo_publication.seed()
    demo_publication.seed()
    assert list(Inspection.objects.filter(notice__isnull=False).values_list("pk", flat=True)) == [
        rows["clean"]
    ]
    assert get("problems", rows).state == InspectionState.CONCLUDED
