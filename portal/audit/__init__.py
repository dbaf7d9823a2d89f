"""The audit trail (ARCHITECTURE.md "Audit trail").

``record()`` appends one ``AuditEntry`` inside the caller's transaction. Entries
form one chain per partition (each agency; each authority jurisdiction): the
partition's ``AuditChain`` head row is locked with ``select_for_update`` so
appends in one partition are serialised while partitions proceed in parallel.
Each entry's MAC is HMAC-SHA256, under the current ``AUDIT_MAC_KEY`` (kept outside
the database; its id is stored per entry so keys rotate), over the previous MAC and
the entry's canonical form (JSON, sorted keys, compact separators, UTF-8, times in
UTC ISO form). ``verify_chains()`` (``manage.py verify_audit``) proves nothing was
altered, removed or inserted, and compares the heads with the latest signed
checkpoint (``portal.audit.checkpoints``), so a chain rewritten, cut short or
deleted by someone with database access is named too (Art 21;
docs/decisions/0019-audit-keys-and-checkpoints.md).

Resident ID numbers are masked and passwords, tokens and secrets removed before
anything is written. Entries are kept at least 5 years (Art 21).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise

from portal import clock, codes
from portal.access import context as request_context
from portal.models import GENESIS_HASH, Audience, AuditChain, AuditEntry
from portal.roles import NATIONAL

_SECRET_FIELD = re.compile(r"(?i)(password|passwd|token|secret|otp|key$|captcha)")
_ID_NUMBER_FIELD = re.compile(r"(?i)(id_number|resident_id|id_no)")
_ID_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")

# Chinese sentences for action names, registered by each app (decision 0029).
from portal.audit.display import describe, labelled_actions, register_label  # noqa: E402, F401

# Links from entries to their objects' pages, registered by each app (see register_object_url).
ObjectUrl = Callable[[Any, str], "str | None"]
_OBJECT_URLS: dict[str, ObjectUrl] = {}


def register_object_url(model_label: str, fn: ObjectUrl) -> None:
    """How the trail links an object of ``model_label`` (``portal.User`` or ``portal.user``,
    as entries record it): ``fn(user, object_id)`` returns the URL of the object's page
    when ``user`` may open it, else None (then the entry names the object unlinked)."""
    _OBJECT_URLS[model_label.lower()] = fn


def object_url(user, object_type: str, object_id: str) -> str | None:
    """The page of an entry's object for ``user``, or None (unknown type, not allowed)."""
    fn = _OBJECT_URLS.get(object_type)
    if fn is None or not object_id:
        return None
    return fn(user, object_id) or None


