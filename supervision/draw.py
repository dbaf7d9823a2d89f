"""The publicly verifiable draw of a spot-check plan (Art 25; decision 0055).

Pure functions over plain data, so that anyone can re-run a published draw with the
snapshot, the secret and the public numbers, and get the same list.

**Seal, then reveal.** When a plan is approved its pools are sealed as a snapshot: canonical
JSON (RFC 8785) whose SHA-256 is the *sealed digest*, published together with the SHA-256 of a
secret the system generated and the public randomness source and date, *before* the draw.
At the draw the public numbers are entered and

    seed = SHA-256(version ‖ 0x00 ‖ digest ‖ 0x00 ‖ secret ‖ 0x00 ‖ numbers)

where ``secret`` is 64 hex characters and ``SHA-256(secret)`` (of that text) is what was
published at sealing (``secret_digest_of``), and ``numbers`` is normalised
(``normalise_numbers``). Nobody can steer the result: the pools are fixed (digest) before
the numbers exist, the numbers are public and unknown in advance, and the secret (fixed by
its digest at sealing) only stops anyone from computing the draw before the system reveals
the secret.

**Selection (RFC 3797 style).** For each risk tier, lowest number (highest risk) first, the
tier's pool is sorted by object id; pick ``j`` (0, 1, …) takes the element at
``int(SHA-256(seed ‖ "|object|" ‖ tier ‖ "|" ‖ j)) mod len(remaining)`` out of what remains,
until the tier's quota is drawn.

**People.** For each drawn object in the order drawn, the people (sorted by pseudonymous id)
are drawn from the same seeded stream (``seed ‖ "|person|" ‖ object id ‖ "|" ‖ j``) without
replacement: a person who must avoid the object, or who already has their capacity in this
plan, stands aside and the next drawn takes the place, until ``per_object`` people are drawn.
``gaps()`` is strict: when it finds nothing, ``draw()`` succeeds whatever the seed.

``docs/verify_draw_standalone.py`` re-implements ``seed_of`` and ``draw`` with the standard
library only, for the public; a change here is a new ``ALGORITHM`` and a change there.

Snapshot (a dict; ``canonical()`` makes its bytes)::

    {"version": ALGORITHM, "plan": {...},
     "per_object": 2,
     "quotas": {"1": 3, "2": 1, "3": 2, "4": 0},
     "objects": [{"id": "agency:12", "tier": 1}, ...],          # sorted by id
     "people": [{"id": "p-3f2a…", "digest": "…", "capacity": 5,
                 "avoid": ["agency:12"]}, ...]}                # sorted by id

Result::

    {"objects": [{"id": "agency:12", "tier": 1, "people": ["p-…", "p-…"],
                  "stood_aside": ["p-…"]}, ...]}
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import rfc8785

ALGORITHM = "rfc3797-sha256/1"
TIERS = ("1", "2", "3", "4")


class DrawImpossible(ValueError):
    """The pools cannot serve the draw (too few people without a conflict, or capacity)."""


def canonical(value: Any) -> bytes:
    """RFC 8785 (JCS) bytes of ``value``."""
    return rfc8785.dumps(value)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seed_of(version: str, sealed_digest: str, secret: str, numbers: str) -> str:
    """``H(version ‖ digest ‖ secret ‖ numbers)`` with NUL separators (none of the parts may
    hold a NUL), as lowercase hex. ``numbers`` is normalised first and must hold a digit."""
    parts = (version, sealed_digest, secret, normalise_numbers(numbers))
    if not parts[3]:
        raise ValueError("no public numbers")
    if any("\x00" in part for part in parts):
        raise ValueError("a part of the seed holds a NUL")
    return digest("\x00".join(parts).encode())


def secret_digest_of(secret: str) -> str:
    """What is published at sealing for the secret: SHA-256 of its text (``secret`` is the
    64 hex characters of ``new_secret()``), as lowercase hex."""
    return digest(secret.encode())


def new_secret() -> str:
    """A fresh secret for a plan being sealed: 32 random bytes as 64 lowercase hex."""
    import secrets

    return secrets.token_hex(32)


#: Full-width digits (what a Chinese input method types) read as ASCII digits.
_FULL_WIDTH = {ord("０") + n: str(n) for n in range(10)}


def normalise_numbers(numbers: str) -> str:
    """The public numbers as one canonical string: runs of digits joined by single spaces
    (「03 11 19 22 27 31 + 08」 → "03 11 19 22 27 31 08"; full-width ``０``–``９`` count as
    ``0``–``9``; every other character separates). What the officials typed and what a
    member of the public types from the lottery's page give the same seed."""
    runs: list[str] = []
    current = ""
    for char in (numbers or "").translate(_FULL_WIDTH):
        if "0" <= char <= "9":
            current += char
        elif current:
            runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return " ".join(runs)


def _stream(seed: str, label: str, j: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}|{label}|{j}".encode()).digest(), "big")


def quotas(tier_rules: Mapping[str, Mapping[str, Any]], sizes: Mapping[str, int]) -> dict[str, int]:
    """How many objects each tier draws: ``{"percent": "30"}`` rounds up (a non-empty tier
    with a positive percentage draws at least one), ``{"count": n}`` is capped by the pool."""
    out: dict[str, int] = {}
    for tier in TIERS:
        rule = tier_rules.get(tier) or {}
        size = int(sizes.get(tier, 0))
        if "count" in rule:
            wanted = int(rule["count"])
        elif "percent" in rule:
            try:
                percent = Decimal(str(rule["percent"]))
            except InvalidOperation as exc:
                raise ValueError(f"tier {tier}: not a percentage") from exc
            wanted = math.ceil(percent * size / 100)
        else:
            wanted = 0
        out[tier] = max(0, min(wanted, size))
    return out


