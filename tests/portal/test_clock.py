"""portal.clock: one clock, working days over the holiday calendar (调休 included)."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import clock
from portal.models import CalendarDay

D = dt.date


def test_frozen_moves_today_and_restores_it():
    real = clock.today()
    with clock.frozen(D(2026, 2, 14)):
        assert clock.today() == D(2026, 2, 14)
        with clock.frozen(dt.datetime(2026, 3, 1, 23, 30)):
            assert clock.today() == D(2026, 3, 1)
        assert clock.today() == D(2026, 2, 14)
    assert clock.today() == real


def test_today_is_the_date_in_shanghai_not_utc():
    # 2026-11-25 17:00 UTC is already 26 November in Beijing.
    with clock.frozen(dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)):
        assert clock.today() == D(2026, 11, 26)


@pytest.mark.django_db
def test_weekends_are_rest_days_without_a_calendar_entry():
    assert clock.is_working_day(D(2026, 11, 27))  # Friday
    assert not clock.is_working_day(D(2026, 11, 28))  # Saturday
    assert clock.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)
    assert clock.add_working_days(D(2026, 11, 27), 5) == D(2026, 12, 4)


@pytest.mark.django_db
def test_holidays_are_skipped_and_make_up_days_count():
    for day in range(1, 8):
        CalendarDay.objects.create(date=D(2026, 10, day), kind="holiday", name="国庆节")
    CalendarDay.objects.create(date=D(2026, 10, 10), kind="workday", name="国庆节调休上班")
    # Notice published Wed 30 Sep: working days are Oct 8, 9, 10 (Saturday make-up), 12, 13.
    assert clock.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert clock.is_working_day(D(2026, 10, 10))
    assert not clock.is_working_day(D(2026, 10, 5))
    assert clock.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5


@pytest.mark.django_db
def test_counting_backwards_and_zero():
    assert clock.add_working_days(D(2026, 11, 30), -1) == D(2026, 11, 27)
    assert clock.add_working_days(D(2026, 11, 28), 0) == D(2026, 11, 28)
    assert clock.working_days_between(D(2026, 12, 4), D(2026, 11, 27)) == 0
