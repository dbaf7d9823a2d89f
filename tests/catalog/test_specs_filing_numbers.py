"""Filing numbers of evaluation specifications (Art 8): 备〔年〕NNNN号, consecutive per year,
handed out by ``portal.counters``, so the first two filings of a year do not race."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from catalog import services
from catalog.models import EvaluationSpec, Method, Occupation, SpecStatus
from portal import clock
from portal.models import Counter

D = dt.date


def levels(*codes: str) -> list[services.LevelInput]:
    return [
        services.LevelInput(c, [services.MethodInput(Method.THEORY, 100, 60, 90)]) for c in codes
    ]


def submitted(world, title: str) -> EvaluationSpec:
    admin = world.members["admin"]
    spec = services.create_spec(
        admin,
        world.gd_agency,
        occupation=Occupation.objects.get(code="4-13-01-05"),  # 全媒体运营师: no standard
        title=title,
        levels=levels("5"),
    )
    return services.submit_spec(admin, spec)


@pytest.mark.django_db
def test_filings_are_numbered_one_after_another_per_year(world):
    first, second, third = (submitted(world, f"规范{i}") for i in range(3))
    with clock.frozen(D(2026, 11, 25)):
        services.file_spec(world.osta_national, first)
        services.file_spec(world.osta_national, second)
    with clock.frozen(D(2027, 1, 4)):
        services.file_spec(world.osta_national, third)
    numbers = dict(EvaluationSpec.objects.values_list("title", "filing_number"))
    assert numbers == {
        "规范0": "备〔2026〕0001号",
        "规范1": "备〔2026〕0002号",
        "规范2": "备〔2027〕0001号",
    }
    assert Counter.objects.get(key="catalog.spec_filing:2026").last == 2


@pytest.mark.django_db
def test_the_counter_goes_on_from_the_numbers_filed_before_it(world):
    # A filing numbered before the counter existed keeps its number; the next one follows it.
    earlier = submitted(world, "早先备案")
    EvaluationSpec.objects.filter(pk=earlier.pk).update(
        status=SpecStatus.FILED, filing_number="备〔2026〕0041号", filed_on=D(2026, 3, 2)
    )
    spec = submitted(world, "新备案")
    with clock.frozen(D(2026, 11, 25)):
        filed = services.file_spec(world.osta_national, spec)
    assert filed.filing_number == "备〔2026〕0042号"
    assert EvaluationSpec.objects.get(pk=earlier.pk).filing_number == "备〔2026〕0041号"


@pytest.mark.django_db(transaction=True)
def test_the_first_two_filings_of_a_year_at_once_get_two_numbers(world):
    """The second filing waits for the first one's commit instead of taking its number (it
    used to lock the year's filed rows, of which there were none yet, and then hit the
    unique constraint)."""
    first, second = submitted(world, "甲"), submitted(world, "乙")
    keeper = world.osta_national
    holding, release, errors = threading.Event(), threading.Event(), []

    def file_first() -> None:
        try:
            with transaction.atomic():
                services.file_spec(keeper, first)
                holding.set()
                release.wait(10)  # still uncommitted while the second filing starts
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            holding.set()
            connection.close()

    def file_second() -> None:
        try:
            holding.wait(10)
            services.file_spec(keeper, second)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    with clock.frozen(D(2026, 11, 25)):
        threads = [threading.Thread(target=file_first), threading.Thread(target=file_second)]
        for thread in threads:
            thread.start()
        holding.wait(10)
        threads[1].join(1)
        waited = threads[1].is_alive()  # blocked on the year's counter
        release.set()
        for thread in threads:
            thread.join(20)
    assert not errors
    assert waited
    numbers = sorted(EvaluationSpec.objects.values_list("filing_number", flat=True))
    assert numbers == ["备〔2026〕0001号", "备〔2026〕0002号"]
