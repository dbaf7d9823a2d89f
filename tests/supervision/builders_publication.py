"""Rows the publication stage needs, built directly (the plans and inspections stages are built
in parallel): a drawn 广东 plan with three inspections — one concluded with findings and a
rectification order, one concluded clean, one still under way — and a drawn 黑龙江 plan with
one concluded inspection."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal import access, clock
from portal.models import Agency, AgencyKind, AgencyStatus
from supervision import deadlines
from supervision.models import (
    CheckItem,
    CheckMethod,
    Conclusion,
    Finding,
    Inspection,
    InspectionAssignment,
    InspectionRecord,
    InspectionState,
    Inspector,
    PlanState,
    RecordKind,
    RectificationOrder,
    Severity,
    SpotCheckPlan,
)

PLAN_TITLE = "2026年广东省职业技能等级认定机构“双随机”抽查（测试）"
# Personal data written into the inspection's own records: none of it may reach the public.
SECRET_ID = "440106199001011234"
PRESENT = "机构负责人李四、考务人员王五"
INSPECTOR_NAME = "张检查"


@dataclass
class Built:
    plan: SpotCheckPlan
    problems: Inspection  # concluded, findings (one serious), an order
    clean: Inspection  # concluded, no problem
    running: Inspection  # still being inspected
    hlj_plan: SpotCheckPlan
    hlj: Inspection  # concluded, of the 黑龙江 plan


def _uscc(body: str) -> str:
    from portal import codes

    return body + codes.uscc_check_char(body)


def second_gd_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        uscc=_uscc("91440101MA5QP7X3K"),
        defaults={
            "name": "广州清风技能评价中心",
            "kind": AgencyKind.SOCIAL_ORG,
            "registered_province_id": "440000",
            "filing_jurisdiction": "440000",
            "agency_code": "0000",
            "status": AgencyStatus.LISTED,
        },
    )
    return agency


def items(official, jurisdiction: str) -> list[CheckItem]:
    now = clock.now()
    return [
        CheckItem.objects.get_or_create(
            jurisdiction=jurisdiction,
            code=code,
            defaults={
                "title": title,
                "legal_basis": "《职业技能等级认定工作规程（试行）》第二十五条",
                "method": method,
                "records": "调阅的资料与现场情况",
                "created_by": official,
                "created_at": now,
            },
        )[0]
        for code, title, method in (
            (f"T{jurisdiction[:2]}-01", "考评人员资格与管理", CheckMethod.DOCUMENT),
            (f"T{jurisdiction[:2]}-02", "考场设置与考务组织", CheckMethod.ON_SITE),
        )
    ]


def drawn_plan(official, jurisdiction: str, title: str, check_items) -> SpotCheckPlan:
    now = clock.now()
    today = clock.today()
    plan = SpotCheckPlan.objects.create(
        jurisdiction=jurisdiction,
        title=title,
        period_start=today - dt.timedelta(days=60),
        period_end=today + dt.timedelta(days=60),
        tier_rules={"1": {"count": 1}, "4": {"count": 2}},
        state=PlanState.DRAWN,
        created_by=official,
        created_at=now - dt.timedelta(days=50),
        approved_by=official,
        sealed_digest="5e" * 32,
        secret="ab" * 32,
        secret_digest="cd" * 32,
        randomness_source="中国福利彩票双色球",
        randomness_date=today - dt.timedelta(days=40),
        public_numbers="03 11 19 22 27 31 08",
        seed="9f" * 32,
        result={"objects": []},
        drawn_by=official,
        drawn_at=now - dt.timedelta(days=40),
    )
    plan.check_items.set(check_items)
    return plan


def inspection(plan, position: int, agency, *, tier: int, inspector_user, concluded_on=None,
               conclusion=Conclusion.NO_PROBLEM) -> Inspection:  # fmt: skip
    now = clock.now()
    found = Inspection.objects.create(
        plan=plan,
        position=position,
        tier=tier,
        agency=agency,
        review_until=clock.today() + dt.timedelta(days=30),
        created_at=now - dt.timedelta(days=40),
    )
    entry, _ = Inspector.objects.get_or_create(
        user=inspector_user,
        defaults={"jurisdiction": plan.jurisdiction, "organisation": "省人社厅", "created_at": now},
    )
    InspectionAssignment.objects.create(
        inspection=found, inspector=entry, position=1, assigned_at=now
    )
    access.grant(inspector_user, "inspect_inspection", found)
    if concluded_on is not None:
        conclude(found, inspector_user, concluded_on, conclusion)
    return found


def conclude(found: Inspection, user, concluded_on: dt.date, conclusion=Conclusion.NO_PROBLEM):
    """What the inspections stage's ``conclude_inspection`` leaves: state, conclusion, the
    conclusion's time and ``publish_due`` from ``supervision.deadlines``."""
    found.state = InspectionState.CONCLUDED
    found.conclusion = conclusion
    found.conclusion_note = f"检查组{INSPECTOR_NAME}：材料齐全。"
    found.concluded_by = user
    found.concluded_at = dt.datetime.combine(
        concluded_on, dt.time(15, 0), tzinfo=clock.now().tzinfo
    )
    found.publish_due = deadlines.publish_due(concluded_on)
    found.save()
    return found


