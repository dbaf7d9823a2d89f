"""The statistics under concurrency (decision 0053): four processes issue batches into the
same key at once, each refreshing the key once it committed, while two more keep
refreshing it; the row ends equal to the certificates (no refresh with an older snapshot
overwrote a newer one)."""

from __future__ import annotations

import multiprocessing

import pytest
from django.db import connections

from certificates.models import Certificate, CertificateStatistic
from certificates.services import issue_certificates
from certificates.services import statistics as refresh
from portal import clock
from tests.certificates.builders import final_session

PROCESSES = 4
PER_SESSION = 25

pytestmark = [pytest.mark.fork, pytest.mark.django_db(transaction=True)]


def _issue(session_id: int, user_id: int, out) -> None:
    from portal.models import User

    try:
        batch = issue_certificates(User.objects.get(pk=user_id), [session_id])
        refresh.refresh_batch(batch.pk)  # what the on-commit task does
        out.put(("ok", batch.done))
    except Exception as exc:  # report, never hang the parent
        out.put(("error", repr(exc)))
    finally:
        connections.close_all()


def _refresh_loop(key, rounds: int, out) -> None:
    try:
        for _ in range(rounds):
            refresh.refresh_keys([key])
        out.put(("ok", rounds))
    except Exception as exc:
        out.put(("error", repr(exc)))
    finally:
        connections.close_all()


def test_concurrent_issuing_and_refreshing_end_with_the_true_count(world):
    if connections["default"].vendor != "postgresql":
        pytest.skip("the locking under test is PostgreSQL's")
    sessions = [final_session(world, PER_SESSION, failed=0) for _ in range(PROCESSES)]
    key = refresh.Key(clock.today().replace(day=1), "440000", "6-31-01-03", "4", world.gd_agency.pk)
    admin = world.members["admin"].pk
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.SimpleQueue()
    procs = [ctx.Process(target=_issue, args=(s.pk, admin, out)) for s in sessions]
    procs += [ctx.Process(target=_refresh_loop, args=(key, 15, out)) for _ in range(2)]
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join(timeout=120)
    assert all(kind == "ok" for kind, _n in results), results
    row = CertificateStatistic.objects.get(
        month=key.month, province_id="440000", occupation_code="6-31-01-03", level_code="4"
    )
    assert row.issued == Certificate.objects.count() == PROCESSES * PER_SESSION
