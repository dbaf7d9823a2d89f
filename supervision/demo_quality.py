"""Demo data of the quality stage of supervision (run by ``supervision.demo.seed``): on the
drawn quality plan 「2026年广东省外部质量督导派遣」 (the plans stage's demo), the first
supervisor drawn for the demo agency's session files a report rated 合格 with one minor
finding, through ``file_report``. Idempotent; nothing (quietly) when that plan is not drawn
yet or its visit is already reported."""

from __future__ import annotations

from django.db import transaction

PLAN_TITLE = "2026年广东省外部质量督导派遣"
PROCESS = (
    "考前按规定核验考生身份证件，考场张贴考场规则与监督电话；监考人员按比例配备并全程在岗；"
    "技能操作考核评分由三名考评员独立打分，记录完整；考场视频监控运行正常。"
)
FINDING = "个别考位座位号标签脱落，考生入场时需工作人员引导（演示）。"


def _visit():
    from supervision.models import PlanKind, PlanState, QualityVisit, SpotCheckPlan, VisitState

    plan = SpotCheckPlan.objects.filter(
        kind=PlanKind.QUALITY, title=PLAN_TITLE, state__in=[PlanState.DRAWN, PlanState.CLOSED]
    ).first()
    if plan is None:
        return None
    visits = QualityVisit.objects.filter(plan=plan).order_by("position")
    visit = visits.filter(agency__is_demo=True).first() or visits.first()
    if visit is None or visit.state != VisitState.ASSIGNED:
        return None
    return visit


def seed(stdout=None) -> None:
    from supervision.services import quality

    visit = _visit()
    if visit is None:
        return
    assignment = visit.assignments.select_related("supervisor__user").order_by("position").first()
    if assignment is None:
        return
    supervisor = assignment.supervisor.user
    data = {
        "process": PROCESS,
        "rating": "acceptable",
        "findings": [{"severity": "minor", "description": FINDING}],
        "order_requirements": "",
        "order_deadline": None,
    }
    with transaction.atomic():
        quality.file_report(supervisor, visit, data)
    if stdout is not None:
        stdout.write(
            f"  外部质量督导：{supervisor.username} 已提交 {visit.session} 的督导报告（合格）"
        )
