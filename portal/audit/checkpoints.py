"""Signed checkpoints of the audit chain heads, kept outside the database (Art 21).

A checkpoint is a file in ``AUDIT_CHECKPOINT_DIR`` holding every chain head (partition, last
sequence, the MAC of the head entry) and the time, signed with Ed25519 under
``AUDIT_CHECKPOINT_KEY``. The file is canonical JSON::

    {"algorithm":"Ed25519","checkpoint":{"created_at":…,"format":…,"heads":[…],"key_id":…},
     "signature":"<base64 of the signature over the canonical JSON of "checkpoint">"}

It names no entry's content, so it is published (``/audit/checkpoints/``) and anyone may keep
copies. Someone who can write the database can rewrite a chain, cut its tail and rewind its
head, or delete a partition with its head row; none of that can change a checkpoint already
written (or copied), so ``verify_chains()`` names it: a head behind the checkpoint is truncated,
an entry at the checkpoint's sequence with another MAC is altered, a partition in the
checkpoint and not in the database is missing.

Written at least daily (the periodic job ``portal.checkpoint_audit``), soon after each bulk
action (``checkpoint_soon()``, debounced) and on demand (``manage.py checkpoint_audit``). Before
signing, the entries added since the previous valid checkpoint are verified from its heads on,
so a damaged state is never signed (docs/decisions/0019-audit-keys-and-checkpoints.md).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from portal import clock, keys
from portal.models import GENESIS_HASH, AuditChain, AuditEntry

logger = logging.getLogger("portal.audit")

FORMAT = "portal-audit-checkpoint/1"
ALGORITHM = "Ed25519"
_TIME_IN_NAME = "%Y%m%dT%H%M%S%fZ"
NAME_RE = re.compile(r"^checkpoint-[0-9]{8}T[0-9]{12}Z\.json$")
_MAC_RE = re.compile(r"^[0-9a-f]{64}$")
# A burst of bulk actions is covered by one checkpoint written this long after the first.
DEBOUNCE_SECONDS = 60
_SOON_KEY = "portal:audit:checkpoint-soon"


class CheckpointInvalid(Exception):
    """A checkpoint file that cannot be trusted (unreadable, malformed, badly signed)."""


class CheckpointRefused(Exception):
    """The database does not continue the previous checkpoint: nothing was signed."""

    def __init__(self, problems: list) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Head:
    partition: str
    last_seq: int
    head_mac: str


@dataclass(frozen=True)
class Checkpoint:
    name: str
    created_at: dt.datetime
    heads: tuple[Head, ...]
    key_id: str
    digest: str  # SHA-256 of the file as written, for whoever compares copies

    def __str__(self) -> str:
        return self.name


# --- Keys ------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _private_key(value: str):
    return keys.private_key(value, "AUDIT_CHECKPOINT_KEY")


def signing_key():
    return _private_key(settings.AUDIT_CHECKPOINT_KEY)


def _raw(public_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_text(public_key=None) -> str:
    """The public key as base64 of its 32 raw bytes (how AUDIT_CHECKPOINT_RETIRED_KEYS lists it)."""
    return base64.b64encode(_raw(public_key or signing_key().public_key())).decode("ascii")


def public_key_pem(public_key=None) -> str:
    from cryptography.hazmat.primitives import serialization

    return (
        (public_key or signing_key().public_key())
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def key_id_of(public_key) -> str:
    return keys.fingerprint(_raw(public_key))


def _load_public_key(text: str):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return ed25519.Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def retired_keys() -> list:
    """Public keys that signed earlier checkpoints (``AUDIT_CHECKPOINT_RETIRED_KEYS``)."""
    found = []
    for text in getattr(settings, "AUDIT_CHECKPOINT_RETIRED_KEYS", []) or []:
        try:
            found.append(_load_public_key(text))
        except ValueError:
            logger.error("AUDIT_CHECKPOINT_RETIRED_KEYS holds a value that is no Ed25519 key")
    return found


def trusted_keys() -> dict[str, Any]:
    """``{key_id: public key}``: the current signing key's, then the retired ones."""
    trusted = {}
    for key in [signing_key().public_key(), *retired_keys()]:
        trusted.setdefault(key_id_of(key), key)
    return trusted