def link_objects(user, entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The entries, each with ``object_url`` set for ``user`` (one lookup per object)."""
    found: dict[tuple[str, str], str | None] = {}
    linked = list(entries)
    for entry in linked:
        key = (entry.object_type, entry.object_id)
        if key not in found:
            found[key] = object_url(user, *key)
        entry.object_url = found[key]
    return linked


# --- Sanitising --------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (
            value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if hasattr(value, "name") and hasattr(value, "size"):  # a File
        return getattr(value, "name", "")
    return str(value)


def _mask_text(value: Any) -> Any:
    if isinstance(value, str):
        return _ID_IN_TEXT.sub(lambda m: codes.mask_resident_id(m.group(0)), value)
    if isinstance(value, list):
        return [_mask_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_text(v) for k, v in value.items()}
    return value


def sanitize_changes(changes: dict[str, Any] | None) -> dict[str, Any]:
    """Before/after pairs fit for the trail: secrets dropped, ID numbers masked."""
    clean: dict[str, Any] = {}
    for field, value in (changes or {}).items():
        if _SECRET_FIELD.search(field):
            continue
        value = _jsonable(value)
        if _ID_NUMBER_FIELD.search(field):
            if isinstance(value, list):
                value = [
                    codes.mask_resident_id(v) if isinstance(v, str) and v else v for v in value
                ]
            elif isinstance(value, str) and value:
                value = codes.mask_resident_id(value)
        clean[field] = _mask_text(value)
    return clean


def diff(before: models.Model | dict[str, Any] | None, after: models.Model, fields: Iterable[str]):
    """``{field: [before, after]}`` for the fields whose value changed."""
    out: dict[str, list[Any]] = {}
    for name in fields:
        old = (
            (before.get(name) if isinstance(before, dict) else getattr(before, name, None))
            if (before is not None)
            else None
        )
        new = getattr(after, name, None)
        if old != new:
            out[name] = [old, new]
    return out


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


# --- Canonical form and hashing -------------------------------------------------------------


HASHED_FIELDS = (
    "partition",
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "object_list",
    "agency_id",
    "province",
    "changes",
    "ip",
    "request_id",
    "audience",
)


def canonical(entry: AuditEntry) -> bytes:
    data = {name: getattr(entry, name) for name in HASHED_FIELDS}
    data["created_at"] = entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    """The unkeyed SHA-256 of the chains before migration 0013 (anyone could recompute it)."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(entry)).hexdigest()


def compute_mac(key: bytes, prev_hash: str, entry: AuditEntry) -> str:
    """HMAC-SHA256 under ``key`` of the previous MAC and the entry's canonical form."""
    message = prev_hash.encode("ascii") + b"\n" + canonical(entry)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def mac_keys() -> dict[str, bytes]:
    """``{key_id: key}`` of ``AUDIT_MAC_KEY``, the current key first (portal.keys)."""
    return settings.AUDIT_MAC_KEYS


def current_mac_key() -> tuple[str, bytes]:
    key_id = next(iter(mac_keys()))
    return key_id, mac_keys()[key_id]


def entry_mac_problem(prev_hash: str, entry: AuditEntry) -> str | None:
    """Why ``entry``'s MAC does not verify after ``prev_hash``, or None when it does."""
    if not entry.key_id:
        return "content altered (no MAC key id: an unkeyed hash is not accepted)"
    key = mac_keys().get(entry.key_id)
    if key is None:
        return f"MAC key {entry.key_id} is not configured (AUDIT_MAC_KEY lists the old keys)"
    if not hmac.compare_digest(compute_mac(key, prev_hash, entry), entry.hash):
        return "content altered (MAC does not match)"
    return None


# --- Writing ------------------------------------------------------------------------------


def partition_for(agency_id: int | None, province: str) -> str:
    if agency_id is not None:
        return f"agency:{agency_id}"
    return f"authority:{province or NATIONAL}"


def _actor_fields(actor, agency_id: int | None, actor_label: str | None) -> tuple[Any, str, str]:
    from portal.access import SYSTEM

    if actor is SYSTEM:
        return None, actor_label or "system", ""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, actor_label or "public", ""
    roles: list[str] = []
    if agency_id is not None:
        from portal.access import member_roles

        roles = sorted(member_roles(actor, agency_id))
    if not roles:
        roles = sorted(actor.authority_roles())
    return actor, actor_label or actor.username, ",".join(roles)


def _object_ref(obj: Any) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk), str(obj)[:200]
    return type(obj).__name__, "", str(obj)[:200]


def _agency_of(agency: Any, obj: Any) -> Any:
    if agency is not None:
        return agency
    from portal.access import agency_id_of

    if obj is not None and isinstance(obj, models.Model):
        agency_id = agency_id_of(obj)
        if agency_id is not None:
            from portal.models import Agency

            return Agency.objects.only("pk", "filing_jurisdiction").get(pk=agency_id)
    return None


def record(
    actor,
    action: str,
    obj: Any = None,
    changes: dict[str, Any] | None = None,
    *,
    objects: Iterable[Any] | None = None,
    agency: Any = None,
    province: str | None = None,
    audience: str = Audience.AUTHORITY,
    actor_label: str | None = None,
) -> AuditEntry:
    """Append one entry for ``action`` to the partition's chain, in the caller's transaction.

    ``actor`` is a user, or None for the public or a scheduled job (name it with
    ``actor_label``). ``objects`` lists the objects of a bulk action: one entry
    covers them all. ``agency`` defaults to the object's agency; ``province`` to
    that agency's filing jurisdiction. ``audience="agency"`` lets the agency
    concerned read the entry; never use it for entries naming experts or objectors.
    """
    if audience not in Audience.values:
        raise ValueError(f"unknown audience {audience!r}")
    agency = _agency_of(agency, obj)
    agency_id = agency.pk if agency is not None else None
    if province is None:
        province = (agency.filing_jurisdiction if agency is not None else "") or ""
    actor_obj, label, role = _actor_fields(actor, agency_id, actor_label)
    object_type, object_id, object_repr = _object_ref(obj)
    object_list = [list(_object_ref(o)[:2]) for o in objects] if objects is not None else []
    ctx = request_context.current()
    partition = partition_for(agency_id, province)

    with transaction.atomic():
        AuditChain.objects.get_or_create(partition=partition)
        head = AuditChain.objects.select_for_update().get(partition=partition)
        entry = AuditEntry(
            partition=partition,
            seq=head.last_seq + 1,
            created_at=clock.now(),
            actor=actor_obj,
            actor_label=label[:80],
            actor_role=role[:120],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=_mask_text(object_repr),
            object_list=object_list,
            agency_id=agency_id,
            province=province,
            changes=sanitize_changes(changes),
            ip=ctx.ip,
            request_id=ctx.request_id,
            audience=audience,
            prev_hash=head.last_hash,
        )
        entry.key_id, key = current_mac_key()
        entry.hash = compute_mac(key, head.last_hash, entry)
        entry.save()
        AuditChain.objects.filter(pk=head.pk).update(last_seq=entry.seq, last_hash=entry.hash)
    if objects is not None:  # a bulk action: its heads are signed soon after it commits
        from portal.audit import checkpoints

        checkpoints.checkpoint_soon()
    return entry


