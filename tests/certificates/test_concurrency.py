"""Issuing on real PostgreSQL from several processes (Art 20; decision 0041): four processes
issuing for the same site, year and level at once get no duplicate and no gap; a worker
killed with SIGKILL mid-batch leaves nothing (no certificate, no batch, the counter as it was)
and a re-run completes the batch."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from django.db import connections

from certificates.models import Certificate, IssuanceBatch
from certificates.services import issue_certificates, numbering
from portal import clock, codes, counters
from tests.certificates.builders import final_session

PROCESSES = 4
PER_SESSION = 60

pytestmark = [pytest.mark.fork, pytest.mark.django_db(transaction=True)]


def _postgres_only():
    if connections["default"].vendor != "postgresql":
        pytest.skip("the locking under test is PostgreSQL's")


def _key(world) -> str:
    return numbering.counter_key(numbering.scope_for(world.gd_site, clock.today().year, "4"))


def _issue(session_id: int, user_id: int, out) -> None:
    from portal.models import User

    try:
        batch = issue_certificates(User.objects.get(pk=user_id), [session_id])
        out.put(("ok", batch.done))
    except Exception as exc:  # report, never hang the parent
        out.put(("error", repr(exc)))
    finally:
        connections.close_all()


def test_four_processes_same_key_no_duplicate_no_gap(world):
    _postgres_only()
    sessions = [final_session(world, PER_SESSION, failed=0) for _ in range(PROCESSES)]
    admin = world.members["admin"].pk
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.SimpleQueue()
    procs = [ctx.Process(target=_issue, args=(s.pk, admin, out)) for s in sessions]
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    assert results == [("ok", PER_SESSION)] * PROCESSES, results
    numbers = list(Certificate.objects.values_list("number", flat=True))
    sequences = sorted(int(codes.parse_certificate_number(n).sequence) for n in numbers)
    assert len(numbers) == len(set(numbers)) == PROCESSES * PER_SESSION
    assert sequences == list(range(1, PROCESSES * PER_SESSION + 1)), "no gap"
    assert counters.peek(_key(world)) == PROCESSES * PER_SESSION
    # Each batch took one contiguous range of its key.
    for batch in IssuanceBatch.objects.all():
        seq = sorted(int(n[-6:]) for n in batch.certificates.values_list("number", flat=True))
        assert seq == list(range(seq[0], seq[0] + PER_SESSION))


def _issue_then_hang(session_id: int, user_id: int, out) -> None:
    from portal.models import User

    def progress(done: int, total: int) -> None:
        if done < total:
            out.put(("inside", done))
            time.sleep(600)  # killed here, mid-batch, inside the transaction

    try:
        issue_certificates(User.objects.get(pk=user_id), [session_id], progress=progress)
        out.put(("finished", 0))
    finally:
        connections.close_all()


def test_a_killed_worker_leaves_nothing_and_a_rerun_completes(world, settings):
    _postgres_only()
    settings.CERTIFICATE_ISSUE_CHUNK = 10
    session = final_session(world, 50, failed=0)
    earlier = final_session(world, 3, failed=0)
    issue_certificates(world.members["admin"], [earlier])
    key = _key(world)
    before = counters.peek(key)
    assert before == 3
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.SimpleQueue()
    proc = ctx.Process(target=_issue_then_hang, args=(session.pk, world.members["admin"].pk, out))
    proc.start()
    assert out.get() == ("inside", 10)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    # PostgreSQL ends the dead client's transaction: wait until its locks are gone.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%'"
            )
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.2)
    assert Certificate.objects.filter(session=session).count() == 0
    assert IssuanceBatch.objects.count() == 1, "only the earlier batch"
    assert counters.peek(key) == before, "the counter is unchanged"
    batch = issue_certificates(world.members["admin"], [session])
    assert batch.done == 50
    seq = sorted(
        int(n[-6:])
        for n in Certificate.objects.filter(session=session).values_list("number", flat=True)
    )
    assert seq == list(range(before + 1, before + 51)), "the re-run continues without a gap"
