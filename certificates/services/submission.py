"""Data submission to the testing centre (Art 21; decision 0052).

``submit_batch`` does a whole batch in one transaction: lock the agency's submission head
(its ``portal.counters`` row, ``certificates.submission:<agency>``) → take the next batch
number → claim, in one ``INSERT … SELECT``, every certificate event of the agency that is in
no batch yet (issued, revoked, replaced by a corrected certificate, paper reissued) → build
the JSON Lines and CSV files streaming the claimed rows from a server-side cursor (the full
ID numbers decrypted into the content) → store them encrypted (AES-GCM) with the manifest →
one audit entry, last, so the agency's audit chain is locked only for the commit. A batch
that fails or whose worker is killed leaves nothing: no batch, no claimed event, the counter
as it was; running again submits the same events. The unique constraint on
``(certificate, event, serial)`` makes every event land in exactly one batch.

The head lock is held while the files are built, but it only serialises submissions of the
same agency (issuing, revoking and the other agencies' submissions never wait for it); for
100,000 events the build time is not yet measured (decision 0052).
"""

# ruff: noqa: S608 - the SQL here interpolates only quoted table names of the models and fixed
# event names; every value is a parameter.
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    EVENT_ORDER,
    Certificate,
    FileKind,
    SubmissionBatch,
    SubmissionEvent,
    SubmissionFile,
    SubmissionItem,
)
from portal import access, audit, clock, counters
from portal.models import Agency, Audience
from portal.refusals import Refusal, refuse

KEY_PREFIX = "certificates.submission:"
SEQUENCE_MAX = 2_000_000_000
FORMAT = "portal.certificate-submission/1"
ENCRYPTION_PREFIX = b"sub1"

#: The columns of both files, in this order (docs/data-submission.md).
FIELDS = (
    "line", "event", "event_at", "certificate_number", "status", "holder_name", "id_type",
    "id_number", "occupation_code", "occupation_name", "work_type_name", "level_code",
    "level_display", "agency_name", "agency_uscc", "site_province", "issued_on",
    "revoked_at", "revoked_reason", "replaced_at", "replaced_by", "replaces",
    "reissued_on", "reissue_count",
)  # fmt: skip


def head_key(agency: Agency | int) -> str:
    """The ``portal.counters`` key of an agency's batches: its row is the submission head."""
    return f"{KEY_PREFIX}{agency.pk if isinstance(agency, Agency) else int(agency)}"


# --- Encryption at rest ----------------------------------------------------------------------


def _aad(batch_id: int, kind: str) -> bytes:
    # Bound to the batch and the format: a file copied onto another row does not decrypt.
    return f"certificates.submission:{batch_id}:{kind}".encode()


def encrypt_file(batch_id: int, kind: str, plain: bytes) -> tuple[str, bytes]:
    """``(key id, nonce + ciphertext)`` under the current ``SUBMISSION_ENCRYPTION_KEYS``."""
    key_id, key = next(iter(settings.SUBMISSION_ENCRYPTION_KEYS.items()))
    nonce = os.urandom(12)
    sealed = AESGCM(key[:32]).encrypt(nonce, plain, _aad(batch_id, kind))
    return key_id, ENCRYPTION_PREFIX + nonce + sealed


def decrypt_file(file: SubmissionFile) -> bytes:
    """The plain content of a stored file (its key must still be configured)."""
    blob = bytes(file.content)
    if not blob.startswith(ENCRYPTION_PREFIX):
        raise ValueError("not an encrypted submission file")
    try:
        key = settings.SUBMISSION_ENCRYPTION_KEYS[file.key_id]
    except KeyError as exc:
        raise ValueError(f"submission file encrypted under an unknown key {file.key_id!r}") from exc
    blob = blob[len(ENCRYPTION_PREFIX) :]
    return AESGCM(key[:32]).decrypt(blob[:12], blob[12:], _aad(file.batch_id, file.kind))


# --- Pending events ------------------------------------------------------------------------


