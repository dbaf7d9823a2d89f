"""Verifiable credentials: signing and verifying a certificate VC beside bare Ed25519.

Budgets (issue 16): signing a certificate's credential (building it, RFC 8785 JCS, SHA-256,
Ed25519, multibase) and verifying one (key look-up among the published keys, JCS, SHA-256,
Ed25519) each run at ≥ 1,000 a second, i.e. ≤ 1 ms per credential at p95 of chunks of
``BENCH_VC_CHUNK`` (100). Bare Ed25519 signing and verifying the same 64 bytes (the two
hashes) is shown beside, so the cost of the credential machinery itself is visible.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from bench.timing import Result

CHUNK = int(os.environ.get("BENCH_VC_CHUNK", "100"))
CHUNKS = int(os.environ.get("BENCH_VC_CHUNKS", "30"))


def sample():
    """An unsaved certificate (no database needed)."""
    from certificates.models import Certificate

    return Certificate(
        pk=1,
        number="S000044000101264000001",
        token="bench-token-0123456789abcdefghijklmnopqrstu",
        holder_name="王演示",
        id_type="resident_id",
        id_number="11010519491231002X",
        occupation_code="6-31-01-03",
        occupation_name="电工",
        work_type_name="--",
        level_code="3",
        level_display="三级/高级工",
        agency_name="广东省演示职业技能评价中心",
        agency_id=1,
        issued_on=dt.date(2026, 12, 3),
        status_list_id=1,
        status_index=73_421,
    )


def _per_op(name: str, func, budget_ms: float) -> Result:
    for _ in range(CHUNK):  # warm-up
        func()
    samples = []
    for _ in range(CHUNKS):
        start = time.perf_counter()
        for _ in range(CHUNK):
            func()
        samples.append((time.perf_counter() - start) * 1000 / CHUNK)
    result = Result(name, samples, budget_ms)
    result.name = f"{name} ({1000 / result.p50:,.0f}/s)"
    return result


def run() -> list[Result]:
    from certificates import keys, vc

    certificate = sample()
    public, private = keys.signing_key()
    signed = vc.add_proof(vc.unsigned_credential(certificate))
    assert vc.verify_credential(signed).ok
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    options = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    data = vc._hash_data(unsecured, options)
    signature = private.sign(data)
    key = public.key

    return [
        _per_op(
            "VC sign (build + JCS + Ed25519)",
            lambda: vc.add_proof(vc.unsigned_credential(certificate)),
            1.0,
        ),
        _per_op("VC sign (JCS + Ed25519, built)", lambda: vc.add_proof(unsecured), 1.0),
        _per_op("bare Ed25519 sign, same 64 bytes", lambda: private.sign(data), 1.0),
        _per_op("VC verify (keys + JCS + Ed25519)", lambda: vc.verify_credential(signed), 1.0),
        _per_op("bare Ed25519 verify, same 64 bytes", lambda: key.verify(signature, data), 1.0),
    ]
