"""The plans demo (decision 0060): seeded twice it leaves one drawn 广东 plan whose draw
verifies, the demo agency drawn at tier 1 without the inspector who once worked there."""

from __future__ import annotations

import pytest

from portal.demo import demo_agency
from supervision import demo_plans
from supervision.models import Inspection, PlanState, RiskAdjustment, SpotCheckPlan
from supervision.queries import plans as queries
from tests.supervision import builders_plans as b

pytestmark = pytest.mark.django_db


def test_the_demo_plan_is_drawn_once_and_verifies(world):
    agency = demo_agency()
    b.second_agency()
    demo_plans.seed()
    demo_plans.seed()
    plan = SpotCheckPlan.objects.get(title=demo_plans.TITLE)
    assert plan.state == PlanState.DRAWN and plan.public_numbers == demo_plans.NUMBERS
    assert plan.randomness_source == demo_plans.SOURCE
    assert all(check.ok for check in queries.verify_plan(plan))
    assert RiskAdjustment.objects.get(plan=plan, agency=agency).tier == 1
    inspections = list(Inspection.objects.filter(plan=plan).order_by("position"))
    assert len(inspections) == 2 and inspections[0].agency_id == agency.pk
    names = {a.inspector.user.username for a in inspections[0].assignments.all()}
    assert "inspector_gd2" not in names and len(names) == 2
    assert SpotCheckPlan.objects.filter(title=demo_plans.TITLE).count() == 1
