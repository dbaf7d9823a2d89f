#!/usr/bin/env python3
"""Re-run a published spot-check draw yourself (双随机抽查抽签的独立复核) — decision 0055.

Needs only Python 3.8+ and its standard library. Download from the plan's public page the
snapshot (``snapshot.json``, saved as is), and copy the secret and the public numbers; then

    python3 verify_draw_standalone.py snapshot.json --secret SECRET --numbers "03 11 19 22 27 31 08"

It prints the SHA-256 of the file (compare it with the sealed digest published before the
draw), checks the secret against the secret digest sealed in the snapshot, computes the seed
and prints the drawn list. Give ``--digest`` and ``--seed`` (as published) to have them
compared too, and ``--json`` to print the list as JSON. Exit status 0 when every comparison
holds, 1 when one does not, 2 for unusable input.

The algorithm (``rfc3797-sha256/1``), as the portal's ``supervision/draw.py``:

    seed = SHA-256(version NUL sealed_digest NUL secret NUL numbers)        (hex)
    numbers: runs of digits (full-width ０-９ read as 0-9) joined by one space

    for each tier "1".."4": pool = the tier's object ids, sorted;
        pick j = 0, 1, …: index = int(SHA-256("<seed>|object|<tier>|<j>")) mod len(pool),
        take pool[index] out, until the tier's quota is drawn
    for each drawn object, in the order drawn: people = every person id, sorted;
        pick j = 0, 1, …: index = int(SHA-256("<seed>|person|<object id>|<j>")) mod len(people),
        take that person out; if they avoid the object or have no capacity left they stand
        aside, else they are assigned (capacity - 1), until per_object people are assigned
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

ALGORITHMS = ("rfc3797-sha256/1",)
TIERS = ("1", "2", "3", "4")
FULL_WIDTH = {ord("０") + n: str(n) for n in range(10)}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise_numbers(numbers: str) -> str:
    runs, current = [], ""
    for char in numbers.translate(FULL_WIDTH):
        if "0" <= char <= "9":
            current += char
        elif current:
            runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return " ".join(runs)


def seed_of(version: str, sealed_digest: str, secret: str, numbers: str) -> str:
    parts = (version, sealed_digest, secret, normalise_numbers(numbers))
    if not parts[3]:
        raise ValueError("no public numbers")
    return sha256_hex("\x00".join(parts).encode())


def stream(seed: str, label: str, j: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}|{label}|{j}".encode()).digest(), "big")


def draw(snapshot: dict, seed: str) -> dict:
    per_object = int(snapshot["per_object"])
    by_tier = {tier: [] for tier in TIERS}
    for obj in snapshot["objects"]:
        by_tier[str(obj["tier"])].append(obj["id"])
    picked = []
    for tier in TIERS:
        pool = sorted(by_tier[tier])
        for j in range(int(snapshot["quotas"].get(tier, 0))):
            if not pool:
                break
            picked.append((pool.pop(stream(seed, f"object|{tier}", j) % len(pool)), tier))
    people = sorted(snapshot["people"], key=lambda p: p["id"])
    ids = [p["id"] for p in people]
    avoid = {p["id"]: set(p["avoid"]) for p in people}
    left = {p["id"]: int(p["capacity"]) for p in people}
    objects = []
    for object_id, tier in picked:
        remaining, chosen, aside, j = list(ids), [], [], 0
        while len(chosen) < per_object:
            if not remaining:
                raise ValueError(f"object {object_id}: not enough people")
            person = remaining.pop(stream(seed, f"person|{object_id}", j) % len(remaining))
            j += 1
            if object_id in avoid[person] or left[person] <= 0:
                aside.append(person)
                continue
            left[person] -= 1
            chosen.append(person)
        objects.append({"id": object_id, "tier": int(tier), "people": chosen, "stood_aside": aside})
    return {"objects": objects}


def looks_canonical(data: bytes, value) -> bool | None:
    """Whether the bytes are RFC 8785 canonical JSON (None when the value holds a fraction,
    whose RFC 8785 form this short script does not re-implement)."""

    def has_float(v):
        if isinstance(v, float):
            return True
        if isinstance(v, dict):
            return any(has_float(x) for x in v.values())
        if isinstance(v, list):
            return any(has_float(x) for x in v)
        return False

    if has_float(value):
        return None
    # Without fractions, RFC 8785 is sorted keys (the snapshot's keys are ASCII), no
    # whitespace, UTF-8 without \\u escapes except control characters.
    again = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return again.encode() == data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Re-run a published spot-check draw.")
    parser.add_argument("snapshot", help="snapshot.json as downloaded")
    parser.add_argument("--secret", required=True, help="the secret published after the draw")
    parser.add_argument("--numbers", required=True, help="the public numbers")
    parser.add_argument("--digest", help="the sealed digest as published, to compare")
    parser.add_argument("--seed", help="the seed as published, to compare")
    parser.add_argument("--json", action="store_true", help="print the drawn list as JSON")
    args = parser.parse_args(argv)
    try:
        with open(args.snapshot, "rb") as handle:
            data = handle.read()
        snapshot = json.loads(data)
        version = snapshot["version"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"cannot read the snapshot: {exc}", file=sys.stderr)
        return 2
    if version not in ALGORITHMS:
        print(f"unknown algorithm {version!r}; this script knows {ALGORITHMS}", file=sys.stderr)
        return 2
    out = sys.stderr if args.json else sys.stdout
    good = True
    sealed = sha256_hex(data)
    print(f"SHA-256 of the snapshot (sealed digest): {sealed}", file=out)
    if args.digest is not None:
        same = args.digest.strip().lower() == sealed
        good &= same
        print("  = the published sealed digest" if same else "  DIFFERS from --digest", file=out)
    canonical = looks_canonical(data, snapshot)
    if canonical is False:
        good = False
        print("  the file is NOT canonical RFC 8785 JSON", file=out)
    secret_digest = snapshot.get("plan", {}).get("secret_digest")
    if sha256_hex(args.secret.strip().encode()) == secret_digest:
        print("SHA-256 of the secret = the secret digest sealed in the snapshot", file=out)
    else:
        good = False
        print("SHA-256 of the secret DIFFERS from the secret digest in the snapshot", file=out)
    try:
        seed = seed_of(version, sealed, args.secret.strip(), args.numbers)
    except ValueError as exc:
        print(f"cannot compute the seed: {exc}", file=sys.stderr)
        return 2
    print(f"numbers: {normalise_numbers(args.numbers)}", file=out)
    print(f"seed: {seed}", file=out)
    if args.seed is not None:
        same = args.seed.strip().lower() == seed
        good &= same
        print("  = the published seed" if same else "  DIFFERS from --seed", file=out)
    try:
        result = draw(snapshot, seed)
    except (ValueError, KeyError, TypeError) as exc:
        print(f"the draw cannot be run: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    else:
        print(f"drawn list ({len(result['objects'])} objects):")
        for n, obj in enumerate(result["objects"], 1):
            aside = ", ".join(obj["stood_aside"])
            aside = f"  (stood aside: {aside})" if aside else ""
            print(f"{n:4}. {obj['id']}  tier {obj['tier']}  {', '.join(obj['people'])}{aside}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
