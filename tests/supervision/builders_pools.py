"""Builders of the pools stage's tests: check items, pool entries, a plan and inspections
with findings made directly (the plans and inspections stages build them through their own
services)."""

from __future__ import annotations

import datetime as dt
import itertools

from portal import clock
from supervision.models import (
    CheckItem,
    Finding,
    Inspection,
    InspectionState,
    PlanState,
    SpotCheckPlan,
)
from supervision.services import pools as services

_serial = itertools.count(1)


def item_input(code: str = "GD-01", **overrides) -> services.ItemInput:
    values = {
        "code": code,
        "title": "评价机构履行工作承诺",
        "legal_basis": "《职业技能等级认定工作规程（试行）》第二十五条",
        "method": "document",
        "records": "核对结果及佐证材料",
    }
    values.update(overrides)
    return services.ItemInput(**values)


def member_input(**overrides) -> services.MemberInput:
    values = {"organisation": "广州市人力资源和社会保障局", "specialities": "电工", "capacity": 5}
    values.update(overrides)
    return services.MemberInput(**values)


def plan(world, *, state: str = PlanState.DRAFT, jurisdiction: str = "440000", items=()):
    today = clock.today()
    row = SpotCheckPlan.objects.create(
        jurisdiction=jurisdiction,
        title=f"测试抽查计划{next(_serial)}",
        period_start=today,
        period_end=today + dt.timedelta(days=90),
        state=state,
        sealed_digest="" if state == PlanState.DRAFT else "0" * 64,
        seed="" if state in (PlanState.DRAFT, PlanState.SEALED) else "1" * 64,
        created_by=world.gd_official,
        created_at=clock.now(),
    )
    row.check_items.set(items)
    return row


def findings(world, agency, *, minor: int = 0, serious: int = 0, days_ago: int = 30):
    """A concluded inspection of ``agency`` with that many findings, recorded ``days_ago``."""
    p = plan(world, state=PlanState.DRAFT)
    inspection = Inspection.objects.create(
        plan=p,
        position=1,
        tier=3,
        agency=agency,
        state=InspectionState.CONCLUDED,
        conclusion="problems_found",
        review_until=clock.today(),
        created_at=clock.now(),
    )
    at = clock.now() - dt.timedelta(days=days_ago)
    Finding.objects.bulk_create(
        [
            Finding(
                inspection=inspection,
                severity=severity,
                description="档案缺失",
                recorded_by=world.inspector,
                recorded_at=at,
            )
            for severity in ["minor"] * minor + ["serious"] * serious
        ]
    )
    return inspection


def check_item(world, code: str = "GD-01", jurisdiction: str = "440000") -> CheckItem:
    return CheckItem.objects.create(
        jurisdiction=jurisdiction,
        code=code,
        title="检查事项",
        legal_basis="第二十五条",
        method="document",
        records="记录",
        created_by=world.gd_official,
        created_at=clock.now(),
    )
