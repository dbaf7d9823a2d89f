"""State changes of the portal app, one function per business action."""

from __future__ import annotations

from django.db import transaction

from portal import access
from portal.models import CalendarDay


@transaction.atomic
def add_calendar_day(actor, *, date, kind: str, name: str = "") -> CalendarDay:
    """Record a public holiday or make-up working day used by working-day rules."""
    access.require(actor, "portal.calendar.change")
    day = CalendarDay(date=date, kind=kind, name=name)
    day.full_clean()
    day.save()
    return day


@transaction.atomic
def remove_calendar_day(actor, day: CalendarDay) -> None:
    """Remove a calendar exception (the date becomes an ordinary weekday or weekend)."""
    access.require(actor, "portal.calendar.change")
    day.delete()
