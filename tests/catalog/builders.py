"""Builders of the catalog tests (and of the apps above it, which need a standard to assess).

Test modules import builders from here (never from another test module).
"""

from __future__ import annotations

import datetime as dt

from catalog import services
from catalog.models import Method, NationalStandard, Occupation

ELECTRICIAN = "6-31-01-03"


def electrician_standard(
    actor, *, levels=("5", "4", "3", "2", "1"), duration_minutes: int | None = None
) -> NationalStandard:
    """The 2018 national standard of 电工 with a theory exam at ``levels``; made once.

    An agency may only be filed for levels a standard (or a filed specification) covers
    (Art 17), so most agency tests start here. Asking again returns the standard already made.
    """
    occupation = Occupation.objects.get(code=ELECTRICIAN)
    existing = NationalStandard.objects.filter(occupation=occupation).first()
    if existing:
        return existing
    return services.create_standard(
        actor,
        occupation,
        title="电工国家职业技能标准",
        edition_year=2018,
        effective_from=dt.date(2018, 12, 1),
        levels=[
            services.LevelInput(
                code, [services.MethodInput(Method.THEORY, 100, 60, duration_minutes)]
            )
            for code in levels
        ],
    )
