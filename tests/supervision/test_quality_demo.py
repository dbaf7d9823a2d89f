"""The quality stage's demo (Art 26): nothing before the demo quality plan is drawn; then the
drawn supervisor's report, filed once however often the demo runs."""

from __future__ import annotations

from supervision import demo_quality
from supervision.models import Finding, SpotCheckPlan, VisitState
from tests.supervision.builders_quality import drawn_visit, quality_plan


def test_the_demo_waits_for_the_plan_then_files_one_report(world):
    demo_quality.seed()  # no plan yet: quietly nothing
    plan = quality_plan(world)
    SpotCheckPlan.objects.filter(pk=plan.pk).update(title=demo_quality.PLAN_TITLE)
    plan.refresh_from_db()
    visit = drawn_visit(world, plan=plan)
    demo_quality.seed()
    demo_quality.seed()
    visit.refresh_from_db()
    assert (visit.state, visit.rating, visit.reported_by) == (
        VisitState.REPORTED,
        "acceptable",
        world.expert,
    )
    assert list(Finding.objects.filter(visit=visit).values_list("severity", flat=True)) == ["minor"]
