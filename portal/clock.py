"""One clock for every rule that depends on a date (ARCHITECTURE.md "Slow work").

Working days are Monday to Friday, except the public holidays and make-up
working days (调休) that officials keep in ``CalendarDay``. Tests move the clock
with ``frozen(...)``; services never call ``timezone.now()`` for rule dates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current aware datetime (or the frozen one in tests)."""
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's date in Asia/Shanghai."""
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(when: dt.date | dt.datetime) -> Iterator[None]:
    """Freeze the clock at ``when`` (a date means 09:00 local time that day)."""
    global _frozen
    if isinstance(when, dt.datetime):
        moment = when if timezone.is_aware(when) else timezone.make_aware(when)
    else:
        moment = timezone.make_aware(dt.datetime.combine(when, dt.time(9, 0)))
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    from portal.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def _working(day: dt.date, exceptions: dict[dt.date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == "holiday":
        return False
    if kind == "workday":
        return True
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    return _working(day, _exceptions(day, day))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    A notice published on a Friday with a 5-working-day period ends the next
    Friday, holidays and make-up days taken into account. ``days`` may be negative.
    """
    if days == 0:
        return start
    step = 1 if days > 0 else -1
    # Long holidays (Spring Festival, National Day) add at most ~9 rest days per 5 working days.
    span = abs(days) * 3 + 30
    window = (
        (start, start + dt.timedelta(days=span))
        if step > 0
        else (
            start - dt.timedelta(days=span),
            start,
        )
    )
    exceptions = _exceptions(*window)
    day, remaining = start, abs(days)
    while remaining:
        day += dt.timedelta(days=step)
        if _working(day, exceptions):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += _working(day, exceptions)
    return count


def working_days_counter(start: dt.date, end: dt.date):
    """``working_days_between`` for many dates within [start, end] with one query: a page
    listing many waiting items reads the calendar once (docs/decisions/0027). Dates outside
    the window are counted with their own query."""
    exceptions = _exceptions(start, end)

    def count(since: dt.date, until: dt.date) -> int:
        if since < start or until > end:
            return working_days_between(since, until)
        total, day = 0, since
        while day < until:
            day += dt.timedelta(days=1)
            total += _working(day, exceptions)
        return total

    return count
