"""Two officials press 「抽取」 at the same moment (Art 25; decision 0055): the row lock lets one
draw; the other meets a drawn plan and is refused, so there is one drawn list and one set of
inspections."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal import clock
from supervision.models import Inspection, InspectionAssignment, SpotCheckPlan
from supervision.services import plans as services
from tests.supervision import builders_plans as b

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_concurrent_double_draw_draws_once(world):
    b.pools(world)
    plan = b.sealed(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press(numbers: str) -> None:
        try:
            barrier.wait()
            with clock.frozen(plan.randomness_date):
                services.draw_plan(
                    world.gd_official, SpotCheckPlan.objects.get(pk=plan.pk), numbers
                )
            outcomes.append("drawn")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(numbers,))
        for numbers in (b.NUMBERS, "01 02 03 04 05 06 07")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["drawn", "refused"]
    plan.refresh_from_db()
    assert Inspection.objects.filter(plan=plan).count() == 2
    assert InspectionAssignment.objects.filter(inspection__plan=plan).count() == 4
