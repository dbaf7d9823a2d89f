"""Builders of the draw's tests: a pool of listed agencies and inspectors, and a plan sealed and
drawn by filling its ``SpotCheckPlan`` row directly (what the plans stage's ``approve_plan``
and ``draw_plan`` do, without their inspections, grants or audit entries)."""

from __future__ import annotations

import datetime as dt
import secrets

from portal import clock
from portal.codes import uscc_check_char
from supervision import draw, snapshot
from supervision.models import ConflictKind, ConflictTag, Inspector, PlanState, SpotCheckPlan

NUMBERS = "03 11 19 22 27 31 08"


def uscc(n: int) -> str:
    """A valid unified social credit code, one per ``n`` (the world's agencies use others)."""
    first17 = f"91440300{n:09d}"
    return first17 + uscc_check_char(first17)


def agencies(count: int, *, start: int = 0, jurisdiction: str = "440000") -> list:
    """``count`` listed agencies filed with ``jurisdiction``."""
    from portal.models import Agency, AgencyKind, AgencyStatus

    return Agency.objects.bulk_create(
        Agency(
            name=f"抽查测试机构{start + i}",
            uscc=uscc(70_000_000 + start + i),
            kind=AgencyKind.SOCIAL_ORG,
            registered_province_id=jurisdiction,
            filing_jurisdiction=jurisdiction,
            agency_code="0000",
            status=AgencyStatus.LISTED,
        )
        for i in range(count)
    )


def inspectors(count: int, *, prefix: str = "draw_insp", capacity: int = 5) -> list[Inspector]:
    """``count`` inspector users of 广东 (group ``inspector``), each with a pool entry."""
    from django.contrib.auth.models import Group

    from portal.models import User
    from portal.roles import AuthorityRole

    users = User.objects.bulk_create(
        User(
            username=f"{prefix}{i}",
            real_name=f"检查员{i}",
            jurisdiction="440000",
            email=f"{prefix}{i}@example.org",
            password="!",  # unusable: these accounts never sign in
        )
        for i in range(count)
    )
    group = Group.objects.get(name=AuthorityRole.INSPECTOR)
    group.user_set.add(*users)
    now = clock.now()
    return Inspector.objects.bulk_create(
        Inspector(
            user=user,
            jurisdiction="440000",
            organisation=f"某单位{i % 7}",
            specialities="电工",
            capacity=capacity,
            created_at=now,
        )
        for i, user in enumerate(users)
    )


def conflict(inspector: Inspector, agency, kind: str = ConflictKind.FORMER_EMPLOYER) -> ConflictTag:
    return ConflictTag.objects.create(
        inspector=inspector, agency=agency, kind=kind, note="测试", recorded_at=clock.now()
    )


def draft(official, *, rules: dict | None = None, per_object: int = 2, max_objects: int = 5):
    """A draft spot-check plan of 广东 over agencies."""
    return SpotCheckPlan.objects.create(
        jurisdiction="440000",
        title="抽查抽签测试计划",
        period_start=dt.date(2026, 12, 1),
        period_end=dt.date(2026, 12, 31),
        tier_rules=rules or {"1": {"percent": "30"}, "4": {"count": 3}},
        inspectors_per_object=per_object,
        max_objects_per_inspector=max_objects,
        created_by=official,
        created_at=clock.now(),
    )


def seal(plan: SpotCheckPlan, *, source: str = "中国福利彩票双色球") -> SpotCheckPlan:
    """Seal ``plan``'s pools as they stand (as approving it does)."""
    plan.pseudonym_key = secrets.token_hex(32)
    plan.secret = draw.new_secret()
    plan.secret_digest = draw.secret_digest_of(plan.secret)
    plan.randomness_source = source
    plan.randomness_date = dt.date(2026, 12, 8)
    plan.algorithm_version = draw.ALGORITHM
    plan.snapshot = draw.canonical(snapshot.build(plan)).decode()
    plan.sealed_digest = draw.digest(plan.snapshot.encode())
    plan.state = PlanState.SEALED
    plan.approved_by = plan.created_by
    plan.approved_at = clock.now()
    plan.save()
    return plan


def draw_now(plan: SpotCheckPlan, numbers: str = NUMBERS) -> SpotCheckPlan:
    """Draw a sealed ``plan`` with the public ``numbers`` (as ``draw_plan`` does)."""
    import json

    plan.public_numbers = numbers
    plan.seed = draw.seed_of(plan.algorithm_version, plan.sealed_digest, plan.secret, numbers)
    plan.result = draw.draw(json.loads(plan.snapshot), plan.seed)
    plan.state = PlanState.DRAWN
    plan.drawn_by = plan.created_by
    plan.drawn_at = clock.now()
    plan.save()
    return plan


def drawn_plan(official, **fields) -> SpotCheckPlan:
    return draw_now(seal(draft(official, **fields)))
