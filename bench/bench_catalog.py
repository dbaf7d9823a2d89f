"""Catalogue search and detail pages over a generated 1,700-occupation catalogue (issue 4).

Budget: no page over 50 ms server time (p95).
"""

from __future__ import annotations

import datetime as dt
import random

from bench.timing import Result, measure


def _generate(total: int = 1700) -> list[str]:
    from catalog.models import Occupation

    rng = random.Random(20261125)
    existing = set(Occupation.objects.values_list("code", flat=True))
    syllables = "电焊车铣磨钳装调维修检验操作运行管理服务设计制造安装护理烹调培训营销"
    rows = []
    while len(existing) < total:
        major = rng.choice("3456")
        code = f"{major}-{rng.randint(1, 40):02d}-{rng.randint(1, 20):02d}-{rng.randint(1, 30):02d}"
        if code in existing:
            continue
        existing.add(code)
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) + "员"
        rows.append(
            Occupation(
                code=code, name=name, major_category_id=major, is_digital=rng.random() < 0.05
            )
        )
    Occupation.objects.bulk_create(rows)
    return sorted(existing)


def _standards() -> None:
    from catalog import services
    from catalog.models import Method, Occupation
    from portal.access import SYSTEM

    levels = [
        services.LevelInput(
            code,
            [
                services.MethodInput(Method.THEORY, 100, 60, 90),
                services.MethodInput(Method.SKILL, 100, 60, 120),
            ],
            [services.EligibilityInput("total_years", years=2)],
        )
        for code in ("5", "4", "3", "2", "1")
    ]
    for occupation in Occupation.objects.order_by("code")[:200]:
        services.create_standard(
            SYSTEM,
            occupation,
            title=f"{occupation.name}国家职业技能标准",
            edition_year=2020,
            effective_from=dt.date(2020, 1, 1),
            levels=levels,
        )


def run() -> list[Result]:
    from django.test import Client

    codes = _generate()
    _standards()
    client = Client()
    rng = random.Random(1)

    def get(url, **params):
        def call():
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        return call

    detail_codes = [rng.choice(codes) for _ in range(100)]
    detail_iter = iter(detail_codes * 2)

    from catalog.models import Occupation

    print(f"  catalogue: {Occupation.objects.count()} occupations, 200 with a five-level standard")
    return [
        measure("search: no query, first page", get("/catalog/"), repeat=60, budget_ms=50),
        measure("search: name part 电", get("/catalog/", q="电"), repeat=60, budget_ms=50),
        measure("search: code prefix 6-31", get("/catalog/", q="6-31"), repeat=60, budget_ms=50),
        measure(
            "search: category 6 + has standard",
            get("/catalog/", major_category="6", has_standard="yes"),
            repeat=60,
            budget_ms=50,
        ),
        measure("search: page 20", get("/catalog/", page="20"), repeat=60, budget_ms=50),
        measure(
            "occupation detail (random)",
            lambda: get(f"/catalog/occupations/{next(detail_iter)}/")(),
            repeat=100,
            budget_ms=50,
        ),
        measure("standards list", get("/catalog/standards/"), repeat=40, budget_ms=50),
    ]
