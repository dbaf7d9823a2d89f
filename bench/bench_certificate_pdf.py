"""Certificate PDF: render_certificate beside bare WeasyPrint on the same HTML; worker RSS.

Budgets (issue 15): the per-certificate cost of ``certificates.pdf.render_certificate`` is at
most 1.1× that of bare WeasyPrint rendering the same HTML (measured side by side, interleaved,
in one run); a worker process's RSS is at most 300 MB after 2,000 renders (measured in a
subprocess, ``BENCH_PDF_RENDERS`` renders, 2,000 unless told).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the worker subprocess
    sys.path.insert(0, str(ROOT))

from bench.timing import Result  # noqa: E402

RENDERS = int(os.environ.get("BENCH_PDF_RENDERS", "2000"))
SIDE_BY_SIDE = int(os.environ.get("BENCH_PDF_SAMPLES", "30"))


def sample():
    """An unsaved certificate with a photo and a seal in MEDIA_ROOT (no database needed)."""
    from django.conf import settings

    from certificates.demo_pdf import seal_png
    from certificates.models import AgencySeal, Certificate
    from portal.models import Document
    from tests.certificates.pdf_helpers import photo_png

    folder = Path(settings.MEDIA_ROOT) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photo.png").write_bytes(photo_png())
    (folder / "seal.png").write_bytes(seal_png("广东省演示职业技能评价中心"))
    certificate = Certificate(
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
        agency_id=0,
        issued_on=dt.date(2026, 12, 3),
        basis={"demo": True},
    )
    certificate.photo = Document(file="bench/photo.png")
    seal = AgencySeal(document=Document(file="bench/seal.png", sha256="bench"))
    return certificate, seal


def _bare(html: str) -> bytes:
    from weasyprint import HTML

    from portal import pdf

    return HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf._weasy_fetcher()).write_pdf()


def side_by_side() -> tuple[list[float], list[float]]:
    from certificates import pdf

    certificate, seal = sample()
    html = pdf.certificate_html(certificate, seal=seal)
    for _ in range(3):
        _bare(html)
        pdf.render_certificate(certificate, seal=seal)
    ours, bare = [], []
    for _ in range(SIDE_BY_SIDE):
        start = time.perf_counter()
        pdf.render_certificate(certificate, seal=seal)
        ours.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        _bare(html)
        bare.append((time.perf_counter() - start) * 1000)
    return ours, bare


def worker(renders: int) -> None:
    """In the subprocess: render ``renders`` certificates, print the RSS in MB after them, the
    peak, and the RSS after the first tenth (flat memory: the two RSS figures about equal)."""
    import resource

    from certificates import pdf

    def rss_mb() -> float:
        with open("/proc/self/status") as status:
            kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        return kb / 1024

    certificate, seal = sample()
    early = 0.0
    for i in range(renders):
        certificate.number = f"S000044000101264{i % 1000000:06d}"
        pdf.render_certificate(certificate, seal=seal)
        if i + 1 == max(renders // 10, 1):
            early = rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"RSS {rss_mb():.1f} {peak / 1024:.1f} {early:.1f}")


def run() -> list[Result]:
    ours, bare = side_by_side()
    ratio = statistics.median(ours) / statistics.median(bare)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), "worker", str(RENDERS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        check=False,
    )
    seconds = time.perf_counter() - start
    line = next((x for x in done.stdout.splitlines() if x.startswith("RSS ")), "")
    rss, peak, early = (float(x) for x in line.split()[1:4]) if line else (float("inf"),) * 3
    print(
        f"  render_certificate p50 {statistics.median(ours):.1f} ms, bare WeasyPrint p50 "
        f"{statistics.median(bare):.1f} ms: ratio {ratio:.3f} (budget 1.10); worker after "
        f"{RENDERS} renders: RSS {rss:.0f} MB (after {max(RENDERS // 10, 1)}: {early:.0f} MB; "
        f"peak {peak:.0f} MB, budget 300), "
        f"{seconds / max(RENDERS, 1) * 1000:.0f} ms a render"
    )
    if not line:
        print(done.stderr[-2000:])
    return [
        # Absolute times depend on the machine's load; the budget is the ratio (issue 15).
        Result("certificate PDF: render_certificate", ours, float("inf")),
        Result("certificate PDF: bare WeasyPrint, same HTML", bare, float("inf")),
        Result("certificate PDF: ratio ours/bare (×1000)", [ratio * 1000], 1100),
        Result(f"certificate PDF: worker RSS MB after {RENDERS} renders", [rss], 300),
    ]


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    os.environ.setdefault("DJANGO_ENV", "test")
    import django

    django.setup()
    worker(int(sys.argv[2]))
