"""Certificates: 100,000 numbered, stored and audited (issue 15; decisions 0041, 0042).

Budget: ``issue_certificates`` for 10 sessions of 10,000 final passing results each (two
levels, so two counter keys) in at most 60 s (≥ 1,700 a second): numbers from
``portal.counters``, frozen facts with the ID encrypted and indexed, random status-list
entries, ``record_certificates_issued`` and one audit entry. Printed beside a bare bulk insert
of the same rows in the same run; checked: 0 duplicate numbers, 0 gaps per key.

The credentials are signed after the issuing transaction commits (``sign_batch_credentials``
through ``portal.jobs.background.enqueue``, decision 0044). ``make bench`` runs tasks eagerly
(test settings), which used to put the signing of all 100,000 credentials inside the timed
call (133 s measured). The bench now holds the batch's tasks back while it times
``issue_certificates`` (its ``enqueue`` records them on commit instead of running them) and
then runs them itself, timed apart: the issuing transaction against its 60 s budget, the
signing against issue 16's ≥ 1,000 credentials a second (100 s for 100,000).
"""

from __future__ import annotations

import time

from bench.timing import Result

SESSIONS = 10
PER_SESSION = 10_000


def run() -> list[Result]:
    from django.db import transaction

    from certificates.models import Certificate
    from certificates.services import issuance, issue_certificates
    from portal import codes
    from portal.models import AuditEntry
    from tests.certificates.builders import add_results, final_session
    from tests.portal.builders import seed_world, world_view

    world = world_view(seed_world())
    start = time.perf_counter()
    sessions = [
        final_session(world, 0, failed=0, level="4" if i % 2 else "3", capacity=PER_SESSION)
        for i in range(SESSIONS)
    ]
    for session in sessions:
        add_results(world, session, PER_SESSION)
    total = SESSIONS * PER_SESSION
    print(f"  set-up: {total} final passing results in {time.perf_counter() - start:.0f} s")

    audits = AuditEntry.objects.filter(action="certificates.batch.issue").count()
    # Hold the on-commit tasks back (a worker runs them in production, never this call).
    held: list = []
    real_enqueue = issuance.enqueue
    issuance.enqueue = lambda task, *args, **kwargs: transaction.on_commit(
        lambda: held.append((task, args, kwargs))
    )
    try:
        start = time.perf_counter()
        batch = issue_certificates(world.members["admin"], sessions)
        issue_ms = (time.perf_counter() - start) * 1000
    finally:
        issuance.enqueue = real_enqueue
    assert batch.done == total, batch.done
    start = time.perf_counter()
    for task, args, kwargs in held:  # sign_batch_credentials: its chunk tasks run eagerly
        task.apply(args=args, kwargs=kwargs).get()
    sign_ms = (time.perf_counter() - start) * 1000
    unsigned = Certificate.objects.filter(batch=batch, credential__isnull=True).count()

    numbers = list(Certificate.objects.values_list("number", flat=True))
    by_key: dict[str, list[int]] = {}
    for number in numbers:
        parsed = codes.parse_certificate_number(number)
        by_key.setdefault(number[:16], []).append(int(parsed.sequence))
    duplicates = len(numbers) - len(set(numbers))
    gaps = sum(len(set(range(1, max(seq) + 1)) - set(seq)) for seq in by_key.values())
    entries = AuditEntry.objects.filter(action="certificates.batch.issue").count() - audits

    # A bare bulk insert of the same rows (the same column values, already built: no query
    # of results, no numbering, no checks, no status list, no audit), with the same COPY,
    # rolled back.
    from django.db import connection

    from certificates.services.issuance import COLUMNS, _copy

    with transaction.atomic():
        with connection.cursor() as cursor:
            cols = ", ".join(COLUMNS)
            cursor.execute(f"SELECT {cols} FROM certificates_certificate")  # noqa: S608
            rows = cursor.fetchall()
            cursor.execute("DELETE FROM certificates_certificate")
        start = time.perf_counter()
        _copy(rows, None)
        bare_ms = (time.perf_counter() - start) * 1000
        transaction.set_rollback(True)

    rate = total / (issue_ms / 1000)
    print(
        f"  bare bulk insert {bare_ms:7.0f} ms · issue_certificates {issue_ms:7.0f} ms "
        f"({rate:,.0f} a second) · keys {len(by_key)} · duplicates {duplicates} · "
        f"gaps {gaps} · audit entries {entries}"
    )
    print(
        f"  signing the batch's credentials after the commit (tasks held back, run apart): "
        f"{sign_ms:7.0f} ms ({total / (sign_ms / 1000):,.0f} a second) · "
        f"{len(held)} task(s) · unsigned left {unsigned}"
    )
    ok = duplicates == 0 and gaps == 0 and entries == 1 and unsigned == 0
    return [
        Result("certificates 100,000: issue (numbered, stored, audited)", [issue_ms], 60_000),
        Result("certificates 100,000: sign the credentials (after commit)", [sign_ms], 100_000),
        Result(
            "certificates 100,000: duplicates + gaps + extra audit entries (count as ms)",
            [duplicates + gaps + abs(entries - 1)],
            0,
        ),
    ] + ([] if ok else [Result("certificates: checks failed", [1], 0)])
