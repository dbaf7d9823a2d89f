"""Certificates: 100,000 numbered, stored and audited (issue 15; decisions 0041, 0042).

Budget: ``issue_certificates`` for 10 sessions of 10,000 final passing results each (two
levels, so two counter keys) in at most 60 s (≥ 1,700 a second): numbers from
``portal.counters``, frozen facts with the ID encrypted and indexed, random status-list
entries, ``record_certificates_issued`` and one audit entry. Printed beside a bare bulk insert
of the same rows in the same run; checked: 0 duplicate numbers, 0 gaps per key.
"""

from __future__ import annotations

import time

from bench.timing import Result

SESSIONS = 10
PER_SESSION = 10_000


def run() -> list[Result]:
    from django.db import transaction

    from certificates.models import Certificate
    from certificates.services import issue_certificates
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
    start = time.perf_counter()
    batch = issue_certificates(world.members["admin"], sessions)
    issue_ms = (time.perf_counter() - start) * 1000
    assert batch.done == total, batch.done

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
    ok = duplicates == 0 and gaps == 0 and entries == 1
    return [
        Result("certificates 100,000: issue (numbered, stored, audited)", [issue_ms], 60_000),
        Result(
            "certificates 100,000: duplicates + gaps + extra audit entries (count as ms)",
            [duplicates + gaps + abs(entries - 1)],
            0,
        ),
    ] + ([] if ok else [Result("certificates: checks failed", [1], 0)])
