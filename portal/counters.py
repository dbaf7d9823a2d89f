"""Gap-free numbers: one counter row per key, advanced in the caller's transaction.

Filing numbers, agency codes, site serials, letter numbers and certificate numbers
must be consecutive and never reused (decision 0017; pretix numbers invoices the same
way). Locking the existing numbered rows and taking their maximum races: two first
allocations of a year both see no row and collide on the unique constraint. Here one
``Counter`` row per key is advanced by a single statement
``UPDATE … SET last = last + n WHERE key = … AND last + n <= maximum RETURNING last``:
the row lock it takes is held until the caller's transaction ends, so a concurrent
allocation of the same key waits and gets the next numbers, and a rollback returns
its numbers to the counter (no gap). A result past ``maximum`` is refused, never
wrapped, and changes nothing even when the caller catches the refusal.

Existing numbering needs no data change: pass ``start_from``, a callable returning
the highest number already used, and the first allocation of a key creates its row
from it (``INSERT … ON CONFLICT DO NOTHING``, so two first allocations do not race).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.transaction import TransactionManagementError
from django.utils.translation import gettext

from portal.models.counters import Counter

__all__ = [
    "Counter",
    "CounterExhausted",
    "allocate",
    "allocate_many",
    "peek",
    "seed",
]

MAX_KEY = 100


class CounterExhausted(ValidationError):
    """The numbers of a key would pass their maximum; nothing was allocated."""


StartFrom = Callable[[], int]


def _check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY:
        raise ValueError(f"a counter key is 1 to {MAX_KEY} characters, got {key!r}")


def _refuse(key: str, n: int, maximum: int) -> CounterExhausted:
    return CounterExhausted(
        gettext(
            "No more numbers can be allocated for %(key)s: %(n)s more would pass the highest "
            "number allowed, %(maximum)s."
        )
        % {"key": key, "n": n, "maximum": maximum},
        code="exhausted",
        params={"key": key, "n": n, "maximum": maximum},
    )


def _advance(cursor, key: str, n: int, maximum: int) -> int | None:
    """One statement: take the row lock, check the maximum, advance; None if no row moved."""
    quote = cursor.db.ops.quote_name
    table, col_key, col_last = quote(Counter._meta.db_table), quote("key"), quote("last")
    # Only quoted identifiers from the model's own meta are interpolated; values are parameters.
    cursor.execute(
        f"UPDATE {table} SET {col_last} = {col_last} + %s "  # noqa: S608
        f"WHERE {col_key} = %s AND {col_last} + %s <= %s RETURNING {col_last}",
        [n, key, n, maximum],
    )
    row = cursor.fetchone()
    return None if row is None else int(row[0])


def _create_missing(using: str, key: str, start_from: StartFrom | None) -> None:
    """Create the key's row from the highest number already used, unless it exists."""
    if Counter.objects.using(using).filter(key=key).exists():
        return
    start = int(start_from()) if start_from is not None else 0
    if start < 0:
        raise ValueError(f"start_from() for {key!r} returned {start}, a negative number")
    # ON CONFLICT DO NOTHING: a concurrent first allocation waits here, then finds the row.
    Counter.objects.using(using).bulk_create([Counter(key=key, last=start)], ignore_conflicts=True)


def _allocate(using: str, key: str, n: int, maximum: int, start_from: StartFrom | None) -> range:
    _check_key(key)
    if n < 1:
        raise ValueError(f"allocate at least one number, not {n}")
    with connections[using].cursor() as cursor:
        last = _advance(cursor, key, n, maximum)
        if last is None:
            _create_missing(using, key, start_from)
            last = _advance(cursor, key, n, maximum)
    if last is None:
        raise _refuse(key, n, maximum)
    return range(last - n + 1, last + 1)


def _require_atomic(using: str) -> None:
    if not connections[using].in_atomic_block:
        raise TransactionManagementError(
            "portal.counters must run inside the caller's transaction.atomic(): the numbers "
            "are only safe if they commit or roll back with the rows that use them"
        )


def allocate(key: str, n: int = 1, *, maximum: int, start_from: StartFrom | None = None) -> range:
    """The next ``n`` consecutive numbers of ``key`` (decision 0017: Art 8 filing numbers,
    Art 15 agency codes and site serials, Art 20 certificate numbers).

    Runs in the caller's transaction (raises ``TransactionManagementError`` outside
    one): the key's row stays locked until it commits, and a rollback gives the
    numbers back. Raises ``CounterExhausted`` (a ``ValidationError``) if the last
    number would pass ``maximum``; the counter is then unchanged. ``start_from()``
    is called only when the key has no row yet and returns the highest number the
    existing data already uses (0 if none).
    """
    using = router.db_for_write(Counter)
    _require_atomic(using)
    return _allocate(using, key, n, maximum, start_from)


def allocate_many(
    requests: Mapping[str, int],
    *,
    maximum: int | Mapping[str, int],
    start_from: Mapping[str, StartFrom] | None = None,
) -> dict[str, range]:
    """Numbers of several keys at once, locked in sorted key order so that two callers
    can never wait for each other (no deadlock). ``maximum`` is one bound for every
    key or a bound per key. All or nothing: if one key is refused, none is advanced,
    even if the caller catches the ``CounterExhausted``.
    """
    using = router.db_for_write(Counter)
    _require_atomic(using)
    start_from = start_from or {}
    result: dict[str, range] = {}
    with transaction.atomic(using=using):  # a savepoint: a refusal undoes the earlier keys
        for key in sorted(requests):
            bound = maximum if isinstance(maximum, int) else maximum[key]
            result[key] = _allocate(using, key, requests[key], bound, start_from.get(key))
    return {key: result[key] for key in requests}


def peek(key: str, *, start_from: StartFrom | None = None) -> int:
    """The last number handed out for ``key`` (what ``start_from()`` says if it has no row)."""
    _check_key(key)
    last = Counter.objects.filter(key=key).values_list("last", flat=True).first()
    if last is not None:
        return last
    return int(start_from()) if start_from is not None else 0


def seed(key: str, last: int) -> int:
    """Make sure the counter of ``key`` is at least ``last`` (for migrating existing
    numbering in a command or data migration; it never moves a counter back, which would
    hand out a number twice). Returns the counter's value afterwards."""
    _check_key(key)
    if last < 0:
        raise ValueError(f"a counter cannot start below 0, got {last}")
    using = router.db_for_write(Counter)
    with transaction.atomic(using=using):
        Counter.objects.using(using).bulk_create(
            [Counter(key=key, last=last)], ignore_conflicts=True
        )
        Counter.objects.using(using).filter(key=key, last__lt=last).update(last=last)
        return Counter.objects.using(using).get(key=key).last
