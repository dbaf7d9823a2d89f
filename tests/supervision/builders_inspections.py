"""Builders of the inspections stage's tests: a drawn spot-check plan made directly (as the
plans stage's ``draw_plan`` leaves it: inspections, assignments, grants), then ``plan_drawn``
sent as it sends it."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import transaction

from portal import access, clock
from portal.roles import AuthorityRole
from supervision.models import (
    CheckItem,
    CheckMethod,
    Inspection,
    InspectionAssignment,
    Inspector,
    PlanKind,
    PlanState,
    SpotCheckPlan,
)
from supervision.signals import plan_drawn
from tests.portal.builders import make_user

_serial = itertools.count(1)


def inspector(username: str, jurisdiction: str = "440000"):
    """A user of the inspector group with an ``Inspector`` entry."""
    from portal.models import User

    user = User.objects.filter(username=username).first() or make_user(
        username, role=AuthorityRole.INSPECTOR, jurisdiction=jurisdiction
    )
    Inspector.objects.get_or_create(
        user=user,
        defaults={
            "jurisdiction": jurisdiction,
            "organisation": "省人社厅执法总队",
            "created_at": clock.now(),
        },
    )
    return user


def check_items(official, jurisdiction: str = "440000") -> list[CheckItem]:
    rows = []
    for code, title, method in (
        ("01", "认定机构资质与目录公布情况", CheckMethod.DOCUMENT),
        ("02", "考评场地与设备", CheckMethod.ON_SITE),
    ):
        rows.append(
            CheckItem.objects.get_or_create(
                jurisdiction=jurisdiction,
                code=f"T{jurisdiction[:2]}-{code}",
                defaults={
                    "title": title,
                    "legal_basis": "《职业技能等级认定工作规程》第二十五条",
                    "method": method,
                    "records": "核查情况与证据",
                    "created_by": official,
                    "created_at": clock.now(),
                },
            )[0]
        )
    return rows


def drawn_plan(
    official,
    objects,
    *,
    jurisdiction: str = "440000",
    period_days: int = 60,
    title: str = "",
    signal: bool = True,
):
    """A drawn spot-check plan over ``objects``: a list of (agency, [inspector users]).
    Returns the plan and its inspections in order; ``plan_drawn`` has been sent (unless
    ``signal`` is false: then no record is opened for review)."""
    today = clock.today()
    n = next(_serial)
    with transaction.atomic():
        plan = SpotCheckPlan.objects.create(
            kind=PlanKind.SPOT_CHECK,
            jurisdiction=jurisdiction,
            title=title or f"测试抽查计划{n}",
            period_start=today - dt.timedelta(days=5),
            period_end=today + dt.timedelta(days=period_days),
            tier_rules={"1": {"count": 1}},
            state=PlanState.DRAWN,
            created_by=official,
            created_at=clock.now(),
            sealed_digest="a" * 64,
            seed="b" * 64,
            drawn_by=official,
            drawn_at=clock.now(),
        )
        plan.check_items.set(check_items(official, jurisdiction))
        inspections = []
        for position, (agency, users) in enumerate(objects, start=1):
            inspection = Inspection.objects.create(
                plan=plan,
                position=position,
                tier=1,
                agency=agency,
                review_until=plan.period_end,
                created_at=clock.now(),
            )
            for k, user in enumerate(users, start=1):
                InspectionAssignment.objects.create(
                    inspection=inspection,
                    inspector=Inspector.objects.get(user=user),
                    position=k,
                    assigned_at=clock.now(),
                )
                access.grant(user, "inspect_inspection", inspection)
            inspections.append(inspection)
        if signal:
            plan_drawn.send(sender=SpotCheckPlan, plan=plan)
    return plan, inspections