# --- The file ----------------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _time_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def name_for(moment: dt.datetime) -> str:
    return f"checkpoint-{moment.astimezone(dt.UTC).strftime(_TIME_IN_NAME)}.json"


def directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def current_heads() -> list[Head]:
    """Every chain head, read in one statement (one snapshot)."""
    return [
        Head(partition, last_seq, last_hash)
        for partition, last_seq, last_hash in AuditChain.objects.order_by("partition").values_list(
            "partition", "last_seq", "last_hash"
        )
    ]


def signed_file(heads: list[Head], moment: dt.datetime) -> bytes:
    """The canonical, signed file for ``heads`` at ``moment``."""
    private = signing_key()
    body = {
        "format": FORMAT,
        "created_at": _time_text(moment),
        "key_id": key_id_of(private.public_key()),
        "heads": [
            {"partition": h.partition, "last_seq": h.last_seq, "head_mac": h.head_mac}
            for h in heads
        ],
    }
    signature = private.sign(canonical_json(body))
    document = {
        "algorithm": ALGORITHM,
        "checkpoint": body,
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return canonical_json(document) + b"\n"


def parse(name: str, data: bytes) -> Checkpoint:
    """The checkpoint in ``data`` (the file ``name``), signature checked; else CheckpointInvalid."""
    from cryptography.exceptions import InvalidSignature

    try:
        document = json.loads(data.decode("utf-8"))
        body = document["checkpoint"]
        signature = base64.b64decode(document["signature"], validate=True)
        algorithm, key_id = document["algorithm"], body["key_id"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointInvalid("not a checkpoint file (malformed)") from exc
    if algorithm != ALGORITHM or not isinstance(body, dict) or body.get("format") != FORMAT:
        raise CheckpointInvalid("not a checkpoint file (unknown format)")
    public_key = trusted_keys().get(key_id) if isinstance(key_id, str) else None
    if public_key is None:
        raise CheckpointInvalid(f"signed by an unknown key ({key_id})")
    try:
        public_key.verify(signature, canonical_json(body))
    except InvalidSignature as exc:
        raise CheckpointInvalid("signature invalid (the file was altered)") from exc
    try:
        created_at = dt.datetime.strptime(body["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=dt.UTC
        )
        heads = tuple(
            Head(str(h["partition"]), int(h["last_seq"]), str(h["head_mac"])) for h in body["heads"]
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointInvalid("signed, but its content is malformed") from exc
    if name != name_for(created_at):
        raise CheckpointInvalid("file name does not match its signed time")
    return Checkpoint(name, created_at, heads, key_id, hashlib.sha256(data).hexdigest())


def load(path: Path) -> Checkpoint:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CheckpointInvalid("unreadable") from exc
    return parse(path.name, data)


def names(where: Path | None = None) -> list[str]:
    """Checkpoint file names in the directory, newest first."""
    where = where or directory()
    if not where.is_dir():
        return []
    return sorted((p.name for p in where.iterdir() if NAME_RE.match(p.name)), reverse=True)


def path_of(name: str) -> Path | None:
    """The file of checkpoint ``name`` in the directory, or None (no such name or file)."""
    if not NAME_RE.match(name):
        return None
    path = directory() / name
    return path if path.is_file() else None


def latest_valid(where: Path | None = None) -> tuple[Checkpoint | None, list]:
    """The newest checkpoint whose signature holds, and a problem for each newer file."""
    from portal.audit import ChainProblem

    where = where or directory()
    invalid = []
    for name in names(where):
        try:
            return load(where / name), invalid
        except CheckpointInvalid as exc:
            invalid.append(ChainProblem("checkpoints", None, None, str(exc), subject=name))
    return None, invalid


# --- Comparing ---------------------------------------------------------------------------------


def compare(checkpoint: Checkpoint) -> list:
    """What ``checkpoint`` remembers that the database lost or changed, one problem per chain."""
    from portal.audit import ChainProblem

    chains = {c.partition: c for c in AuditChain.objects.all()}
    problems = []
    for head in checkpoint.heads:
        if head.last_seq == 0:
            continue  # an empty chain proves nothing
        chain = chains.get(head.partition)
        if chain is None:
            problems.append(
                ChainProblem(
                    head.partition,
                    None,
                    None,
                    f"partition missing: in checkpoint {checkpoint.name} (seq {head.last_seq}), "
                    "gone from the database",
                )
            )
            continue
        if chain.last_seq < head.last_seq:
            problems.append(
                ChainProblem(
                    head.partition,
                    None,
                    None,
                    f"truncated: head at seq {chain.last_seq}, behind checkpoint "
                    f"{checkpoint.name} (seq {head.last_seq})",
                )
            )
            continue
        entry = (
            AuditEntry.objects.filter(partition=head.partition, seq=head.last_seq)
            .only("pk", "seq", "hash")
            .first()
        )
        if entry is None:
            problems.append(
                ChainProblem(
                    head.partition,
                    head.last_seq,
                    None,
                    f"entry seq {head.last_seq} named by checkpoint {checkpoint.name} is missing",
                )
            )
        elif entry.hash != head.head_mac:
            problems.append(
                ChainProblem(
                    head.partition,
                    entry.seq,
                    entry.pk,
                    f"altered: its MAC differs from checkpoint {checkpoint.name}",
                )
            )
    return problems


# --- Writing ---------------------------------------------------------------------------------


def _continuity_problems(previous: Checkpoint | None, heads: list[Head]) -> list:
    """Problems between ``previous`` and ``heads``: the entries since, verified from its heads."""
    from portal.audit import verify_partition

    problems = compare(previous) if previous is not None else []
    if problems:
        return problems
    anchors = {h.partition: h for h in previous.heads} if previous is not None else {}
    for head in heads:
        anchor = anchors.get(head.partition)
        after_seq, after_mac = (anchor.last_seq, anchor.head_mac) if anchor else (0, GENESIS_HASH)
        chain = AuditChain(
            partition=head.partition, last_seq=head.last_seq, last_hash=head.head_mac
        )
        problem = verify_partition(
            head.partition,
            chain,
            after_seq=after_seq,
            after_mac=after_mac,
            until_seq=head.last_seq,
        )
        if problem is not None:
            problems.append(problem)
    return problems


def write(where: Path | None = None) -> Checkpoint:
    """Sign every chain head into a new file in the checkpoint directory; returns it.

    Refuses (``CheckpointRefused``) when the database does not continue the latest valid
    checkpoint: a damaged chain is reported, never signed.
    """
    where = where or directory()
    previous, _invalid = latest_valid(where)
    heads = current_heads()
    problems = _continuity_problems(previous, heads)
    if problems:
        raise CheckpointRefused(problems)
    moment = clock.now()
    if previous is not None and moment <= previous.created_at:
        moment = previous.created_at + dt.timedelta(microseconds=1)  # names stay in time order
    data = signed_file(heads, moment)
    where.mkdir(parents=True, exist_ok=True)
    name = name_for(moment)
    fd, tmp = tempfile.mkstemp(prefix=".checkpoint-", dir=where)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # public: no secret in it
        os.link(tmp, where / name)  # never replaces an existing checkpoint
    finally:
        os.unlink(tmp)
    logger.info("audit checkpoint %s: %d chain heads", name, len(heads))
    return parse(name, data)


def periodic_checkpoint() -> str:
    """Periodic job ``portal.checkpoint_audit``: at least daily."""
    checkpoint = write()
    return f"{checkpoint.name}: {len(checkpoint.heads)} chain heads signed"


def checkpoint_soon() -> None:
    """After a bulk action: a checkpoint once the transaction commits, one per burst.

    With a worker, the first call of a burst queues one write ``DEBOUNCE_SECONDS`` later
    (which covers the whole burst); running tasks eagerly (``make run``, tests) writes at once.
    A failure is logged and never fails the action that committed.
    """
    transaction.on_commit(_schedule)


def _schedule() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        write_logged()
        return
    if cache.add(_SOON_KEY, 1, timeout=DEBOUNCE_SECONDS):
        from portal.jobs.tasks import write_audit_checkpoint

        write_audit_checkpoint.apply_async(countdown=DEBOUNCE_SECONDS)


def write_logged() -> str:
    try:
        return write().name
    except Exception:
        logger.exception("audit checkpoint not written")
        return ""
