"""Demo data of the inspections stage of supervision (run by ``supervision.demo.seed``): on
the demo plan 「2026年广东省职业技能等级认定机构“双随机”抽查」, the demo agency's inspection gets an
on-site record, two findings (one serious) and an open rectification order (deadline in a
month); the other inspection is concluded clean (no problem). Through the services, as the
drawn inspectors would. Idempotent; does nothing until the plans stage has drawn the plan."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from portal import clock
from supervision.models import (
    Conclusion,
    InspectionState,
    PlanKind,
    PlanState,
    RecordKind,
    Severity,
    SpotCheckPlan,
)
from supervision.services import inspections as services

PLAN_TITLE = "2026年广东省职业技能等级认定机构“双随机”抽查"


def _plan():
    return (
        SpotCheckPlan.objects.filter(
            kind=PlanKind.SPOT_CHECK,
            title=PLAN_TITLE,
            state__in=[PlanState.DRAWN, PlanState.CLOSED],
        )
        .order_by("pk")
        .first()
    )


def _findings_and_order(inspection, inspector) -> None:
    items = list(inspection.plan.check_items.order_by("code"))
    if not inspection.records.exists():
        services.record_visit(
            inspector,
            inspection,
            kind=RecordKind.ON_SITE,
            visited_on=clock.today(),
            people_present="机构负责人、考务负责人、两名考评员（演示）",
            notes="现场查看理论考场、实操考场与监控设备，抽查近三个月的认定活动考务档案与证书发放台账。"
            "实操考场一路监控无录像；两场认定活动的考评员签到表缺失。（演示）",
        )
    if not inspection.findings.exists():
        services.add_finding(
            inspector,
            inspection,
            check_item=items[0] if items else None,
            severity=Severity.SERIOUS,
            description="实操考场监控录像缺失，无法核实考核过程（演示）",
        )
        services.add_finding(
            inspector,
            inspection,
            check_item=items[1] if len(items) > 1 else None,
            severity=Severity.MINOR,
            description="两场认定活动的考评员签到表缺失（演示）",
        )
    if not inspection.orders.exists():
        services.issue_order(
            inspector,
            inspection=inspection,
            findings=list(inspection.findings.all()),
            requirements="修复实操考场监控并保存录像不少于一年；补齐考评员签到表，"
            "并提交整改报告和证明材料。（演示）",
            deadline=clock.today() + dt.timedelta(days=30),
        )


def seed(stdout=None) -> None:
    from portal.demo import DEMO_AGENCY_USCC

    plan = _plan()
    if plan is None:
        return
    inspections = list(plan.inspections.select_related("agency", "plan").order_by("position"))
    done = []
    for inspection in inspections:
        users = services.inspectors_of(inspection)
        if not users:
            continue
        with transaction.atomic():
            if inspection.agency.uscc == DEMO_AGENCY_USCC:  # the demo agency; all are is_demo
                _findings_and_order(inspection, users[0])
                done.append(f"{inspection.agency.name}: findings and an open order")
            elif inspection.state == InspectionState.ASSIGNED and not inspection.findings.exists():
                if not inspection.records.exists():
                    services.record_visit(
                        users[0],
                        inspection,
                        kind=RecordKind.DOCUMENT,
                        visited_on=clock.today(),
                        notes="查阅认定活动档案、证书发放台账与收费公示，未发现问题。（演示）",
                    )
                services.conclude_inspection(
                    users[0],
                    inspection,
                    conclusion=Conclusion.NO_PROBLEM,
                    note="资料齐全，未发现问题。（演示）",
                )
                done.append(f"{inspection.agency.name}: concluded, no problem")
    if stdout is not None and done:
        stdout.write("spot-check inspections: " + "; ".join(done))
