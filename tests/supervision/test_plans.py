"""Spot-check plans and the draw (Art 25, 26; decisions 0055, 0060): every refusal of the
services, the seal (no employer or relation in the snapshot; a changed pool row changes the
digest), the draw's inspections, assignments and grants, and that a plan is drawn once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal import access, clock
from portal.models import AuditEntry
from supervision import draw, snapshot
from supervision.models import (
    CheckItem,
    Inspection,
    InspectionAssignment,
    PlanState,
    QualityVisit,
    RiskAdjustment,
    SpotCheckPlan,
)
from supervision.services import plans as services
from tests.supervision import builders_plans as b

pytestmark = pytest.mark.django_db


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


# --- Drafting -----------------------------------------------------------------------------------


def test_create_plan_of_the_officials_jurisdiction(world):
    plan = b.draft(world)
    assert plan.state == PlanState.DRAFT and plan.jurisdiction == "440000"
    assert plan.tier_rules == {"1": {"count": 1}, "4": {"count": 1}}
    assert plan.check_items.count() == 3
    assert AuditEntry.objects.filter(
        action="supervision.plan.create", object_id=str(plan.pk)
    ).exists()


@pytest.mark.parametrize("who", ["inspector", "osta_gd", "nobody", "gd_admin"])
def test_create_plan_refuses_who_may_not_plan_spot_checks(world, who):
    user = world.members["admin"] if who == "gd_admin" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.create_plan(user, b.plan_data(world))
    assert not SpotCheckPlan.objects.exists()


def test_quality_plans_are_the_testing_centres(world):
    with pytest.raises(PermissionDenied):
        services.create_plan(world.gd_official, b.plan_data(world, kind="quality"))
    plan = services.create_plan(
        world.osta_gd, b.plan_data(world, kind="quality", object_kind="agency")
    )
    assert plan.object_kind == "session"  # a quality plan always draws sessions


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": "  "}, "title"),
        ({"inspectors_per_object": 1}, "inspectors_per_object"),
        ({"max_objects_per_inspector": 0}, "max_objects_per_inspector"),
        ({"tier_rules": {}}, "tier_rules"),
        ({"tier_rules": {"1": {"percent": "130"}}}, "tier_rules"),
        ({"tier_rules": {"5": {"count": 1}}}, "tier_rules"),
        ({"tier_rules": {"2": {"count": -1}}}, "tier_rules"),
        ({"check_items": []}, "check_items"),
        ({"kind": "raid"}, "kind"),
    ],
)
def test_create_plan_refuses_bad_input_at_the_field(world, extra, field):
    with pytest.raises(ValidationError) as exc:
        b.draft(world, **extra)
    assert field in exc.value.message_dict
    assert not SpotCheckPlan.objects.exists()


def test_period_and_check_items_of_another_jurisdiction(world):
    today = clock.today()
    with pytest.raises(ValidationError) as exc:
        b.draft(world, period_start=today, period_end=today - dt.timedelta(days=1))
    assert "period_end" in exc.value.message_dict
    hlj_items = b.check_items(world, "230000", 1)
    with pytest.raises(ValidationError) as exc:
        b.draft(world, check_items=hlj_items)
    assert "check_items" in exc.value.message_dict


def test_update_plan_changes_a_draft_only(world):
    b.pools(world)
    plan = b.draft(world)
    services.update_plan(world.gd_official, plan, b.plan_data(world, title="改名后的计划"))
    assert SpotCheckPlan.objects.get(pk=plan.pk).title == "改名后的计划"
    with pytest.raises(PermissionDenied):
        services.update_plan(world.hlj_official, plan, b.plan_data(world))
    services.approve_plan(
        world.gd_official,
        plan,
        randomness_source=b.SOURCE,
        randomness_date=clock.today() + dt.timedelta(days=2),
    )
    with pytest.raises(ValidationError) as exc:
        services.update_plan(world.gd_official, plan, b.plan_data(world, title="再改"))
    assert "封存" in _messages(exc)


# --- Adjusting tiers ---------------------------------------------------------------------------


def test_adjust_tier_records_the_computed_tier_and_needs_a_reason(world):
    b.pools(world)
    plan = b.draft(world)
    with pytest.raises(ValidationError) as exc:
        services.adjust_tier(world.gd_official, plan, world.gd_agency, 1, "  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.adjust_tier(world.gd_official, plan, world.hlj_agency, 1, "理由")
    assert "agency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.adjust_tier(world.gd_official, plan, world.gd_agency, 7, "理由")
    assert "tier" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.adjust_tier(world.osta_gd, plan, world.gd_agency, 1, "理由")
    found = services.adjust_tier(world.gd_official, plan, world.gd_agency, 1, "投诉较多")
    assert (found.computed_tier, found.tier, found.reason) == (4, 1, "投诉较多")
    # Back to the computed tier: no adjustment is left.
    services.adjust_tier(world.gd_official, plan, world.gd_agency, 4, "核实后恢复")
    assert not RiskAdjustment.objects.filter(plan=plan).exists()


def test_adjust_tier_is_refused_after_sealing(world):
    b.pools(world)
    plan = b.sealed(world)
    with pytest.raises(ValidationError):
        services.adjust_tier(world.gd_official, plan, world.gd_agency, 2, "理由")
    assert RiskAdjustment.objects.get(plan=plan).tier == 1


# --- Sealing -----------------------------------------------------------------------------------


def test_approve_seals_the_pools_and_publishes_digests(world):
    b.pools(world)
    plan = b.sealed(world)
    assert plan.state == PlanState.SEALED
    assert plan.sealed_digest == hashlib.sha256(plan.snapshot.encode()).hexdigest()
    assert plan.secret_digest == hashlib.sha256(plan.secret.encode()).hexdigest()
    assert plan.algorithm_version == draw.ALGORITHM and len(plan.secret) == 64
    snap = json.loads(plan.snapshot)
    assert draw.canonical(snap).decode() == plan.snapshot
    assert snap["quotas"] == {"1": 1, "2": 0, "3": 0, "4": 1}
    assert snap["plan"]["adjustments"][0]["reason"] == "投诉较多，提高风险等级"
    assert snap["plan"]["secret_digest"] == plan.secret_digest
    # No employer, relation, organisation or user name in what is published.
    for secret_text in (
        b.EMPLOYER_NOTE,
        "前雇主",
        "former_employer",
        "广东省人社厅",
        "pl_insp1",
        "检查员1",
    ):
        assert secret_text not in plan.snapshot
    assert len(snap["people"]) == 4 and all(p["id"].startswith("p-") for p in snap["people"])
    entry = AuditEntry.objects.get(action="supervision.plan.approve")
    assert plan.secret not in json.dumps(entry.changes) and plan.pseudonym_key not in json.dumps(
        entry.changes
    )


def test_a_changed_pool_row_before_sealing_changes_the_digest(world):
    _second, people = b.pools(world)
    plan = b.draft(world)
    plan.pseudonym_key = "ab" * 32
    first = draw.digest(draw.canonical(snapshot.build(plan)))
    assert first == draw.digest(draw.canonical(snapshot.build(plan)))
    people[2].capacity = 4
    people[2].save(update_fields=["capacity"])
    assert draw.digest(draw.canonical(snapshot.build(plan))) != first


@pytest.mark.parametrize("days", [0, -1])
def test_approve_refuses_a_randomness_date_not_after_today(world, days):
    b.pools(world)
    plan = b.draft(world)
    with pytest.raises(ValidationError) as exc:
        services.approve_plan(
            world.gd_official,
            plan,
            randomness_source=b.SOURCE,
            randomness_date=clock.today() + dt.timedelta(days=days),
        )
    assert "randomness_date" in exc.value.message_dict
    assert SpotCheckPlan.objects.get(pk=plan.pk).state == PlanState.DRAFT


def test_approve_refuses_without_source_and_for_others(world):
    b.pools(world)
    plan = b.draft(world)
    tomorrow = clock.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.approve_plan(
            world.gd_official, plan, randomness_source=" ", randomness_date=tomorrow
        )
    assert "randomness_source" in exc.value.message_dict
    for user in (world.hlj_official, world.osta_gd, world.inspector):
        with pytest.raises(PermissionDenied):
            services.approve_plan(user, plan, randomness_source=b.SOURCE, randomness_date=tomorrow)


def test_approve_says_what_the_pools_lack(world):
    b.second_agency()
    b.inspectors(world, 2, conflicted=1, capacity=1)
    plan = b.draft(world, tier_rules={"4": {"count": 2}})
    with pytest.raises(ValidationError) as exc:
        services.approve_plan(
            world.gd_official,
            plan,
            randomness_source=b.SOURCE,
            randomness_date=clock.today() + dt.timedelta(days=1),
        )
    text = _messages(exc)
    # One person without a conflict, whom the other object drawn first may take: 0 to count on.
    assert world.gd_agency.name in text and "只有 0 名，需要 2 名" in text
    assert "还差 2" in text  # capacity 2 of 4
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and plan.sealed_digest == "" and plan.secret == ""


# --- The draw ----------------------------------------------------------------------------------


def test_the_draw_creates_inspections_assignments_and_grants(world):
    _second, people = b.pools(world)
    plan = b.drawn(world)
    assert plan.state == PlanState.DRAWN and plan.public_numbers == b.NUMBERS
    assert plan.seed == draw.seed_of(
        plan.algorithm_version, plan.sealed_digest, plan.secret, b.NUMBERS
    )
    assert draw.verify(plan.snapshot, plan.seed, plan.result)
    inspections = list(Inspection.objects.filter(plan=plan).order_by("position"))
    assert [(i.position, i.tier) for i in inspections] == [(1, 1), (2, 4)]
    assert inspections[0].agency_id == world.gd_agency.pk  # the only tier-1 object
    assert all(i.review_until == plan.period_end for i in inspections)
    conflicted = people[0]
    for inspection in inspections:
        rows = list(InspectionAssignment.objects.filter(inspection=inspection))
        assert len(rows) == 2
        for row in rows:
            assert access.is_granted(row.inspector.user, "inspect_inspection", inspection)
        others = [p for p in people if p.pk not in {r.inspector_id for r in rows}]
        assert not any(access.is_granted(p.user, "inspect_inspection", inspection) for p in others)
    demo_rows = InspectionAssignment.objects.filter(inspection=inspections[0])
    assert conflicted.pk not in {r.inspector_id for r in demo_rows}
    assert AuditEntry.objects.filter(action="supervision.plan.draw").count() == 1


def test_the_draw_sends_plan_drawn_after_the_rows_exist(world):
    from supervision import signals

    b.pools(world)
    plan = b.sealed(world)
    heard = []

    def listener(sender, plan, **kwargs):
        heard.append(Inspection.objects.filter(plan=plan).count())

    signals.plan_drawn.connect(listener)
    try:
        with clock.frozen(plan.randomness_date):
            services.draw_plan(world.gd_official, plan, b.NUMBERS)
    finally:
        signals.plan_drawn.disconnect(listener)
    assert heard == [2]


def test_draw_refusals(world):
    b.pools(world)
    plan = b.draft(world)
    with pytest.raises(ValidationError) as exc:
        services.draw_plan(world.gd_official, plan, b.NUMBERS)
    assert "批准" in _messages(exc)
    plan = b.sealed(world, title="另一计划")
    with pytest.raises(ValidationError) as exc:  # today is before the randomness date
        services.draw_plan(world.gd_official, plan, b.NUMBERS)
    assert plan.randomness_date.isoformat() in _messages(exc)
    with clock.frozen(plan.randomness_date):
        for bad in ("", "   ", "abc", "03 11 x9"):
            with pytest.raises(ValidationError) as exc:
                services.draw_plan(world.gd_official, plan, bad)
            assert "numbers" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.draw_plan(world.hlj_official, plan, b.NUMBERS)
    assert SpotCheckPlan.objects.get(pk=plan.pk).state == PlanState.SEALED
    assert not Inspection.objects.exists()


def test_a_drawn_plan_is_never_drawn_again(world):
    b.pools(world)
    plan = b.drawn(world)
    seed = plan.seed
    with clock.frozen(plan.randomness_date), pytest.raises(ValidationError) as exc:
        services.draw_plan(world.gd_official, plan, "01 02 03 04 05 06 07")
    assert "不能再次抽取" in _messages(exc) or "冻结" in _messages(exc)
    plan.refresh_from_db()
    assert plan.seed == seed and Inspection.objects.filter(plan=plan).count() == 2


def test_close_plan(world):
    b.pools(world)
    plan = b.sealed(world)
    with pytest.raises(ValidationError):
        services.close_plan(world.gd_official, plan, reason="x")
    with clock.frozen(plan.randomness_date):
        services.draw_plan(world.gd_official, plan, b.NUMBERS)
    with pytest.raises(ValidationError) as exc:
        services.close_plan(world.gd_official, plan)
    assert "reason" in exc.value.message_dict
    Inspection.objects.filter(plan=plan).update(
        state="published", conclusion="no_problem", published_at=clock.now()
    )
    services.close_plan(world.gd_official, plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.CLOSED and plan.closed_at
    with pytest.raises(ValidationError):
        services.close_plan(world.gd_official, plan, reason="x")


def test_a_quality_plan_draws_sessions_and_grants_the_supervisors(world):
    from tests.assessments.builders import open_session

    session = open_session(world)
    people = b.supervisors(world)
    today = clock.today()
    plan = services.create_plan(
        world.osta_gd,
        b.plan_data(
            world,
            kind="quality",
            title="外部质量督导派遣（测试）",
            period_end=today + dt.timedelta(days=60),
            tier_rules={t: {"count": 1} for t in ("1", "2", "3", "4")},
        ),
    )
    with pytest.raises(PermissionDenied):
        services.approve_plan(
            world.gd_official,
            plan,
            randomness_source=b.SOURCE,
            randomness_date=today + dt.timedelta(days=1),
        )
    services.approve_plan(
        world.osta_gd,
        plan,
        randomness_source=b.SOURCE,
        randomness_date=today + dt.timedelta(days=1),
    )
    with clock.frozen(today + dt.timedelta(days=1)):
        services.draw_plan(world.osta_gd, plan, b.NUMBERS)
    visit = QualityVisit.objects.get(plan=plan)
    assert visit.session_id == session.pk and visit.agency_id == world.gd_agency.pk
    rows = list(visit.assignments.all())
    assert len(rows) == 2
    for row in rows:
        assert access.is_granted(row.supervisor.user, "supervise_qualityvisit", visit)
    assert {r.supervisor_id for r in rows} <= {p.pk for p in people}


def test_check_items_are_kept_as_chosen(world):
    b.pools(world)
    plan = b.sealed(world)
    CheckItem.objects.filter(jurisdiction="440000").update(title="改过的标题")
    assert json.loads(plan.snapshot)["plan"]["check_items"] == ["T44-01", "T44-02", "T44-03"]
