"""Small timing helpers for the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    samples_ms: list[float]
    budget_ms: float

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]

    @property
    def ok(self) -> bool:
        return self.p95 <= self.budget_ms

    def line(self) -> str:
        flag = "ok" if self.ok else "OVER BUDGET"
        return (
            f"  {self.name:<48} n={len(self.samples_ms):<4} p50={self.p50:6.1f} ms  "
            f"p95={self.p95:6.1f} ms  max={max(self.samples_ms):6.1f} ms  "
            f"(budget p95 {self.budget_ms:.0f} ms) {flag}"
        )


def measure(
    name: str, func: Callable[[], object], *, repeat: int, budget_ms: float, warmup: int = 3
) -> Result:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return Result(name, samples, budget_ms)
