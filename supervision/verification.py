"""Re-running a plan's published draw (Art 25; decision 0055): the one check behind
``manage.py verify_draw`` and the public page ``/spot-checks/<pk>/verify/``.

``verify_plan(plan)`` takes only what is published once the plan is drawn (the sealed
snapshot's text, its sealed digest, the secret and its digest, the public numbers, the seed
and the drawn list) and recomputes every link of the chain:

- ``digest_ok``: SHA-256 of the snapshot text is the sealed digest;
- ``snapshot_ok``: the text is canonical RFC 8785 JSON of this plan (its id, algorithm and
  secret digest) and its quotas are the plan's tier rules applied to the pool;
- ``secret_ok``: SHA-256 of the secret is the digest published at sealing;
- ``seed_ok``: ``seed_of(algorithm, sealed digest, secret, numbers)`` is the stored seed;
- ``list_ok``: the draw re-run from the snapshot and the seed gives the stored list.

Pure reads: nothing is written, nothing is looked up but the plan's own fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from supervision import draw
from supervision.models import PlanState, SpotCheckPlan

DRAWN_STATES = (PlanState.DRAWN, PlanState.CLOSED)


@dataclass
class Verification:
    ok: bool
    digest_ok: bool
    secret_ok: bool
    seed_ok: bool
    list_ok: bool
    messages: list[str] = field(default_factory=list)
    #: The snapshot is canonical JSON of this plan and its quotas follow the tier rules.
    snapshot_ok: bool = False
    #: False for a plan not drawn yet (then only the digest is checked).
    drawn: bool = True
    #: What the check computed, for a page to show beside what is stored.
    digest: str = ""
    seed: str = ""
    result: dict[str, Any] | None = None


def verify_plan(plan: SpotCheckPlan, numbers: str | None = None) -> Verification:
    """Re-run ``plan``'s draw from its published data; see the module text. With
    ``numbers`` (what a visitor read at the randomness source) the seed is computed from
    those and the draw re-run from that seed, so other numbers show as a mismatch."""
    messages: list[str] = []
    text = plan.snapshot or ""
    computed_digest = draw.digest(text.encode())
    digest_ok = bool(text) and computed_digest == plan.sealed_digest
    if not digest_ok:
        messages.append(_("The SHA-256 of the snapshot is not the sealed digest."))
    snapshot, snapshot_ok = _snapshot_of(plan, text, messages)
    drawn = plan.state in DRAWN_STATES
    if not drawn:
        messages.append(_("The plan has not been drawn yet."))
        return Verification(
            ok=False,
            digest_ok=digest_ok,
            secret_ok=False,
            seed_ok=False,
            list_ok=False,
            messages=messages,
            snapshot_ok=snapshot_ok,
            drawn=False,
            digest=computed_digest,
        )
    secret_ok = bool(plan.secret) and draw.secret_digest_of(plan.secret) == plan.secret_digest
    if not secret_ok:
        messages.append(_("The SHA-256 of the secret is not the digest published at sealing."))
    try:
        typed = plan.public_numbers if numbers is None else numbers
        seed = draw.seed_of(plan.algorithm_version, plan.sealed_digest, plan.secret, typed)
    except ValueError:
        seed = ""
    seed_ok = bool(seed) and seed == plan.seed
    if not seed_ok:
        messages.append(
            _("The seed computed from the algorithm, digest, secret and numbers differs.")
        )
    result = None
    list_ok = False
    rerun_seed = plan.seed if numbers is None else seed
    if snapshot is not None and rerun_seed:
        try:
            result = draw.draw(snapshot, rerun_seed)
        except (draw.DrawImpossible, KeyError, TypeError, ValueError, AttributeError):
            messages.append(_("The draw cannot be re-run from the snapshot."))
        else:
            list_ok = plan.result is not None and draw.canonical(result) == draw.canonical(
                plan.result
            )
            if not list_ok:
                messages.append(_("The re-run draw gives a different list from the stored one."))
    ok = digest_ok and snapshot_ok and secret_ok and seed_ok and list_ok
    return Verification(
        ok=ok,
        digest_ok=digest_ok,
        secret_ok=secret_ok,
        seed_ok=seed_ok,
        list_ok=list_ok,
        messages=messages,
        snapshot_ok=snapshot_ok,
        drawn=True,
        digest=computed_digest,
        seed=seed,
        result=result,
    )


def _snapshot_of(
    plan: SpotCheckPlan, text: str, messages: list[str]
) -> tuple[dict[str, Any] | None, bool]:
    """The parsed snapshot (None when it is not JSON) and whether it is this plan's own."""
    unusual: list[str] = []  # numbers the fast canonical check does not cover

    def parse_int(token: str) -> int:
        if len(token) > 15:  # beyond RFC 8785's safe integers, perhaps
            unusual.append(token)
        return int(token)

    try:
        snapshot = json.loads(
            text,
            parse_float=lambda token: unusual.append(token) or float(token),
            parse_int=parse_int,
        )
    except ValueError:
        messages.append(_("The snapshot is not JSON."))
        return None, False
    if not isinstance(snapshot, dict):
        messages.append(_("The snapshot is not JSON."))
        return None, False
    ok = True
    if not is_canonical(snapshot, text, fast=not unusual):
        ok = False
        messages.append(_("The snapshot is not in canonical form (RFC 8785)."))
    head = snapshot.get("plan") if isinstance(snapshot.get("plan"), dict) else {}
    if (
        snapshot.get("version") != plan.algorithm_version
        or head.get("id") != plan.pk
        or head.get("secret_digest") != plan.secret_digest
    ):
        ok = False
        messages.append(
            _("The snapshot names another plan, algorithm or secret digest than this plan.")
        )
    if not _quotas_follow_rules(snapshot):
        ok = False
        messages.append(_("The snapshot's quotas do not follow the plan's tier rules."))
    return snapshot, ok


def is_canonical(value: Any, text: str, *, fast: bool) -> bool:
    """Whether ``text`` is the RFC 8785 form of ``value``. Without fractions or long integers
    RFC 8785 is the standard library's sorted, compact JSON (the same escapes; key order
    differs only for keys beyond the BMP), ten times faster than ``rfc8785``: with ``fast``
    that answers first, and ``rfc8785`` decides whatever it does not confirm."""
    if fast:
        compact = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        if compact == text:
            return True
    try:
        return draw.canonical(value) == text.encode()
    except ValueError:  # rfc8785's CanonicalizationError: e.g. an integer beyond 2^53
        return False


def _quotas_follow_rules(snapshot: dict[str, Any]) -> bool:
    try:
        sizes: dict[str, int] = {}
        for obj in snapshot["objects"]:
            sizes[str(obj["tier"])] = sizes.get(str(obj["tier"]), 0) + 1
        wanted = draw.quotas(snapshot["plan"]["tier_rules"], sizes)
        return {tier: int(snapshot["quotas"].get(tier, 0)) for tier in draw.TIERS} == wanted
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def gap_message(gap: str) -> str:
    """A sentence for one of ``draw.gaps()``'s strings (for the page that seals a plan)."""
    kind, _sep, rest = gap.partition(":")
    if kind == "object":
        object_id, _sep, count = rest.rpartition(":")
        return _(
            "%(object)s: only %(count)s people of the pool without a conflict can be counted on."
        ) % {"object": object_id, "count": count}
    if kind == "capacity":
        usable, _sep, needed = rest.partition(":")
        return _(
            "The people of the pool can take %(usable)s assignments in this plan; the quotas "
            "need %(needed)s."
        ) % {"usable": usable, "needed": needed}
    return gap