def with_findings(found: Inspection, user, check_items) -> Inspection:
    """An on-site record naming the people present, two findings (one serious) whose words
    carry personal data, and an open rectification order."""
    now = clock.now()
    InspectionRecord.objects.create(
        inspection=found,
        kind=RecordKind.ON_SITE,
        visited_on=clock.today() - dt.timedelta(days=10),
        people_present=PRESENT,
        notes="现场查看考场",
        recorded_by=user,
        recorded_at=now,
    )
    first = Finding.objects.create(
        inspection=found,
        check_item=check_items[0],
        severity=Severity.SERIOUS,
        description=f"考评员赵六（身份证号{SECRET_ID}）无有效资格",
        recorded_by=user,
        recorded_at=now,
    )
    second = Finding.objects.create(
        inspection=found,
        check_item=check_items[1],
        severity=Severity.MINOR,
        description="考场未张贴考场规则",
        recorded_by=user,
        recorded_at=now,
    )
    order = RectificationOrder.objects.create(
        agency=found.agency,
        inspection=found,
        requirements="更换无资格考评员，张贴考场规则",
        deadline=clock.today() + dt.timedelta(days=30),
        issued_by=user,
        issued_at=now,
    )
    order.findings.set([first, second])
    return found


def build(world, *, concluded_on: dt.date | None = None) -> Built:
    """The plans and inspections (concluded ``concluded_on``, default five days ago)."""
    concluded_on = concluded_on or clock.today() - dt.timedelta(days=5)
    inspector = world.inspector
    if inspector.real_name != INSPECTOR_NAME:
        inspector.real_name = INSPECTOR_NAME
        inspector.save(update_fields=["real_name"])
    gd_items = items(world.gd_official, "440000")
    plan = drawn_plan(world.gd_official, "440000", PLAN_TITLE, gd_items)
    problems = inspection(
        plan, 1, world.gd_agency, tier=1, inspector_user=inspector,
        concluded_on=concluded_on, conclusion=Conclusion.PROBLEMS_FOUND,
    )  # fmt: skip
    with_findings(problems, inspector, gd_items)
    clean = inspection(plan, 2, second_gd_agency(), tier=4, inspector_user=inspector,
                       concluded_on=concluded_on)  # fmt: skip
    running = inspection(plan, 3, world.hlj_agency, tier=4, inspector_user=inspector)
    hlj_items = items(world.hlj_official, "230000")
    hlj_plan = drawn_plan(world.hlj_official, "230000", "2026年黑龙江省抽查（测试）", hlj_items)
    hlj = inspection(hlj_plan, 1, world.hlj_agency, tier=2, inspector_user=inspector,
                     concluded_on=concluded_on)  # fmt: skip
    return Built(plan, problems, clean, running, hlj_plan, hlj)
