"""PAdES: signing the electronic certificate PDF, beside rendering the same PDF (issue 16).

Budget (issue 16): the PAdES B-B signature (``certificates.pades.sign_certificate_pdf``: the VC
attached as ``credential.json``, then ECDSA P-256 over SHA-256) takes at most 120 ms per PDF
(p95). The rendering it follows (``certificates.pdf.render_certificate``) is measured in the same
run, interleaved, and printed beside it; verifying the signed PDF (``verify_pdf``) is shown too.
"""

from __future__ import annotations

import os
import statistics
import time

from bench.bench_certificate_pdf import sample
from bench.timing import Result

SAMPLES = int(os.environ.get("BENCH_PADES_SAMPLES", "30"))


def credential(certificate) -> dict:
    """The VC the portal attaches (``certificates.vc`` when it can sign an unsaved certificate),
    else a stand-in of the same shape and size."""
    try:
        from certificates import vc

        return vc.credential_for(certificate)
    except Exception:  # noqa: BLE001 - the stand-in keeps the figure comparable
        return {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {
                "id": "did:web:example.org",
                "type": ["Profile"],
                "name": "职业技能等级认定服务平台",
            },
            "validFrom": "2026-12-03T00:00:00Z",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "name": "王演示",
                "achievement": {
                    "type": ["Achievement"],
                    "achievementType": "Certification",
                    "name": "电工 三级/高级工",
                    "description": "职业技能等级证书 " + certificate.number,
                    "alignment": [{"type": ["Alignment"], "targetCode": "6-31-01-03"}],
                },
            },
            "credentialStatus": {"type": "BitstringStatusListEntry", "statusListIndex": "42"},
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-jcs-2022",
                "proofValue": "z" + "5" * 86,
            },
        }


def run() -> list[Result]:
    from certificates import pades, pdf

    certificate, seal = sample()
    attached = credential(certificate)
    for _ in range(3):
        pades.verify_pdf(
            pades.sign_certificate_pdf(pdf.render_certificate(certificate, seal=seal), attached)
        )
    rendering, signing, verifying, sizes = [], [], [], []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        rendered = pdf.render_certificate(certificate, seal=seal)
        rendering.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        signed = pades.sign_certificate_pdf(rendered, attached)
        signing.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert pades.verify_pdf(signed).ok
        verifying.append((time.perf_counter() - start) * 1000)
        sizes.append(len(signed) - len(rendered))
    render_p50, sign_p50 = statistics.median(rendering), statistics.median(signing)
    print(
        f"  same PDF, same run: render p50 {render_p50:.1f} ms, PAdES sign "
        f"p50 {sign_p50:.1f} ms ({sign_p50 / render_p50:.0%}"
        f" of the rendering), verify p50 {statistics.median(verifying):.1f} ms; the signature "
        f"and attachment add {statistics.median(sizes) / 1024:.1f} KiB"
    )
    return [
        Result("PAdES: render_certificate (the rendering it follows)", rendering, float("inf")),
        Result("PAdES: sign_certificate_pdf (VC attached)", signing, 120),
        Result("PAdES: verify_pdf (offline, portal CA)", verifying, float("inf")),
    ]
