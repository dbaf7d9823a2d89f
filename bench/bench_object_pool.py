"""The inspection-object pool (Art 25; decision 0057) over 15,000 listed agencies of one province.

Budget: the official's page (50 rows, facts computed for the page only) 250 ms p95; filtered
by tier (every agency's facts computed, in bulk) 1,500 ms p95; ``risk.tiers`` alone over the
15,000 agencies 1,000 ms p95. 1,500 of the agencies have findings of an earlier inspection.
"""

from __future__ import annotations

import datetime as dt

from bench.timing import Result, measure

AGENCIES = 15_000


def _fill():
    from portal import clock
    from portal.models import Agency, AgencyKind, AgencyStatus
    from portal.reference import ensure_reference_data
    from supervision.models import Finding, Inspection, SpotCheckPlan
    from tests.portal.builders import make_user

    ensure_reference_data()
    official = make_user("bench_gd_official", role="provincial_official", jurisdiction="440000")
    inspector = make_user("bench_inspector", role="inspector", jurisdiction="440000")
    agencies = Agency.objects.bulk_create(
        [
            Agency(
                name=f"广东基准机构{n:05d}",
                uscc=f"9144BENCH{n:09d}",
                kind=AgencyKind.SOCIAL_ORG,
                registered_province_id="440000",
                filing_jurisdiction="440000",
                agency_code="0000",
                status=AgencyStatus.LISTED,
            )
            for n in range(AGENCIES)
        ],
        batch_size=2000,
    )
    now, today = clock.now(), clock.today()
    plan = SpotCheckPlan.objects.create(
        jurisdiction="440000",
        title="基准计划",
        period_start=today,
        period_end=today + dt.timedelta(days=30),
        created_by=official,
        created_at=now,
    )
    inspections = Inspection.objects.bulk_create(
        [
            Inspection(
                plan=plan, position=i + 1, tier=3, agency=a, review_until=today, created_at=now
            )
            for i, a in enumerate(agencies[::10])
        ]
    )
    Finding.objects.bulk_create(
        [
            Finding(
                inspection=ins,
                severity="serious" if i % 3 == 0 else "minor",
                description="档案缺失",
                recorded_by=inspector,
                recorded_at=now,
            )
            for i, ins in enumerate(inspections)
        ]
    )
    return official, [a.pk for a in agencies]


def run() -> list[Result]:
    from django.test import Client

    from supervision import risk

    official, ids = _fill()
    client = Client()
    client.force_login(official)

    def get(**params):
        def call():
            response = client.get("/workspace/supervision/objects/", params)
            assert response.status_code == 200, response.status_code

        return call

    return [
        measure("object pool: first page", get(), repeat=30, budget_ms=250),
        measure("object pool: page 100", get(page="100"), repeat=30, budget_ms=250),
        measure("object pool: high risk only", get(tier="1"), repeat=8, budget_ms=1500),
        measure("risk.tiers over 15,000 agencies", lambda: risk.tiers(ids), repeat=8,
                budget_ms=1000),
    ]  # fmt: skip
