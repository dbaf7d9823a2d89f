"""Builders of the exam-affairs tests: synthetic resident IDs and a person's input."""

from __future__ import annotations

import datetime as dt

from portal import clock, codes


def resident_id(first17: str = "44010619800101003") -> str:
    """A synthetic resident ID with a valid check character."""
    return first17 + codes._resident_id_check_char(first17)


def person_input(**overrides):
    """What an agency states about an examiner: 考评员 for 电工 levels 5 to 3."""
    from assessments.services import OccupationRange, PersonInput
    from catalog.models import Occupation, SkillLevel
    from portal.models import Province

    levels = SkillLevel.objects.in_bulk(["5", "3", "1"])
    data = {
        "real_name": "张考评",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "province": Province.objects.get(code="440000"),
        "qualification_number": "GD-KPY-0001",
        "valid_from": clock.today() - dt.timedelta(days=30),
        "valid_until": clock.today() + dt.timedelta(days=700),
        "grade": "examiner",
        "occupations": [
            OccupationRange(Occupation.objects.get(code="6-31-01-03"), levels["5"], levels["3"])
        ],
    }
    data.update(overrides)
    return PersonInput(**data)
