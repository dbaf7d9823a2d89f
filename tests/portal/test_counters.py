"""Gap-free counters: consecutive, refused past the maximum, safe across processes."""

from __future__ import annotations

import multiprocessing
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.transaction import TransactionManagementError

from portal import counters
from portal.counters import Counter, CounterExhausted

BIG = 10**9


@pytest.mark.django_db
def test_it_hands_out_consecutive_ranges_from_one():
    with transaction.atomic():
        assert counters.allocate("test.a", maximum=BIG) == range(1, 2)
        assert counters.allocate("test.a", 3, maximum=BIG) == range(2, 5)
        assert counters.allocate("test.b", maximum=BIG) == range(1, 2)
    assert counters.peek("test.a") == 4
    assert counters.peek("test.unused") == 0


def test_maximum_is_required():
    with pytest.raises(TypeError):
        counters.allocate("test.a")  # type: ignore[call-arg]


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_outside_the_callers_transaction():
    with pytest.raises(TransactionManagementError):
        counters.allocate("test.a", maximum=BIG)
    with pytest.raises(TransactionManagementError):
        counters.allocate_many({"test.a": 1}, maximum=BIG)
    assert not Counter.objects.filter(key="test.a").exists()


@pytest.mark.django_db
def test_the_first_allocation_starts_after_the_existing_numbers():
    calls = []

    def existing_max() -> int:
        calls.append(1)
        return 41

    with transaction.atomic():
        assert counters.peek("test.year", start_from=existing_max) == 41
        assert counters.allocate("test.year", maximum=BIG, start_from=existing_max) == range(42, 43)
        assert counters.allocate("test.year", maximum=BIG, start_from=existing_max) == range(43, 44)
    assert len(calls) == 2  # peek, then the first allocation; never again once the row exists


@pytest.mark.django_db
def test_a_result_past_the_maximum_is_refused_and_changes_nothing():
    with transaction.atomic():
        assert counters.allocate("test.small", 2, maximum=3) == range(1, 3)
        with pytest.raises(CounterExhausted) as info:
            counters.allocate("test.small", 2, maximum=3)  # would hand out 3 and 4
        assert isinstance(info.value, ValidationError) and info.value.code == "exhausted"
        assert "test.small" in info.value.messages[0] and "3" in info.value.messages[0]
        # The caller caught the refusal and carries on: nothing was incremented.
        assert counters.peek("test.small") == 2
        assert counters.allocate("test.small", 1, maximum=3) == range(3, 4)
        with pytest.raises(CounterExhausted):
            counters.allocate("test.small", maximum=3)
    assert counters.peek("test.small") == 3


@pytest.mark.django_db
def test_existing_numbers_already_past_the_maximum_are_refused():
    with transaction.atomic(), pytest.raises(CounterExhausted):
        counters.allocate("test.full", maximum=9999, start_from=lambda: 9999)
    assert counters.peek("test.full") == 9999


@pytest.mark.django_db
def test_the_refusal_reads_in_chinese():
    with transaction.atomic(), pytest.raises(CounterExhausted) as info:
        counters.allocate("test.zh", 5, maximum=4)
    assert "编号" in info.value.messages[0]


@pytest.mark.django_db
def test_a_rollback_gives_the_numbers_back():
    with transaction.atomic():
        counters.allocate("test.r", maximum=BIG)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert counters.allocate("test.r", 5, maximum=BIG) == range(2, 7)
        raise RuntimeError("the filing failed")
    with transaction.atomic():
        assert counters.allocate("test.r", maximum=BIG) == range(2, 3)


@pytest.mark.django_db
def test_bad_arguments_are_refused():
    with transaction.atomic():
        with pytest.raises(ValueError):
            counters.allocate("test.a", 0, maximum=BIG)
        with pytest.raises(ValueError):
            counters.allocate("", maximum=BIG)
        with pytest.raises(ValueError):
            counters.allocate("x" * 101, maximum=BIG)
        with pytest.raises(ValueError):
            counters.allocate("test.neg", maximum=BIG, start_from=lambda: -1)


@pytest.mark.django_db
def test_allocate_many_is_all_or_nothing():
    with transaction.atomic():
        got = counters.allocate_many({"test.z": 2, "test.a": 1}, maximum=BIG)
        assert got == {"test.z": range(1, 3), "test.a": range(1, 2)}
        assert list(got) == ["test.z", "test.a"]  # the caller's order, though locked sorted
        with pytest.raises(CounterExhausted):
            # test.a is advanced first (sorted order), then test.z is refused: both undone.
            counters.allocate_many({"test.a": 1, "test.z": 5}, maximum={"test.a": BIG, "test.z": 4})
        assert counters.peek("test.a") == 1 and counters.peek("test.z") == 2
        got = counters.allocate_many(
            {"test.new": 1}, maximum=BIG, start_from={"test.new": lambda: 7}
        )
        assert got == {"test.new": range(8, 9)}


@pytest.mark.django_db
def test_seed_starts_a_counter_and_never_moves_it_back():
    assert counters.seed("test.s", 120) == 120
    assert counters.seed("test.s", 80) == 120
    with transaction.atomic():
        assert counters.allocate("test.s", maximum=BIG) == range(121, 122)
    assert counters.seed("test.s", 200) == 200
    with pytest.raises(ValueError):
        counters.seed("test.s", -1)


# --- Parallel processes on PostgreSQL --------------------------------------------------------

ROUNDS = 50
PROCESSES = 4
KEYS = ("test.par.a", "test.par.b")


def _worker(seed: int, out) -> None:
    """In a forked process with its own connection: allocate, sometimes roll back."""
    rng = random.Random(seed)
    kept: list[tuple[str, int]] = []
    try:
        for i in range(ROUNDS):
            rolled_back = rng.random() < 0.2
            try:
                with transaction.atomic():
                    if i % 5 == 0:
                        # Both keys in one call, requested in a random order.
                        keys = list(KEYS)
                        rng.shuffle(keys)
                        got = counters.allocate_many(dict.fromkeys(keys, 1), maximum=BIG)
                        numbers = [(k, r[0]) for k, r in got.items()]
                    else:
                        key = KEYS[i % 2]
                        numbers = [(key, counters.allocate(key, maximum=BIG)[0])]
                    if rolled_back:
                        raise RuntimeError("rolled back")
            except RuntimeError:
                continue
            kept.extend(numbers)
        out.put(("ok", kept))
    except Exception as exc:  # report, never hang the parent
        out.put(("error", repr(exc)))
    finally:
        connections.close_all()


@pytest.mark.fork
@pytest.mark.django_db(transaction=True)
def test_parallel_processes_get_no_duplicate_and_no_gap():
    if connections["default"].vendor != "postgresql":
        pytest.skip("the row-lock behaviour under test is PostgreSQL's")
    connections.close_all()  # each forked process opens its own connection
    ctx = multiprocessing.get_context("fork")
    out = ctx.SimpleQueue()
    procs = [ctx.Process(target=_worker, args=(seed, out)) for seed in range(PROCESSES)]
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    assert [status for status, _ in results] == ["ok"] * PROCESSES, results
    for key in KEYS:
        numbers = sorted(n for _, kept in results for k, n in kept if k == key)
        assert numbers, "each key was used"
        assert len(numbers) == len(set(numbers)), "no duplicate"
        assert numbers == list(range(1, len(numbers) + 1)), "no gap"
        assert counters.peek(key) == len(numbers)
