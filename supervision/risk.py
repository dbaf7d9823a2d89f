"""Risk tiers of the inspection-object pool (Art 25: the proportion is raised for agencies
with complaints, anomalies or violations).

A *fact* is a named function over agency ids that says how often each agency shows it::

    register_fact("revocations", fn, weight=2, label=_("certificates revoked for cause"))
    # fn(agency_ids: list[int]) -> Mapping[int, int]   (missing ids count 0)

This app registers revocations, late results, late data submission and earlier findings;
supervision part 2 registers upheld complaints and the credit grade. An agency's points are
the weighted sum of its facts; ``tier_of(points)`` maps them to a tier (1 highest risk). The
tiers are computed when a plan's pools are sealed, so the snapshot holds them as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from supervision.models.pools import RiskTier

FactFn = Callable[[list[int]], Mapping[int, int]]


@dataclass(frozen=True)
class Fact:
    name: str
    fn: FactFn
    weight: int
    label: str


_FACTS: dict[str, Fact] = {}

#: Points from which an agency is in a tier (highest first); below the last: LOW.
THRESHOLDS: tuple[tuple[int, RiskTier], ...] = (
    (6, RiskTier.HIGH),
    (3, RiskTier.RAISED),
    (1, RiskTier.NORMAL),
)


def register_fact(name: str, fn: FactFn, *, weight: int = 1, label: str = "") -> None:
    """Register (or replace, on reload) a risk fact."""
    if weight < 0:
        raise ValueError("a risk fact's weight is not negative")
    _FACTS[name] = Fact(name, fn, weight, str(label or name))


def registered_facts() -> dict[str, Fact]:
    return dict(_FACTS)


def facts_of(agency_ids: list[int]) -> dict[int, dict[str, int]]:
    """Every registered fact's count per agency (only the non-zero ones)."""
    out: dict[int, dict[str, int]] = {pk: {} for pk in agency_ids}
    for fact in _FACTS.values():
        for pk, count in fact.fn(agency_ids).items():
            if count and pk in out:
                out[pk][fact.name] = int(count)
    return out


def points(counts: Mapping[str, int]) -> int:
    return sum(_FACTS[name].weight * count for name, count in counts.items() if name in _FACTS)


def tier_of(score: int) -> RiskTier:
    for threshold, tier in THRESHOLDS:
        if score >= threshold:
            return tier
    return RiskTier.LOW


def tiers(agency_ids: list[int]) -> dict[int, RiskTier]:
    """The computed tier of each agency (before any official's adjustment)."""
    return {pk: tier_of(points(counts)) for pk, counts in facts_of(agency_ids).items()}
