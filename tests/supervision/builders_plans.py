"""Builders of the plans stage's tests: the 广东 check items and pools (built directly, as the
pools stage may not be merged), a second listed 广东 agency, and plans in each state."""

from __future__ import annotations

import datetime as dt

from portal import clock
from portal.models import Agency, AgencyKind, AgencySite, AgencyStatus
from portal.roles import AuthorityRole
from supervision.models import (
    CheckItem,
    CheckMethod,
    ConflictKind,
    ConflictTag,
    ExternalSupervisor,
    Inspector,
)
from supervision.services import plans as services
from tests.portal.builders import make_user

NUMBERS = "03 11 19 22 27 31 08"
SOURCE = "中国福利彩票双色球"
EMPLOYER_NOTE = "前雇主：广东测试评价中心人事部"


def check_items(world, jurisdiction: str = "440000", n: int = 3) -> list[CheckItem]:
    return [
        CheckItem.objects.get_or_create(
            jurisdiction=jurisdiction,
            code=f"T{jurisdiction[:2]}-{i:02d}",
            defaults={
                "title": f"检查事项{i}",
                "legal_basis": "《职业技能等级认定工作规程》",
                "method": CheckMethod.DOCUMENT if i % 2 else CheckMethod.ON_SITE,
                "records": "检查记录",
                "created_by": world.gd_official,
                "created_at": clock.now(),
            },
        )[0]
        for i in range(1, n + 1)
    ]


def inspectors(world, n: int = 4, *, conflicted: int = 1, capacity: int = 5) -> list[Inspector]:
    """``n`` 广东 inspectors; the first ``conflicted`` have a former-employer tag on
    world.gd_agency."""
    out = []
    for i in range(1, n + 1):
        user = make_user(
            f"pl_insp{i}",
            role=AuthorityRole.INSPECTOR,
            jurisdiction="440000",
            real_name=f"检查员{i}",
        )
        entry = Inspector.objects.create(
            user=user,
            jurisdiction="440000",
            organisation="广东省人社厅",
            capacity=capacity,
            created_at=clock.now(),
        )
        if i <= conflicted:
            ConflictTag.objects.create(
                inspector=entry,
                agency=world.gd_agency,
                kind=ConflictKind.FORMER_EMPLOYER,
                note=EMPLOYER_NOTE,
                recorded_at=clock.now(),
            )
        out.append(entry)
    return out


def supervisors(world, n: int = 3) -> list[ExternalSupervisor]:
    out = []
    for i in range(1, n + 1):
        user = make_user(
            f"pl_exp{i}", role=AuthorityRole.EXPERT, jurisdiction="440000", real_name=f"外督{i}"
        )
        out.append(
            ExternalSupervisor.objects.create(
                user=user,
                jurisdiction="440000",
                organisation="广东省鉴定中心",
                created_at=clock.now(),
            )
        )
    return out


def second_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        uscc="91440105MA5PLAN01X",
        defaults={
            "name": "佛山抽查测试评价中心",
            "kind": AgencyKind.EMPLOYER,
            "registered_province_id": "440000",
            "filing_jurisdiction": "440000",
            "agency_code": "0000",
            "status": AgencyStatus.LISTED,
        },
    )
    AgencySite.objects.get_or_create(
        agency=agency, name="佛山站", province_id="440000", defaults={"address": "佛山"}
    )
    return agency


def plan_data(world, **extra) -> dict:
    today = clock.today()
    data = {
        "title": "2026年广东省双随机抽查（测试）",
        "kind": "spot_check",
        "object_kind": "agency",
        "period_start": today,
        "period_end": today + dt.timedelta(days=90),
        "check_items": check_items(world),
        "tier_rules": {"1": {"count": 1}, "4": {"count": 1}},
        "inspectors_per_object": 2,
        "max_objects_per_inspector": 5,
    }
    data.update(extra)
    return data


def pools(world, **kwargs):
    second = second_agency()
    people = inspectors(world, **kwargs)
    return second, people


def draft(world, **extra):
    return services.create_plan(world.gd_official, plan_data(world, **extra))


def sealed(world, *, adjust: bool = True, **extra):
    """A sealed plan over world.gd_agency (adjusted to tier 1) and the second agency."""
    plan = draft(world, **extra)
    if adjust:
        services.adjust_tier(world.gd_official, plan, world.gd_agency, 1, "投诉较多，提高风险等级")
    return services.approve_plan(
        world.gd_official,
        plan,
        randomness_source=SOURCE,
        randomness_date=clock.today() + dt.timedelta(days=1),
    )


def drawn(world, **extra):
    plan = sealed(world, **extra)
    with clock.frozen(plan.randomness_date):
        return services.draw_plan(world.gd_official, plan, NUMBERS)