# --- Verifying ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    partition: str
    seq: int | None
    entry_id: int | None
    reason: str
    subject: str = ""  # what is wrong when it is neither an entry nor a chain head

    def __str__(self) -> str:
        if self.subject:
            where = self.subject
        elif self.entry_id:
            where = f"entry {self.entry_id} (seq {self.seq})"
        else:
            where = "chain head"
        return f"{self.partition}: {where}: {self.reason}"


def verify_partition(
    partition: str,
    head: AuditChain | None = None,
    *,
    after_seq: int = 0,
    after_mac: str = GENESIS_HASH,
    until_seq: int | None = None,
) -> ChainProblem | None:
    """The first problem of ``partition``'s chain, or None.

    From the start, or from a trusted point (``after_seq`` whose MAC is ``after_mac``, as a
    checkpoint gives it) up to ``until_seq`` (a head read earlier; entries appended since are
    not looked at): sequence continuity, links, each MAC under its key, then the head.
    """
    prev_hash, expected_seq = after_mac, after_seq + 1
    found = AuditEntry.objects.filter(partition=partition, seq__gt=after_seq)
    if until_seq is not None:
        found = found.filter(seq__lte=until_seq)
    entries: Iterator[AuditEntry] = found.order_by("seq").iterator(2000)
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainProblem(partition, entry.seq, entry.pk, f"expected sequence {expected_seq}")
        if entry.prev_hash != prev_hash:
            return ChainProblem(partition, entry.seq, entry.pk, "link to previous broken")
        reason = entry_mac_problem(prev_hash, entry)
        if reason is not None:
            return ChainProblem(partition, entry.seq, entry.pk, reason)
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        return ChainProblem(partition, None, None, "entries missing at the end")
    return None


def _verify_partition(chain: AuditChain) -> ChainProblem | None:
    return verify_partition(chain.partition, chain)


def verify_chains(*, checkpoint: Any = "latest") -> tuple[int, list[ChainProblem]]:
    """Recompute every chain and compare the heads with a signed checkpoint.

    Returns (entries checked, problems): the first problem of each broken chain, then what
    the checkpoint (the latest valid one in ``AUDIT_CHECKPOINT_DIR``, or the
    ``checkpoints.Checkpoint`` given; None skips it) remembers that the database lost:
    a head behind it (truncated), a head that went another way (altered), a partition gone.
    """
    from portal.audit import checkpoints

    problems: list[ChainProblem] = []
    for chain in AuditChain.objects.order_by("partition").iterator():
        problem = _verify_partition(chain)
        if problem is not None:
            problems.append(problem)
    orphan = (
        AuditEntry.objects.exclude(partition__in=AuditChain.objects.values("partition"))
        .values_list("partition", flat=True)
        .first()
    )
    if orphan is not None:
        problems.append(ChainProblem(orphan, None, None, "entries without a chain head"))
    if checkpoint == "latest":
        checkpoint, invalid = checkpoints.latest_valid()
        problems += invalid
    if checkpoint is not None:
        problems += checkpoints.compare(checkpoint)
    return AuditEntry.objects.count(), problems


def nightly_verification() -> str:
    """Periodic job: verify every chain; a broken chain fails the run (and is logged)."""
    count, problems = verify_chains()
    if problems:
        raise RuntimeError("audit trail broken: " + "; ".join(map(str, problems)))
    return f"{count} entries verified"
