"""Demo data of supervision, idempotent: the 广东 pools and check items, a plan drawn and
published with its seed, two inspections (one with findings and an open rectification order,
one closed clean), a published result, and an external supervisor's report on a demo session.
Each stage's module builds on the one before."""

from __future__ import annotations


def seed(stdout=None) -> None:
    from supervision import demo_inspections, demo_plans, demo_pools, demo_publication, demo_quality

    for stage in (demo_pools, demo_plans, demo_inspections, demo_publication, demo_quality):
        stage.seed(stdout)
