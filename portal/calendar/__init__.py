"""The working-day calendar: the holidays and make-up working days (调休) that officials keep.

``portal.clock`` counts working days over it (notice periods, deadlines); these are its
state changes, one function per business action, each audited.
"""

from __future__ import annotations

from django.db import transaction

from portal import access, audit
from portal.models import CalendarDay
from portal.roles import NATIONAL


@transaction.atomic
def add_calendar_day(actor, *, date, kind: str, name: str = "") -> CalendarDay:
    """Record a public holiday or make-up working day used by working-day rules."""
    access.require(actor, "portal.calendar.change")
    day = CalendarDay(date=date, kind=kind, name=name)
    day.full_clean()
    day.save()
    audit.record(
        actor,
        "portal.calendar.add",
        day,
        {"date": [None, day.date], "kind": [None, kind], "name": [None, name]},
        province=NATIONAL,
    )
    return day


@transaction.atomic
def remove_calendar_day(actor, day: CalendarDay) -> None:
    """Remove a calendar exception (the date becomes an ordinary weekday or weekend)."""
    access.require(actor, "portal.calendar.change")
    audit.record(
        actor,
        "portal.calendar.remove",
        day,
        {"date": [day.date, None], "kind": [day.kind, None], "name": [day.name, None]},
        province=NATIONAL,
    )
    day.delete()
