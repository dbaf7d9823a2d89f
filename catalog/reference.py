"""Reference data of the catalog: skill levels (Art 9), major categories and the starting
occupation catalogue (``catalog/data/*.csv``, copied from shared/data and tested against it)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# code, rank, grade name, title, employer only
LEVELS: list[tuple[str, int, str, str, bool]] = [
    ("5", 1, "五级", "初级工", False),
    ("4", 2, "四级", "中级工", False),
    ("3", 3, "三级", "高级工", False),
    ("2", 4, "二级", "技师", False),
    ("1", 5, "一级", "高级技师", False),
    ("principal", 6, "", "特级技师", True),
    ("chief", 7, "", "首席技师", True),
]


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load(apps=None) -> None:
    """Create or update levels, categories and occupations (idempotent)."""
    get = apps.get_model if apps is not None else _current_model
    SkillLevel = get("catalog", "SkillLevel")
    MajorCategory = get("catalog", "MajorCategory")
    Occupation = get("catalog", "Occupation")
    for code, rank, grade, title, employer_only in LEVELS:
        SkillLevel.objects.update_or_create(
            code=code,
            defaults={
                "rank": rank,
                "grade_name": grade,
                "title": title,
                "employer_only": employer_only,
            },
        )
    for row in read_csv("major_categories.csv"):
        MajorCategory.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    for row in read_csv("occupations.csv"):
        marker = row.get("marker", "")
        count = row.get("work_type_count", "")
        Occupation.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "major_category_id": row["major_category"],
                "is_digital": "S" in marker,
                "is_green": "L" in marker,
                "is_skill": row["major_category"] != "2",
                "work_type_count": int(count) if count else None,
            },
        )


def _current_model(app_label: str, name: str):
    from django.apps import apps

    return apps.get_model(app_label, name)