def gaps(snapshot: Mapping[str, Any]) -> list[str]:
    """Why the pools could not serve every possible draw (empty when they can). Checked
    before sealing; each gap is a string:

    ``"object:<object id>:<n>"``
        a drawable object (its tier's quota is not 0) can count on only ``n`` people, fewer
        than ``per_object``: ``n`` is the people with capacity who do not avoid it, less
        those whom the objects drawn before it could use up in the worst case;
    ``"capacity:<usable>:<needed>"``
        the people's capacity (each person counted at most once per drawn object) is below
        the quotas' total times ``per_object``.

    **Strict:** when ``gaps()`` is empty, ``draw()`` succeeds for *every* seed. The person
    draw is greedy (object by object, in the drawn order), so an object drawn late might find
    its few conflict-free people already at their capacity. Before any object at most
    ``Q - 1`` objects (``Q`` the quotas' total) took ``per_object`` people each, a person at
    most once each: they can use up a set of people of capacities ``c1 … cm`` exactly when
    every ``ci ≤ Q - 1`` and ``c1 + … + cm ≤ (Q - 1) × per_object``. An object is counted
    on ``n`` = its conflict-free people less the largest such set among them (smallest
    capacities first) — a bound that ignores which objects can really come before it, so it
    may report a gap that no actual seed would hit, never the reverse.
    """
    per_object = int(snapshot["per_object"])
    quota = {tier: int(snapshot["quotas"].get(tier, 0)) for tier in TIERS}
    total = sum(quota.values())
    problems: list[str] = []
    free = [(p, int(p["capacity"])) for p in snapshot["people"] if int(p["capacity"]) > 0]
    # Slots of the objects drawn before any one object, and who could be used up in them.
    budget = max(0, total - 1) * per_object
    exhaustible = Counter(cap for _, cap in free if cap <= total - 1)
    avoiders: dict[str, list[int]] = {}
    for person, cap in free:
        for object_id in set(person["avoid"]):
            avoiders.setdefault(object_id, []).append(cap)
    plain = _used_up(exhaustible, budget)  # an object nobody avoids
    for obj in snapshot["objects"]:
        if quota.get(str(obj["tier"]), 0) <= 0:
            continue  # never drawn
        aside = avoiders.get(obj["id"], [])
        available = len(free) - len(aside)
        # Without the avoiders fewer can be used up: ``plain`` bounds it, and settles most.
        if aside and available - plain < per_object:
            counts = exhaustible - Counter(cap for cap in aside if cap <= total - 1)
            used_up = _used_up(counts, budget)
        else:
            used_up = plain
        reliable = available - used_up
        if reliable < per_object:
            problems.append(f"object:{obj['id']}:{max(0, reliable)}")
    needed = total * per_object
    usable = sum(min(cap, total) for _, cap in free)
    if usable < needed:
        problems.append(f"capacity:{usable}:{needed}")
    return problems


def _used_up(capacities: Counter, budget: int) -> int:
    """The most people of these capacities that ``budget`` slots can use up (smallest first)."""
    count = 0
    for cap in sorted(capacities):
        take = min(capacities[cap], budget // cap)
        count += take
        budget -= take * cap
        if take < capacities[cap]:
            break
    return count


def draw(snapshot: Mapping[str, Any], seed: str) -> dict[str, Any]:
    """The drawn list for ``snapshot`` and ``seed`` (deterministic; see the module text)."""
    if snapshot.get("version") != ALGORITHM:
        raise ValueError(f"unknown draw algorithm {snapshot.get('version')!r}")
    per_object = int(snapshot["per_object"])
    by_tier: dict[str, list[str]] = {tier: [] for tier in TIERS}
    for obj in snapshot["objects"]:
        by_tier[str(obj["tier"])].append(obj["id"])
    picked: list[tuple[str, str]] = []
    for tier in TIERS:
        remaining = sorted(by_tier[tier])
        for j in range(int(snapshot["quotas"].get(tier, 0))):
            if not remaining:
                break
            index = _stream(seed, f"object|{tier}", j) % len(remaining)
            picked.append((remaining.pop(index), tier))
    people = sorted(snapshot["people"], key=lambda p: p["id"])
    ids = [p["id"] for p in people]
    avoid = {p["id"]: frozenset(p["avoid"]) for p in people}
    left = {p["id"]: int(p["capacity"]) for p in people}
    objects = []
    for object_id, tier in picked:
        remaining_people = list(ids)
        chosen: list[str] = []
        aside: list[str] = []
        j = 0
        while len(chosen) < per_object:
            if not remaining_people:
                raise DrawImpossible(f"object {object_id}: {len(chosen)} of {per_object} people")
            index = _stream(seed, f"person|{object_id}", j) % len(remaining_people)
            j += 1
            person = remaining_people.pop(index)
            if object_id in avoid[person] or left[person] <= 0:
                aside.append(person)
                continue
            left[person] -= 1
            chosen.append(person)
        objects.append({"id": object_id, "tier": int(tier), "people": chosen, "stood_aside": aside})
    return {"objects": objects}


def verify(snapshot_text: str | bytes, seed: str, result: Mapping[str, Any]) -> bool:
    """Re-run the draw from the published snapshot and seed; True when it gives ``result``."""
    from json import loads

    snapshot = loads(snapshot_text)
    try:
        again = draw(snapshot, seed)
    except (DrawImpossible, KeyError, TypeError, ValueError):
        return False
    return canonical(again) == canonical(dict(result))


def object_ids(result: Mapping[str, Any]) -> Iterable[str]:
    return (obj["id"] for obj in result["objects"])
