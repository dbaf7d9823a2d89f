"""The inspections stage's demo (supervision.demo_inspections): nothing before the demo plan
is drawn; then the demo agency's inspection has an on-site record, two findings (one serious)
and an open order due in the future, the other is concluded clean; running it again adds
nothing."""

from __future__ import annotations

import io

import pytest

from portal import clock
from portal.demo import DEMO_AGENCY_USCC
from portal.models import Agency
from supervision import demo_inspections
from supervision.models import Conclusion, Finding, InspectionRecord, RectificationOrder
from tests.supervision.builders_inspections import drawn_plan, inspector

pytestmark = pytest.mark.django_db


def test_the_demo_waits_for_the_plan_then_fills_both_inspections_once(world):
    demo_inspections.seed(io.StringIO())
    assert not InspectionRecord.objects.exists()
    # As in the demo: every demo agency is is_demo; the demo agency has the demo credit code.
    Agency.objects.filter(pk=world.gd_agency.pk).update(is_demo=True, uscc=DEMO_AGENCY_USCC)
    Agency.objects.filter(pk=world.hlj_agency.pk).update(is_demo=True)
    a, b, c = inspector("demo_i1"), inspector("demo_i2"), inspector("demo_i3")
    _plan, (demo, clean) = drawn_plan(
        world.gd_official,
        [(world.gd_agency, [a, b]), (world.hlj_agency, [c, a])],
        title=demo_inspections.PLAN_TITLE,
    )
    out = io.StringIO()
    demo_inspections.seed(out)
    demo_inspections.seed(out)
    assert demo.records.get().kind == "on_site"
    assert sorted(demo.findings.values_list("severity", flat=True)) == ["minor", "serious"]
    order = RectificationOrder.objects.get()
    assert order.inspection == demo and order.state == "open"
    assert order.deadline > clock.today() and order.findings.count() == 2
    clean.refresh_from_db()
    assert clean.conclusion == Conclusion.NO_PROBLEM and clean.publish_due is not None
    assert Finding.objects.count() == 2 and InspectionRecord.objects.count() == 2
    assert "concluded, no problem" in out.getvalue()
