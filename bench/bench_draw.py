"""The spot-check draw: 15,000 agencies and 5,000 inspectors with conflict avoidance (issue 19).

Budget (issue 19): the draw ≤ 1 s, printed beside the bare hashing of the same snapshot
(RFC 8785 canonical bytes + SHA-256), and ``verify_draw`` just as fast. Two figures each:

- *synthetic*: the snapshot dict built in memory (tiers 2/8/30/60 % of the agencies, rules
  30/10/2/1 %, each inspector avoiding 3 agencies, capacity 5): ``draw.gaps``, ``draw.draw``,
  ``draw.verify`` (parse the published text, re-run, compare) and the hashing;
- *database*: the same sizes as rows (agencies, inspector users and entries, conflict tags,
  tier adjustments), sealed through ``snapshot.build`` (the query, tiers, pseudonyms, salted
  digests), drawn, then re-run by ``verification.verify_plan`` and ``manage.py verify_draw``.
"""

from __future__ import annotations

import io
import json
import os
import random
import time

from bench.timing import Result, measure

AGENCIES = int(os.environ.get("BENCH_DRAW_AGENCIES", "15000"))
INSPECTORS = int(os.environ.get("BENCH_DRAW_INSPECTORS", "5000"))
RULES = {
    "1": {"percent": "30"},
    "2": {"percent": "10"},
    "3": {"percent": "2"},
    "4": {"percent": "1"},
}
TIER_WEIGHTS = (2, 8, 30, 60)
BUDGET_MS = 1000.0


def synthetic() -> dict:
    from supervision import draw

    rng = random.Random(19)
    objects = sorted(
        (
            {"id": f"agency:{i}", "tier": rng.choices((1, 2, 3, 4), TIER_WEIGHTS)[0]}
            for i in range(AGENCIES)
        ),
        key=lambda o: o["id"],
    )
    sizes: dict[str, int] = {}
    for obj in objects:
        sizes[str(obj["tier"])] = sizes.get(str(obj["tier"]), 0) + 1
    people = sorted(
        (
            {
                "id": f"p-{rng.getrandbits(64):016x}",
                "digest": f"{rng.getrandbits(256):064x}",
                "capacity": 5,
                "avoid": sorted({f"agency:{rng.randrange(AGENCIES)}" for _ in range(3)}),
            }
            for _ in range(INSPECTORS)
        ),
        key=lambda p: p["id"],
    )
    return {
        "version": draw.ALGORITHM,
        "plan": {"id": 1, "tier_rules": RULES, "secret_digest": "0" * 64},
        "per_object": 2,
        "quotas": draw.quotas(RULES, sizes),
        "objects": objects,
        "people": people,
    }


def run_synthetic() -> list[Result]:
    from supervision import draw

    snap = synthetic()
    text = draw.canonical(snap)
    seed = draw.seed_of(draw.ALGORITHM, draw.digest(text), "ab" * 32, "03 11 19 22 27 31 08")
    result = draw.draw(snap, seed)
    assert draw.verify(text, seed, result)
    assert not draw.gaps(snap)
    stood_aside = sum(len(o["stood_aside"]) for o in result["objects"])
    print(
        f"  synthetic: {AGENCIES:,} agencies, {INSPECTORS:,} inspectors, quotas {snap['quotas']}"
        f" → {len(result['objects'])} objects, {stood_aside} stood aside; snapshot "
        f"{len(text) / 1e6:.1f} MB"
    )
    return [
        measure(
            "synthetic: hashing (RFC 8785 + SHA-256)",
            lambda: draw.digest(draw.canonical(snap)),
            repeat=5,
            budget_ms=BUDGET_MS,
            warmup=1,
        ),
        measure(
            "synthetic: draw.draw", lambda: draw.draw(snap, seed), repeat=10, budget_ms=BUDGET_MS
        ),
        measure("synthetic: draw.gaps", lambda: draw.gaps(snap), repeat=10, budget_ms=BUDGET_MS),
        measure(
            "synthetic: draw.verify (parse + draw + compare)",
            lambda: draw.verify(text, seed, result),
            repeat=5,
            budget_ms=BUDGET_MS,
            warmup=1,
        ),
    ]


def database_pool():
    """The same sizes as rows; returns a draft plan of 广东 over them."""
    from portal import clock
    from supervision.models import ConflictKind, ConflictTag, RiskAdjustment
    from tests.portal.builders import seed_world, world_view
    from tests.supervision import builders_draw

    world = world_view(seed_world())
    rng = random.Random(19)
    start = time.perf_counter()
    agencies = builders_draw.agencies(AGENCIES, start=100_000)
    inspectors = builders_draw.inspectors(INSPECTORS, prefix="bench_draw_")
    now = clock.now()
    ConflictTag.objects.bulk_create(
        ConflictTag(
            inspector=inspector,
            agency=agency,
            kind=ConflictKind.FORMER_EMPLOYER,
            recorded_at=now,
        )
        for inspector in inspectors
        for agency in rng.sample(agencies, 3)
    )
    plan = builders_draw.draft(world.gd_official, rules=RULES)
    adjustments = []
    for agency in agencies:
        tier = rng.choices((1, 2, 3, 4), TIER_WEIGHTS)[0]
        if tier != 4:
            adjustments.append(
                RiskAdjustment(
                    plan=plan,
                    agency=agency,
                    computed_tier=4,
                    tier=tier,
                    reason="基准测试",
                    adjusted_by=world.gd_official,
                    adjusted_at=now,
                )
            )
    RiskAdjustment.objects.bulk_create(adjustments)
    print(
        f"  database set-up: {AGENCIES:,} agencies, {INSPECTORS:,} inspectors, "
        f"{3 * INSPECTORS:,} conflict tags, {len(adjustments):,} tier adjustments in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return plan


def run_database() -> list[Result]:
    from django.core.management import call_command

    from supervision import draw, snapshot
    from supervision.verification import verify_plan
    from tests.supervision import builders_draw

    plan = database_pool()
    plan.pseudonym_key = "5a" * 32
    results = [
        measure(
            "database: snapshot.build (rows → snapshot)",
            lambda: snapshot.build(plan),
            repeat=3,
            budget_ms=10 * BUDGET_MS,
            warmup=1,
        )
    ]
    builders_draw.draw_now(builders_draw.seal(plan))
    snap = json.loads(plan.snapshot)
    results += [
        measure(
            "database: hashing of the sealed snapshot",
            lambda: draw.digest(draw.canonical(snap)),
            repeat=5,
            budget_ms=BUDGET_MS,
            warmup=1,
        ),
        measure(
            "database: draw.draw of the sealed snapshot",
            lambda: draw.draw(snap, plan.seed),
            repeat=10,
            budget_ms=BUDGET_MS,
        ),
    ]
    assert verify_plan(plan).ok
    results.append(
        measure(
            "database: verify_plan (all five checks)",
            lambda: verify_plan(plan),
            repeat=5,
            budget_ms=BUDGET_MS,
            warmup=1,
        )
    )
    results.append(
        measure(
            "database: manage.py verify_draw PLAN_ID",
            lambda: call_command("verify_draw", str(plan.pk), stdout=io.StringIO()),
            repeat=5,
            budget_ms=BUDGET_MS,
            warmup=1,
        )
    )
    print(
        f"  sealed snapshot {len(plan.snapshot) / 1e6:.1f} MB, quotas {snap['quotas']}, "
        f"{len(plan.result['objects'])} objects drawn"
    )
    return results


def run() -> list[Result]:
    return run_synthetic() + run_database()
