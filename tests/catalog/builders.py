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


def level_data(prefix: str = "levels", covered: dict | None = None) -> dict:
    """The POST of the seven level rows (ranks 1..7), with ``covered`` {index: overrides}."""
    data = {
        f"{prefix}-TOTAL_FORMS": "7",
        f"{prefix}-INITIAL_FORMS": "7",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "7",
    }
    for index in range(7):
        row = {
            "theory_used": "on",
            "theory_full": "100",
            "theory_pass": "60",
            "skill_used": "on",
            "skill_full": "100",
            "skill_pass": "60",
            "theory_candidates_per_invigilator": "15",
            "theory_min_invigilators_per_room": "2",
            "skill_candidates_per_examiner": "5",
            "skill_min_examiners": "3",
            "skill_examiners_odd": "on",
            "review_panel_min": "3",
            "review_panel_odd": "on",
        }
        for method in ("review", "performance", "process", "competition"):
            row.update({f"{method}_full": "100", f"{method}_pass": "60"})
        row.update((covered or {}).get(index, {}))
        data.update({f"{prefix}-{index}-{k}": v for k, v in row.items() if v is not None})
    return data


def standard_post(**header) -> dict:
    """The header of a national standard of 全媒体运营师, as the keeper's form posts it."""
    return {
        "title": "全媒体运营师国家职业技能标准",
        "edition_year": "2026",
        "document_number": "人社厅发〔2026〕1号",
        "issued_on": "2026-03-01",
        "effective_from": "2026-05-01",
        **header,
    }
