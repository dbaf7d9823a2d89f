"""Data submission on real PostgreSQL from several processes (Art 21; decision 0052): four
processes submitting for one agency at once put no event in two batches and leave no gap in
the batch numbers; a worker killed with SIGKILL while building the files leaves no batch, no
claimed event and the counter as it was, and a re-run completes the batch."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from django.db import connections

from certificates.models import Certificate, SubmissionBatch, SubmissionItem
from certificates.services import issue_certificates
from certificates.services import submission as sub
from portal import counters
from tests.certificates.builders import final_session

PROCESSES = 4
ROUNDS = 3

pytestmark = [pytest.mark.fork, pytest.mark.django_db(transaction=True)]


def _postgres_only():
    if connections["default"].vendor != "postgresql":
        pytest.skip("the locking under test is PostgreSQL's")


def _wait_for_dead_transactions() -> None:
    """PostgreSQL ends a killed client's transaction: wait until its locks are gone."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%'"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.2)


def _submit(agency_id: int, session_id: int, user_id: int, out) -> None:
    from portal.models import Agency, User

    try:
        agency = Agency.objects.get(pk=agency_id)
        made = []
        for round_ in range(ROUNDS):
            if round_ == 1:  # issuing goes on while the others submit
                issue_certificates(User.objects.get(pk=user_id), [session_id])
            batch = sub.submit_batch(agency)
            made.append(batch.sequence if batch else None)
        out.put(("ok", made))
    except Exception as exc:  # report, never hang the parent
        out.put(("error", repr(exc)))
    finally:
        connections.close_all()


def test_four_processes_one_agency_no_duplicate_event_no_gap(world):
    _postgres_only()
    admin = world.members["admin"]
    issue_certificates(admin, [final_session(world, 40, failed=0)])
    later = [final_session(world, 10, failed=0) for _ in range(PROCESSES)]
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.SimpleQueue()
    procs = [
        ctx.Process(target=_submit, args=(world.gd_agency.pk, s.pk, admin.pk, out)) for s in later
    ]
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    assert all(r[0] == "ok" for r in results), results
    sub.submit_batch(world.gd_agency)  # whatever was issued after the last round
    sequences = sorted(
        SubmissionBatch.objects.filter(agency=world.gd_agency).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, len(sequences) + 1)), "no gap"
    assert counters.peek(sub.head_key(world.gd_agency)) == len(sequences)
    pairs = list(SubmissionItem.objects.values_list("certificate_id", "event", "serial"))
    assert len(pairs) == len(set(pairs)), "no event twice"
    assert len(pairs) == Certificate.objects.count() == 40 + PROCESSES * 10, "none missed"
    assert sub.pending_count(world.gd_agency) == 0


def _submit_then_hang(agency_id: int, out) -> None:
    from portal.models import Agency

    sub.PROGRESS_EVERY = 10

    def progress(rows: int) -> None:
        out.put(("inside", rows))
        time.sleep(600)  # killed here, while building the files, inside the transaction

    try:
        sub.submit_batch(Agency.objects.get(pk=agency_id), progress=progress)
        out.put(("finished", 0))
    finally:
        connections.close_all()


def test_a_killed_worker_leaves_nothing_and_a_rerun_completes(world):
    _postgres_only()
    admin = world.members["admin"]
    issue_certificates(admin, [final_session(world, 3, failed=0)])
    first = sub.submit_batch(world.gd_agency)
    issue_certificates(admin, [final_session(world, 50, failed=0)])
    key = sub.head_key(world.gd_agency)
    before = counters.peek(key)
    assert before == first.sequence == 1
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.SimpleQueue()
    proc = ctx.Process(target=_submit_then_hang, args=(world.gd_agency.pk, out))
    proc.start()
    assert out.get() == ("inside", 10)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    _wait_for_dead_transactions()
    assert SubmissionBatch.objects.count() == 1, "only the first batch"
    assert SubmissionItem.objects.count() == 3, "no event claimed by the killed worker"
    assert counters.peek(key) == before, "the counter is unchanged"
    assert sub.pending_count(world.gd_agency) == 50
    batch = sub.submit_batch(world.gd_agency)
    assert batch.sequence == 2 and batch.new_count == 50
    assert sub.pending_count(world.gd_agency) == 0
