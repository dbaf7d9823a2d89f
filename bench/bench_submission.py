"""Data submission: one batch of 100,000 certificate events (issue 18; decision 0052).

Budget: ``submit_batch`` for an agency with 100,000 newly issued certificates in at most
60 s: the head lock taken, the events claimed in one INSERT … SELECT, both files built from a
server-side cursor with the full ID numbers decrypted, encrypted (AES-GCM) and stored, the
manifest and one audit entry. Printed: the claim, the build and the whole transaction (the
time the agency's head lock is held); checked: every event in the batch once, the files'
SHA-256 as in the manifest.
"""

from __future__ import annotations

import hashlib
import time

from bench.timing import Result

SESSIONS = 10
PER_SESSION = 10_000


def run() -> list[Result]:
    from certificates.models import SubmissionItem
    from certificates.services import issue_certificates
    from certificates.services import submission as sub
    from tests.certificates.builders import add_results, final_session
    from tests.portal.builders import seed_world, world_view

    world = world_view(seed_world())
    sessions = [
        final_session(world, 0, failed=0, level="4" if i % 2 else "3", capacity=PER_SESSION)
        for i in range(SESSIONS)
    ]
    for session in sessions:
        add_results(world, session, PER_SESSION)
    from unittest import mock

    from certificates import tasks

    # The credentials' signing after the commit is bench_vc's figure, not this one's.
    with mock.patch.object(tasks, "sign_batch_credentials", mock.Mock()):
        issue_certificates(world.members["admin"], sessions)
    total = SESSIONS * PER_SESSION

    marks: dict[str, float] = {}
    sub.PROGRESS_EVERY = 1000

    def progress(rows: int) -> None:
        marks.setdefault("first_rows", time.perf_counter())

    start = time.perf_counter()
    batch = sub.submit_batch(world.gd_agency, progress=progress)
    whole_ms = (time.perf_counter() - start) * 1000
    claim_ms = (marks["first_rows"] - start) * 1000
    pairs = SubmissionItem.objects.filter(batch=batch).count()
    files = list(batch.files.all())
    sha_ok = all(hashlib.sha256(sub.decrypt_file(f)).hexdigest() == f.sha256 for f in files)
    sizes = " · ".join(f"{f.kind} {f.size / 1e6:.1f} MB" for f in files)
    print(
        f"  claim + first 1,000 rows {claim_ms:6.0f} ms · whole transaction (head lock held) "
        f"{whole_ms:6.0f} ms ({total / (whole_ms / 1000):,.0f} events a second) · {sizes}"
    )
    ok = pairs == total and batch.new_count == total and sha_ok
    return [
        Result("submission 100,000 events: one batch (claimed, built, stored)", [whole_ms], 60_000),
    ] + ([] if ok else [Result("submission: checks failed", [1], 0)])
