"""Demo data of the publication stage of supervision (run by ``supervision.demo.seed``): the
result of the demo plan's clean inspection is published by ``gd_official`` (Art 25; decision
0056). Idempotent; does nothing while the inspections stage has left no concluded clean
inspection on the demo plan."""

from __future__ import annotations

DEMO_PLAN_TITLE = "2026年广东省职业技能等级认定机构“双随机”抽查"


def seed(stdout=None) -> None:
    from portal.models import User
    from supervision.models import Conclusion, Inspection, InspectionState, PlanKind
    from supervision.services.publication import publish_result

    clean = (
        Inspection.objects.filter(
            plan__title=DEMO_PLAN_TITLE,
            plan__jurisdiction="440000",
            plan__kind=PlanKind.SPOT_CHECK,
            state=InspectionState.CONCLUDED,
            conclusion=Conclusion.NO_PROBLEM,
            notice__isnull=True,
        )
        .order_by("position")
        .first()
    )
    official = User.objects.filter(username="gd_official").first()
    if clean is None or official is None:
        return
    done = publish_result(official, clean)
    if stdout is not None:
        stdout.write(
            f"supervision: result of inspection {done.pk} published (notice {done.notice_id})"
        )
