"""Demo data of the catalog: the 12 standards whose editions are in occupations.csv.

Edition years and (for 焊接材料制造工 2024) the four-level coverage follow the
published standards; document numbers, dates, durations, eligibility years and
work types are invented and marked 演示数据, and so are the PDFs rendered from
them.
"""

from __future__ import annotations

import datetime as dt

from catalog import services
from catalog.models import (
    EligibilityRoute,
    EvaluationSpec,
    Method,
    NationalStandard,
    Occupation,
    SpecStatus,
    WorkType,
)
from catalog.reference import read_csv
from portal.models import Agency, User

THEORY_MINUTES = {"5": 90, "4": 90, "3": 90, "2": 120, "1": 120}
SKILL_MINUTES = {"5": 120, "4": 150, "3": 180, "2": 240, "1": 240}
TOTAL_YEARS = {"5": 1, "4": 6, "3": 10, "2": 14, "1": 18}
YEARS_SINCE_PRIOR = {"4": 4, "3": 5, "2": 4, "1": 4}
GRADE = {"5": "五级", "4": "四级", "3": "三级", "2": "二级", "1": "一级"}
FOUR_LEVEL = {"焊接材料制造工"}
DEMO_WORK_TYPES = {"6-18-02-04": ["焊条电弧焊工（演示）", "熔化极气体保护焊工（演示）"]}


def level_inputs(level_codes: list[str]) -> list[services.LevelInput]:
    items = []
    below = {"4": "5", "3": "4", "2": "3", "1": "2"}
    for code in level_codes:
        methods = [
            services.MethodInput(Method.THEORY, 100, 60, THEORY_MINUTES[code]),
            services.MethodInput(Method.SKILL, 100, 60, SKILL_MINUTES[code]),
        ]
        if code in ("2", "1"):
            methods.append(services.MethodInput(Method.REVIEW, 100, 60, None))
        total = TOTAL_YEARS[code]
        eligibility = [
            services.EligibilityInput(
                EligibilityRoute.TOTAL_YEARS,
                years=total,
                description=f"累计从事本职业工作{total}年（含）以上（演示数据）",
            )
        ]
        if code in below:
            years = YEARS_SINCE_PRIOR[code]
            eligibility.insert(
                0,
                services.EligibilityInput(
                    EligibilityRoute.PRIOR_LEVEL,
                    prior_level=below[code],
                    years=years,
                    description=f"取得本职业{GRADE[below[code]]}职业技能等级证书后，"
                    f"累计从事本职业工作{years}年（含）以上（演示数据）",
                ),
            )
        items.append(services.LevelInput(code, methods, eligibility))
    return items


def _standard(
    keeper, occupation: Occupation, year: int, *, supersedes=None, levels=("5", "4", "3", "2", "1")
) -> NationalStandard:
    existing = NationalStandard.objects.filter(occupation=occupation, edition_year=year).first()
    if existing:
        return existing
    standard = services.create_standard(
        keeper,
        occupation,
        title=f"{occupation.name}国家职业技能标准",
        edition_year=year,
        document_number=f"人社厅发〔{year}〕{occupation.pk % 90 + 10}号（演示）",
        issued_on=dt.date(year, 6, 1),
        effective_from=dt.date(year, 7, 1),
        supersedes=supersedes,
        work_types=WorkType.objects.filter(occupation=occupation),
        levels=level_inputs(list(levels)),
        is_demo=True,
    )
    services.generate_standard_document(keeper, standard)  # rendered after the commit
    return standard


def seed(stdout=None) -> None:
    keeper = User.objects.get(username="osta_national")
    for code, names in DEMO_WORK_TYPES.items():
        occupation = Occupation.objects.get(code=code)
        for name in names:
            WorkType.objects.get_or_create(
                occupation=occupation, name=name, defaults={"is_demo": True}
            )
    count = 0
    for row in read_csv("occupations.csv"):
        if not row.get("standard_edition"):
            continue
        occupation = Occupation.objects.get(code=row["code"])
        year = int(row["standard_edition"])
        supersedes = None
        if occupation.code == "6-31-01-03":  # 电工: an older edition, superseded in 2018
            supersedes = _standard(keeper, occupation, 2009)
        levels = (
            ("5", "4", "3", "2") if occupation.name in FOUR_LEVEL else ("5", "4", "3", "2", "1")
        )
        _standard(keeper, occupation, year, supersedes=supersedes, levels=levels)
        count += 1

    # The demo agency's specifications: one filed for what the four-level standard leaves
    # out (level 1 of 焊接材料制造工), one waiting in the filing queue.
    agency = Agency.objects.get(uscc="91440101MA5D7E0M1A")
    admin = User.objects.get(username="agency_admin")
    welding = Occupation.objects.get(code="6-20-03-03")
    if not EvaluationSpec.objects.filter(agency=agency, occupation=welding).exists():
        spec = services.create_spec(
            admin,
            agency,
            occupation=welding,
            title="焊接材料制造工（一级/高级技师）评价规范（演示）",
            summary="国家职业技能标准（2024年版）只设五级至二级，本规范补充一级/高级技师的评价要求。（演示数据）",
            levels=level_inputs(["1"]),
        )
        services.submit_spec(admin, spec, note="请审核。（演示）")
        services.file_spec(keeper, spec, comments="符合备案要求。（演示）")
    media = Occupation.objects.get(code="4-13-01-05")
    if not EvaluationSpec.objects.filter(agency=agency, occupation=media).exists():
        spec = services.create_spec(
            admin,
            agency,
            occupation=media,
            title="全媒体运营师评价规范（演示）",
            summary="全媒体运营师尚无国家职业技能标准，本规范覆盖五级至三级。（演示数据）",
            levels=level_inputs(["5", "4", "3"]),
        )
        services.submit_spec(admin, spec, note="首次提交。（演示）")
    if stdout is not None:
        filed = EvaluationSpec.objects.filter(status=SpecStatus.FILED).count()
        stdout.write(f"catalog: {count} standards with editions, {filed} filed specifications")
