"""Builders of the quality stage's tests: a drawn quality plan and its visits, made directly
(the plans stage builds the real draw in parallel), then ``plan_drawn`` sent as ``draw_plan``
sends it, so the quality stage's receiver opens the sessions."""

from __future__ import annotations

import datetime as dt
import itertools

from portal import access, clock
from supervision.models import (
    CheckItem,
    CheckMethod,
    ExternalSupervisor,
    ObjectKind,
    PlanKind,
    PlanState,
    QualityVisit,
    QualityVisitAssignment,
    SpotCheckPlan,
)
from supervision.signals import plan_drawn
from tests.assessments.builders import conduct_session

_numbers = itertools.count(1)


def supervisor_entry(user, *, jurisdiction: str = "440000") -> ExternalSupervisor:
    entry, _created = ExternalSupervisor.objects.get_or_create(
        user=user,
        defaults={
            "jurisdiction": jurisdiction,
            "organisation": "广东省职业技能鉴定指导中心",
            "created_at": clock.now(),
        },
    )
    return entry


def quality_plan(world, *, jurisdiction: str = "440000", kind: str = PlanKind.QUALITY):
    n = next(_numbers)
    today = clock.today()
    return SpotCheckPlan.objects.create(
        kind=kind,
        jurisdiction=jurisdiction,
        title=f"外部质量督导派遣测试 {n}",
        object_kind=ObjectKind.SESSION,
        period_start=today,
        period_end=today + dt.timedelta(days=90),
        tier_rules={"1": {"count": 1}},
        state=PlanState.DRAWN,
        created_by=world.osta_gd,
        created_at=clock.now(),
        sealed_digest="a" * 64,
        secret_digest="b" * 64,
        seed="c" * 64,
        public_numbers="03 11 19 22 27 31 08",
        drawn_by=world.osta_gd,
        drawn_at=clock.now(),
    )


def drawn_visit(world, *, session=None, supervisors=None, review_days: int = 60, plan=None):
    """A quality plan drawn with one visit to ``session`` (a new 广东 session of gd_agency)
    and ``supervisors`` (users; world.expert) sent to it, with their grants; ``plan_drawn``
    is sent as the draw sends it."""
    plan = plan or quality_plan(world)
    session = session or conduct_session(world)
    visit = QualityVisit.objects.create(
        plan=plan,
        position=plan.visits.count() + 1,
        session=session,
        agency=session.agency,
        review_until=clock.today() + dt.timedelta(days=review_days),
        created_at=clock.now(),
    )
    for position, user in enumerate(supervisors or [world.expert], start=1):
        QualityVisitAssignment.objects.create(
            visit=visit,
            supervisor=supervisor_entry(user),
            position=position,
            assigned_at=clock.now(),
        )
        access.grant(user, "supervise_qualityvisit", visit)
    plan_drawn.send(sender=SpotCheckPlan, plan=plan)
    return visit


def check_item(world, *, jurisdiction: str = "440000", code: str = "GD-T1") -> CheckItem:
    item, _created = CheckItem.objects.get_or_create(
        jurisdiction=jurisdiction,
        code=code,
        defaults={
            "title": "考务组织与考场纪律",
            "legal_basis": "《职业技能等级认定工作规程》第十九条",
            "method": CheckMethod.ON_SITE,
            "records": "考场纪律、身份核验、监考到位情况",
            "created_by": world.osta_gd,
            "created_at": clock.now(),
        },
    )
    return item


def report_data(**overrides) -> dict:
    data = {
        "process": "签到与身份核验规范，监考人员到位，考场秩序良好。",
        "rating": "acceptable",
        "findings": [{"severity": "minor", "description": "个别考生座位号张贴不清。"}],
        "order_requirements": "",
        "order_deadline": None,
    }
    data.update(overrides)
    return data
