"""Demo data of the plans stage of supervision (run by ``supervision.demo.seed``), idempotent.

The 广东 spot-check plan 「2026年广东省职业技能等级认定机构“双随机”抽查」 by ``gd_official``: the
demo agency adjusted to tier 1 with a reason, one tier-1 and one tier-4 object, sealed and
drawn with the numbers 「03 11 19 22 27 31 08」 of 中国福利彩票双色球; and the testing centre's
quality plan 「2026年广东省外部质量督导派遣」 by ``osta_gd`` that draws a demo session.

Pool rows the pools stage would leave (check items GD-01…, inspectors ``inspector_gd1``…,
experts ``expert_gd1``… with their pool entries, ``inspector_gd2``'s conflict on the demo
agency) are made here with ``get_or_create`` under the same identities when missing.

Dates: sealing needs a randomness date after today and the draw a day on or after it, so the
plan is approved under ``clock.frozen`` eight days ago (randomness date: seven days ago) and
drawn today, both through the services and their own rules.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

NUMBERS = "03 11 19 22 27 31 08"
SOURCE = "中国福利彩票双色球"
TITLE = "2026年广东省职业技能等级认定机构“双随机”抽查"
QUALITY_TITLE = "2026年广东省外部质量督导派遣"
ITEMS = [
    ("GD-01", "机构认定资质和认定范围", "document"),
    ("GD-02", "考评人员配备和管理", "document"),
    ("GD-03", "考核场地和设施设备", "on_site"),
]


def _pools(gd, agency) -> None:
    from portal import clock
    from portal.demo import _user
    from portal.roles import AuthorityRole
    from supervision.models import (
        CheckItem,
        ConflictKind,
        ConflictTag,
        ExternalSupervisor,
        Inspector,
    )

    now = clock.now()
    for code, title, method in ITEMS:
        CheckItem.objects.get_or_create(
            jurisdiction="440000",
            code=code,
            defaults={
                "title": title,
                "legal_basis": "《职业技能等级认定工作规程（试行）》第二十五条",
                "method": method,
                "records": "检查情况和发现的问题",
                "created_by": gd,
                "created_at": now,
            },
        )
    for i in range(1, 5):
        user = _user(f"inspector_gd{i}", f"广东演示检查员{i}", jurisdiction="440000")
        user.groups.add(Group.objects.get(name=AuthorityRole.INSPECTOR))
        entry, _c = Inspector.objects.get_or_create(
            user=user,
            defaults={
                "jurisdiction": "440000",
                "organisation": "广东省人力资源和社会保障厅",
                "created_at": now,
            },
        )
        if i == 2:
            ConflictTag.objects.get_or_create(
                inspector=entry,
                agency=agency,
                kind=ConflictKind.FORMER_EMPLOYER,
                defaults={"note": "曾在该机构任职（演示）", "recorded_at": now},
            )
    for i in range(1, 4):
        user = _user(f"expert_gd{i}", f"广东库演示专家{i}", jurisdiction="440000")
        user.groups.add(Group.objects.get(name=AuthorityRole.EXPERT))
        ExternalSupervisor.objects.get_or_create(
            user=user,
            defaults={
                "jurisdiction": "440000",
                "organisation": "广东省职业技能鉴定指导中心",
                "created_at": now,
            },
        )


def _seal_and_draw(official, plan, adjust=None) -> None:
    from portal import clock
    from supervision.models import PlanState
    from supervision.services import plans as services

    today = clock.today()
    if plan.state == PlanState.DRAFT:
        with clock.frozen(today - dt.timedelta(days=8)):
            if adjust is not None:
                services.adjust_tier(official, plan, *adjust)
            services.approve_plan(
                official,
                plan,
                randomness_source=SOURCE,
                randomness_date=today - dt.timedelta(days=7),
            )
        plan.refresh_from_db()
    if plan.state == PlanState.SEALED:
        services.draw_plan(official, plan, NUMBERS)


def seed(stdout=None) -> None:
    from portal import clock
    from portal.demo import DEMO_AGENCY_USCC
    from portal.models import Agency, User
    from supervision.models import CheckItem, SpotCheckPlan
    from supervision.services import plans as services

    gd = User.objects.filter(username="gd_official").first()
    osta = User.objects.filter(username="osta_gd").first()
    agency = Agency.objects.filter(uscc=DEMO_AGENCY_USCC).first()
    if gd is None or osta is None or agency is None:
        return
    _pools(gd, agency)
    items = list(CheckItem.objects.filter(jurisdiction="440000", code__in=[c for c, *_ in ITEMS]))
    year = clock.today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    plan = SpotCheckPlan.objects.filter(title=TITLE, jurisdiction="440000").first()
    if plan is None:
        with clock.frozen(clock.today() - dt.timedelta(days=8)):
            plan = services.create_plan(
                gd,
                {
                    "title": TITLE,
                    "kind": "spot_check",
                    "object_kind": "agency",
                    "period_start": start,
                    "period_end": end,
                    "check_items": items,
                    "tier_rules": {"1": {"count": 1}, "4": {"count": 1}},
                    "inspectors_per_object": 2,
                    "max_objects_per_inspector": 3,
                },
            )
    _seal_and_draw(gd, plan, (agency, 1, "2026年收到多起投诉且有证书被撤销，提高风险等级（演示）"))
    quality = SpotCheckPlan.objects.filter(title=QUALITY_TITLE, jurisdiction="440000").first()
    from assessments.models import AssessmentSession
    from supervision.snapshot import DRAWABLE_SESSION_STATES

    sessions = AssessmentSession.objects.filter(
        agency=agency,
        site__province_id="440000",
        first_sitting_on__isnull=False,
        status__in=DRAWABLE_SESSION_STATES,
    )
    if quality is None and sessions.exists():
        first = sessions.order_by("first_sitting_on").first().first_sitting_on
        last = sessions.order_by("-first_sitting_on").first().first_sitting_on
        with clock.frozen(clock.today() - dt.timedelta(days=8)):
            quality = services.create_plan(
                osta,
                {
                    "title": QUALITY_TITLE,
                    "kind": "quality",
                    "period_start": min(first, start),
                    "period_end": max(last, end),
                    "check_items": items,
                    "tier_rules": {"1": {"count": 1}, "4": {"count": 1}},
                    "inspectors_per_object": 2,
                    "max_objects_per_inspector": 3,
                },
            )
        # The demo agency's sessions are the high-risk ones of this dispatch, so one of them
        # is drawn whatever other 广东 sessions the period holds.
        _seal_and_draw(osta, quality, (agency, 1, "演示机构风险等级较高，优先督导（演示）"))
    elif quality is not None:
        _seal_and_draw(osta, quality)
    if stdout is not None:
        stdout.write("supervision: 2 demo plans drawn (spot check, quality)")