def _pending_sql(where_agency: bool) -> str:
    """Every certificate event (of one agency, or of all) that is in no batch: one SELECT
    per kind of event, each with NOT EXISTS against the items (served by their unique
    index). Only table and column names of the models are interpolated."""
    q = connection.ops.quote_name
    cert, item = q(Certificate._meta.db_table), q(SubmissionItem._meta.db_table)
    if connection.vendor == "postgresql":
        reissued_at = f"(c.reissued_on::timestamp AT TIME ZONE '{settings.TIME_ZONE}')"
    else:  # SQLite (make run): dates and times are text
        reissued_at = "(c.reissued_on || ' 00:00:00')"
    agency = "c.agency_id = %s AND " if where_agency else ""
    head = "c.id AS cid, c.agency_id AS aid"

    def missing(event: str, serial: str = "0") -> str:
        return (
            f"NOT EXISTS (SELECT 1 FROM {item} i WHERE i.certificate_id = c.id "
            f"AND i.event = '{event}' AND i.serial = {serial})"
        )

    def part(event: str, serial: str, at: str, where: str) -> str:
        return (
            f"SELECT {head}, '{event}' AS event, {serial} AS serial, {at} AS at "
            f"FROM {cert} c WHERE {agency}{where}{missing(event, serial)}"
        )

    parts = [
        part("new", "0", "c.created_at", ""),
        part("revoked", "0", "c.revoked_at", "c.revoked_at IS NOT NULL AND "),
        part("replaced", "0", "c.replaced_at", "c.replaced_at IS NOT NULL AND "),
        part(
            "reissued",
            "c.reissue_count",
            reissued_at,
            "c.reissue_count > 0 AND c.reissued_on IS NOT NULL AND ",
        ),
    ]
    return " UNION ALL ".join(parts)


def _claim(batch: SubmissionBatch) -> int:
    """Put every pending event of the batch's agency up to its ``period_to`` into the batch;
    how many."""
    item = connection.ops.quote_name(SubmissionItem._meta.db_table)
    sql = (
        f"INSERT INTO {item} (batch_id, certificate_id, event, serial, event_at) "
        f"SELECT %s, e.cid, e.event, e.serial, e.at FROM ({_pending_sql(True)}) AS e "
        f"WHERE e.at <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.pk, *[batch.agency_id] * 4, batch.period_to])
        return cursor.rowcount


def oldest_pending(agency_ids: list[int] | None = None) -> dict[int, dt.datetime]:
    """``{agency id: time of its oldest event in no batch}`` for agencies with one."""
    sql = f"SELECT e.aid, MIN(e.at) FROM ({_pending_sql(False)}) AS e GROUP BY e.aid"
    out: dict[int, dt.datetime] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for agency_id, at in cursor.fetchall():
            if agency_ids is not None and agency_id not in agency_ids:
                continue
            if isinstance(at, str):
                at = dt.datetime.fromisoformat(at)
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.UTC)
            out[agency_id] = at
    return out


def pending_count(agency: Agency) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({_pending_sql(True)}) AS e", [agency.pk] * 4)
        return int(cursor.fetchone()[0])


# --- Files ---------------------------------------------------------------------------------


def _iso(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _rows(batch: SubmissionBatch) -> Iterator[dict]:
    """The batch's events in file order (time, then a certificate's issue before its later
    events), streamed from a server-side cursor, with the full ID number decrypted."""
    successor = Certificate.objects.filter(pk=OuterRef("certificate__replaced_by_id"))
    predecessor = Certificate.objects.filter(replaced_by_id=OuterRef("certificate_id"))
    items = (
        SubmissionItem.objects.filter(batch=batch)
        .annotate(
            replaced_by_number=Subquery(successor.values("number")[:1]),
            replaces_number=Subquery(predecessor.values("number")[:1]),
        )
        .values(
            "event",
            "serial",
            "event_at",
            "replaced_by_number",
            "replaces_number",
            "certificate__number",
            "certificate__status",
            "certificate__holder_name",
            "certificate__id_type",
            "certificate__id_number",
            "certificate__occupation_code",
            "certificate__occupation_name",
            "certificate__work_type_name",
            "certificate__level_code",
            "certificate__level_display",
            "certificate__agency_name",
            "certificate__site__province_id",
            "certificate__issued_on",
            "certificate__revoked_at",
            "certificate__revoked_reason",
            "certificate__replaced_at",
            "certificate__reissued_on",
        )
        .order_by("event_at", "certificate__number", "pk")
    )
    buffered: list[dict] = []
    # Events at the same instant are put in EVENT_ORDER (an issue before its revocation).
    for row in items.iterator(chunk_size=2000):
        if buffered and buffered[-1]["event_at"] != row["event_at"]:
            yield from sorted(buffered, key=lambda r: EVENT_ORDER[r["event"]])
            buffered = []
        buffered.append(row)
    yield from sorted(buffered, key=lambda r: EVENT_ORDER[r["event"]])


def _record(n: int, row: dict, agency: Agency) -> dict:
    c = lambda name: row[f"certificate__{name}"]  # noqa: E731
    revoked = row["event"] == SubmissionEvent.REVOKED
    replaced = row["event"] == SubmissionEvent.REPLACED
    return {
        "line": n,
        "event": row["event"],
        "event_at": _iso(row["event_at"]),
        "certificate_number": c("number"),
        "status": c("status"),
        "holder_name": c("holder_name"),
        "id_type": c("id_type"),
        # The full number, for the testing centre only: this content is encrypted at rest.
        "id_number": c("id_number") or "",  # decrypted by EncryptedIdField on read
        "occupation_code": c("occupation_code"),
        "occupation_name": c("occupation_name"),
        "work_type_name": c("work_type_name"),
        "level_code": c("level_code"),
        "level_display": c("level_display"),
        "agency_name": c("agency_name"),
        "agency_uscc": agency.uscc,
        "site_province": c("site__province_id") or "",
        "issued_on": _iso(c("issued_on")),
        "revoked_at": _iso(c("revoked_at")) if revoked else "",
        "revoked_reason": c("revoked_reason") if revoked else "",
        "replaced_at": _iso(c("replaced_at")) if replaced else "",
        "replaced_by": (row["replaced_by_number"] or "") if replaced else "",
        "replaces": (row["replaces_number"] or "") if row["event"] == "new" else "",
        "reissued_on": _iso(c("reissued_on")) if row["event"] == "reissued" else "",
        "reissue_count": row["serial"] if row["event"] == "reissued" else 0,
    }


@dataclass
class _Built:
    jsonl: bytes
    csv: bytes
    rows: int


#: Rows between two calls of ``submit_batch``'s ``progress``.
PROGRESS_EVERY = 1000


def _build(batch: SubmissionBatch, progress: Callable[[int], None] | None = None) -> _Built:
    jsonl, text = io.StringIO(), io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(FIELDS)
    n = 0
    for n, row in enumerate(_rows(batch), 1):
        record = _record(n, row, batch.agency)
        jsonl.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        jsonl.write("\n")
        writer.writerow([record[f] for f in FIELDS])
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    # CSV with a BOM so that spreadsheet programs read it as UTF-8 (docs/data-submission.md).
    return _Built(jsonl.getvalue().encode(), ("\ufeff" + text.getvalue()).encode(), n)


def file_name(batch: SubmissionBatch, kind: str) -> str:
    return f"submission-{batch.agency.uscc}-{batch.sequence:06d}.{kind}"


def _manifest(batch: SubmissionBatch, files: list[SubmissionFile]) -> dict:
    return {
        "format": FORMAT,
        "agency": {"id": batch.agency_id, "name": batch.agency.name, "uscc": batch.agency.uscc},
        "testing_centre": batch.jurisdiction,
        "sequence": batch.sequence,
        "period_from": _iso(batch.period_from) or None,
        "period_to": _iso(batch.period_to),
        "created_at": _iso(batch.created_at),
        "counts": {
            "new": batch.new_count,
            "revoked": batch.revoked_count,
            "replaced": batch.replaced_count,
            "reissued": batch.reissued_count,
        },
        "files": [
            {
                "name": file_name(batch, f.kind),
                "format": f.kind,
                "rows": f.rows,
                "bytes": f.size,
                "sha256": f.sha256,
            }
            for f in files
        ],
    }


def manifest_bytes(batch: SubmissionBatch) -> bytes:
    """The manifest as downloaded: JSON, sorted keys, UTF-8 (no personal data)."""
    return (
        json.dumps(batch.manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode()


# --- Submitting ---------------------------------------------------------------------------


class _NothingNew(Exception):
    """Raised inside the transaction to roll back an empty batch nobody asked for."""


def submit_refusal(agency: Agency, actor=None) -> Refusal | None:
    """Why ``actor`` cannot submit ``agency``'s data now (the page's button), or None."""
    if actor is not None and not access.can(actor, "certificates.submission.submit", agency):
        return Refusal(_("You may not submit this agency's data."), "forbidden")
    if not pending_count(agency):
        return Refusal(
            _(
                "Nothing to submit: every certificate issued, revoked, replaced or reissued "
                "is already in a batch."
            ),
            "nothing_new",
        )
    return None


def submit_batch(
    agency: Agency,
    *,
    actor=None,
    allow_empty: bool = False,
    progress: Callable[[int], None] | None = None,
    until: dt.datetime | None = None,
) -> SubmissionBatch | None:
    """Art 21: submit ``agency``'s certificate events not yet submitted to the testing centre
    as its next numbered batch, in one transaction (all or nothing). None when there is
    nothing new, unless ``allow_empty`` (the periodic job: an empty batch says "nothing
    happened in the period", decision 0052). ``actor`` None is the job. ``progress(rows)``
    is called every ``PROGRESS_EVERY`` rows written. ``until``: only the events up to that
    time (the end of the period covered; default now)."""
    if actor is not None:
        access.require(actor, "certificates.submission.submit", agency)
    key = head_key(agency)
    try:
        with transaction.atomic():
            counters.seed(key, 0)
            # The head: held to the commit, so one agency's batches are made one at a time.
            counters.Counter.objects.select_for_update().get(key=key)
            previous = SubmissionBatch.objects.filter(agency=agency).order_by("-sequence").first()
            now = clock.now()
            sequence = counters.allocate(key, 1, maximum=SEQUENCE_MAX)[0]
            batch = SubmissionBatch.objects.create(
                agency=agency,
                sequence=sequence,
                jurisdiction=agency.filing_jurisdiction or agency.registered_province_id,
                period_from=previous.period_to if previous else None,
                period_to=min(until, now) if until else now,
                created_at=now,
                created_by=actor,
            )
            claimed = _claim(batch)
            if not claimed and not allow_empty:
                raise _NothingNew
            counts = dict(
                SubmissionItem.objects.filter(batch=batch)
                .values_list("event")
                .annotate(n=Count("pk"))
                .values_list("event", "n")
            )
            batch.new_count = counts.get(SubmissionEvent.NEW, 0)
            batch.revoked_count = counts.get(SubmissionEvent.REVOKED, 0)
            batch.replaced_count = counts.get(SubmissionEvent.REPLACED, 0)
            batch.reissued_count = counts.get(SubmissionEvent.REISSUED, 0)
            built = _build(batch, progress)
            files = []
            for kind, plain in ((FileKind.JSONL, built.jsonl), (FileKind.CSV, built.csv)):
                key_id, stored = encrypt_file(batch.pk, kind, plain)
                files.append(
                    SubmissionFile(
                        batch=batch,
                        kind=kind,
                        key_id=key_id,
                        content=stored,
                        size=len(plain),
                        rows=built.rows,
                        sha256=hashlib.sha256(plain).hexdigest(),
                        stored_sha256=hashlib.sha256(stored).hexdigest(),
                    )
                )
            SubmissionFile.objects.bulk_create(files)
            batch.manifest = _manifest(batch, files)
            batch.save(
                update_fields=[
                    "new_count",
                    "revoked_count",
                    "replaced_count",
                    "reissued_count",
                    "manifest",
                ]
            )
            # Last, so the agency's audit chain is locked only from here to the commit.
            audit.record(
                actor,
                "certificates.submission.submit",
                batch,
                {
                    "sequence": [None, batch.sequence],
                    "events": [None, claimed],
                    "period_to": [None, _iso(batch.period_to)],
                },
                agency=agency,
                province=batch.jurisdiction,
                audience=Audience.AGENCY,
                actor_label=None if actor else _("scheduled data submission"),
            )
    except _NothingNew:
        return None
    return batch


# --- The periodic job ---------------------------------------------------------------------


def period_days() -> int | None:
    """``DATA_SUBMISSION_PERIOD`` as days, or None for "monthly"."""
    value = str(settings.DATA_SUBMISSION_PERIOD).strip().lower()
    if value == "monthly":
        return None
    if value == "weekly":
        return 7
    try:
        days = int(value)
    except ValueError as exc:
        raise ValueError(
            f"DATA_SUBMISSION_PERIOD must be 'monthly', 'weekly' or a number of days: {value!r}"
        ) from exc
    if days < 1:
        raise ValueError("DATA_SUBMISSION_PERIOD must be at least 1 day")
    return days


def period_start(now: dt.datetime) -> dt.datetime:
    """The start of the period ``now`` is in: the first of the month (Asia/Shanghai) for
    "monthly", else ``now`` minus the period."""
    days = period_days()
    if days is not None:
        return now - dt.timedelta(days=days)
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def submit_due() -> dict[str, int]:
    """The periodic job (``DATA_SUBMISSION_PERIOD``): a batch for every agency that has
    certificate events not yet submitted; and an empty batch for an agency that issues
    certificates but had nothing happen in a whole period (so the testing centre can tell
    "nothing happened" from "not submitted"). Safe to run twice: the second run finds
    nothing new and every period already covered."""
    now = clock.now()
    start = period_start(now)
    pending = set(oldest_pending())
    issuing = set(Certificate.objects.values_list("agency_id", flat=True).distinct())
    last = dict(
        SubmissionBatch.objects.values("agency")
        .annotate(last=Max("period_to"))
        .values_list("agency", "last")
    )
    done = {"batches": 0, "empty": 0}
    for agency in Agency.objects.filter(pk__in=pending | issuing).order_by("pk"):
        covered = last.get(agency.pk)
        if agency.pk in pending:
            batch = submit_batch(agency)
        elif covered is None or covered < start:
            batch = submit_batch(agency, allow_empty=True)
        else:
            continue
        if batch is not None:
            done["batches"] += 1
            done["empty"] += batch.total == 0
    return done


# --- Lateness ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LateAgency:
    agency: Agency
    oldest: dt.datetime
    working_days: int
    pending: int


def late_agencies(user) -> list[LateAgency]:
    """Agencies in ``user``'s jurisdiction whose oldest event not yet submitted is more than
    ``DATA_SUBMISSION_DUE_WORKING_DAYS`` working days old (Art 21), longest waiting first."""
    due = int(settings.DATA_SUBMISSION_DUE_WORKING_DAYS)
    today = clock.today()
    oldest = oldest_pending()
    if not oldest:
        return []
    agencies = Agency.objects.filter(pk__in=list(oldest))
    if user.jurisdiction != "000000":
        agencies = agencies.filter(filing_jurisdiction=user.jurisdiction)
    found = []
    earliest = min(timezone.localtime(t).date() for t in oldest.values())
    count = clock.working_days_counter(earliest, today)
    for agency in agencies:
        since = timezone.localtime(oldest[agency.pk]).date()
        waited = count(since, today)
        if waited > due:
            found.append(LateAgency(agency, oldest[agency.pk], waited, pending_count(agency)))
    return sorted(found, key=lambda a: a.oldest)


# --- Acknowledgement and downloads -------------------------------------------------------


def acknowledge_refusal(batch: SubmissionBatch, actor) -> Refusal | None:
    if not access.can(actor, "certificates.submission.review", batch):
        return Refusal(
            _("Only the testing centre of the agency's province may acknowledge."), "forbidden"
        )
    if batch.acknowledged:
        return Refusal(_("This batch has already been acknowledged."), "acknowledged")
    return None


def acknowledge_batch(actor, batch: SubmissionBatch, note: str = "") -> SubmissionBatch:
    """Art 21: the testing centre (national, or of the agency's province) confirms it
    received ``batch``, with an optional note."""
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep the note under 2,000 characters.")})
    with transaction.atomic():
        batch = (
            SubmissionBatch.objects.select_for_update().select_related("agency").get(pk=batch.pk)
        )
        access.require(actor, "certificates.submission.review", batch)
        refuse(acknowledge_refusal(batch, actor))
        batch.acknowledged_at = clock.now()
        batch.acknowledged_by = actor
        batch.acknowledgement_note = note
        batch.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
        audit.record(
            actor,
            "certificates.submission.acknowledge",
            batch,
            {"acknowledged": [False, True], "note": [None, note or None]},
            agency=batch.agency,
            province=batch.jurisdiction,
            audience=Audience.AGENCY,
        )
    return batch


def download(actor, batch: SubmissionBatch, kind: str) -> tuple[bytes, str, str]:
    """Art 21: the plain content of one of ``batch``'s files (``jsonl``, ``csv`` or
    ``manifest``), its file name and content type, for the testing centre only; every
    download is audited (who, which batch, which file)."""
    access.require(actor, "certificates.submission.download", batch)
    if kind == "manifest":
        data, ctype = manifest_bytes(batch), "application/json"
        name = file_name(batch, "manifest.json")
    else:
        if kind not in FileKind.values:
            raise ValidationError(_("Unknown file."), code="unknown_file")
        file = SubmissionFile.objects.get(batch=batch, kind=kind)
        data = decrypt_file(file)
        ctype = "application/x-ndjson" if kind == FileKind.JSONL else "text/csv"
        name = file_name(batch, kind)
    with transaction.atomic():
        audit.record(
            actor,
            "certificates.submission.download",
            batch,
            {"file": [None, name], "bytes": [None, len(data)]},
            agency=batch.agency,
            province=batch.jurisdiction,
            audience=Audience.AGENCY,
        )
    return data, name, f"{ctype}; charset=utf-8"
