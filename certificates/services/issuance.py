"""Issuing certificates from final passing results (Art 20; decisions 0041, 0042).

``issue_certificates`` does the whole batch in one transaction: lock the sessions → access →
refusals (agency suspended or removed today, unable to assess on the last sitting date,
results not final, site without serial) → the final passing results without a certificate
(``assessments.queries.final_passed_results``) → one contiguous range of numbers per counter
key (``portal.counters``, one lock per key) → random status-list entries → the certificates
inserted in chunks, holder and facts frozen → ``assessments.services.record_certificates_issued``
→ one audit entry for the batch naming its range. A batch that fails or is killed leaves
nothing: no certificate, no number taken, no batch. Issuing again issues nothing new (a
unique constraint on the source result).

The browser and the command go through ``request_issuance`` (checks, a queued batch, the
Celery task ``certificates.tasks.run_issuance`` on commit) and ``run_batch``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils.translation import gettext as _

from agencies.services import assessment_refusal
from assessments.models import AssessmentSession, Result, ResultStatus
from assessments.queries import final_passed_results
from assessments.services import record_certificates_issued
from certificates.models import (
    NO_WORK_TYPE,
    Certificate,
    CertificateStatus,
    CertificateVariant,
    IssuanceBatch,
    IssuanceState,
)
from certificates.services import numbering, status
from portal import access, audit, clock, counters, pii
from portal.jobs.background import enqueue
from portal.models import AgencyStatus, Audience
from portal.refusals import Refusal, refuse

Progress = Callable[[int, int], None]
TOKEN_BYTES = 18  # 24 URL-safe characters, 144 random bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def chunk_size() -> int:
    return max(1, int(getattr(settings, "CERTIFICATE_ISSUE_CHUNK", 2000)))


# --- Refusals -------------------------------------------------------------------------------


def session_refusal(session: AssessmentSession, *, today: dt.date | None = None) -> Refusal | None:
    """Why the certificates of ``session`` cannot be issued now, or None (Art 20)."""
    today = today or clock.today()
    agency = session.agency
    if agency.status in (AgencyStatus.SUSPENDED, AgencyStatus.REMOVED):
        return Refusal(
            assessment_refusal(agency, on=today) or _("The agency may not issue certificates."),
            "agency_not_active",
        )
    if session.last_sitting_on is None:
        return Refusal(_("The session has no sitting, so it has no result."), "no_sitting")
    reason = assessment_refusal(agency, on=session.last_sitting_on)
    if reason:
        return Refusal(
            _("The agency could not assess on the session's last sitting day: %(reason)s")
            % {"reason": reason},
            "agency_not_active",
        )
    pending = Result.objects.filter(session=session).exclude(status=ResultStatus.FINAL)
    if pending.exists() or not Result.objects.filter(session=session).exists():
        return Refusal(
            _(
                "The results of this session are not final yet: certificates are issued only "
                "after the public notice closed without an upheld objection."
            ),
            "results_not_final",
        )
    return numbering.site_refusal(session.site)


def issue_refusal(sessions: Sequence[AssessmentSession], actor=None) -> Refusal | None:
    """The first refusal among ``sessions``, or None (for the page's button)."""
    if not sessions:
        return Refusal(_("Choose at least one session."), "no_session")
    if len({s.agency_id for s in sessions}) > 1:
        return Refusal(_("One batch issues for one agency's sessions."), "several_agencies")
    for session in sessions:
        if actor is not None and not access.can(actor, "certificates.issue", session):
            return Refusal(_("You may not issue certificates of this session."), "forbidden")
        found = session_refusal(session)
        if found:
            if len(sessions) > 1:
                return Refusal(f"{session.pk}: {found}", found.code)
            return found
    return None


# --- The batch ------------------------------------------------------------------------------


@dataclass
class _Row:
    result: object  # assessments.queries.PassedResult
    session: AssessmentSession
    scope: numbering.NumberScope
    basis_json: str


def _locked_sessions(ids: Iterable[int]) -> list[AssessmentSession]:
    return list(
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related(
            "agency", "site__agency", "site__province", "occupation", "work_type", "level"
        )
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
    )


def _require_access(actor, sessions: list[AssessmentSession]) -> None:
    for session in sessions:
        access.require(actor, "certificates.issue", session)


def _pending_rows(
    sessions: list[AssessmentSession], today: dt.date, only: set[int] | None = None
) -> tuple[list[_Row], int]:
    """The final passing results still without a certificate, and how many already have one
    (``only``: just these results, e.g. the demo's one bilingual certificate)."""
    rows: list[_Row] = []
    skipped = 0
    for session in sessions:
        passed = final_passed_results(session)
        if only is not None:
            passed = [r for r in passed if r.result_id in only]
        issued = set(
            Certificate.objects.filter(session=session).values_list("result_id", flat=True)
        )
        scope = numbering.scope_for(session.site, today.year, session.level.code)
        basis = json.dumps(session.basis, ensure_ascii=False, cls=DjangoJSONEncoder)
        for result in passed:
            if result.result_id in issued:
                skipped += 1
            else:
                rows.append(_Row(result, session, scope, basis))
    return rows, skipped


#: The columns the issuing COPY writes, in this order (``_frozen`` gives the values).
COLUMNS = (
    "number", "token", "result_id", "batch_id", "holder_name", "id_type", "id_number",
    "id_index", "photo_id", "occupation_code", "occupation_name", "work_type_name",
    "level_code", "level_display", "agency_name", "agency_id", "site_id", "basis",
    "session_id", "issued_on", "variant", "status", "revoked_reason", "status_list_id",
    "status_index", "created_at",
)  # fmt: skip


def _frozen(row: _Row, number: str, entry, batch: IssuanceBatch, today: dt.date, now) -> tuple:
    """One certificate's column values, frozen from the result: the ID encrypted and indexed
    here exactly as ``portal.pii.EncryptedIdField`` does on save."""
    r, s = row.result, row.session
    plain = pii.normalise(r.id_type, r.id_number)
    return (
        number,
        new_token(),
        r.result_id,
        batch.pk,
        r.real_name,
        r.id_type,
        pii.encrypt(plain) if plain else "",
        pii.blind_index(r.id_type, plain),
        r.photo.pk if r.photo else None,
        r.occupation.code,
        r.occupation.name,
        (r.work_type.name if r.work_type else "") or NO_WORK_TYPE,
        r.level.code,
        r.level.display,
        s.agency.name,
        s.agency_id,
        s.site_id,
        row.basis_json,
        s.pk,
        today,
        batch.variant,
        CertificateStatus.VALID,
        "",
        entry[0].pk,
        entry[1],
        now,
    )


def _copy(rows: list[tuple], progress: Progress | None) -> None:
    """Insert the rows with PostgreSQL COPY (in the caller's transaction), reporting every
    ``chunk_size()`` rows; elsewhere (SQLite) through ``bulk_create``."""
    total, size = len(rows), chunk_size()
    if connection.vendor != "postgresql":
        for start in range(0, total, size):
            Certificate.objects.bulk_create(
                [
                    Certificate(**dict(zip(COLUMNS, values, strict=True)))
                    for values in rows[start : start + size]
                ]
            )
            if progress is not None:
                progress(min(start + size, total), total)
        return
    table = connection.ops.quote_name(Certificate._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for n, values in enumerate(rows, 1):
            copy.write_row(values)
            if progress is not None and (n % size == 0 or n == total):
                progress(n, total)


def issue_certificates(
    actor,
    sessions: Sequence[AssessmentSession | int],
    *,
    variant: str = CertificateVariant.ZH,
    batch: IssuanceBatch | None = None,
    progress: Progress | None = None,
    only_results: Iterable[int] | None = None,
) -> IssuanceBatch:
    """Art 20: issue one certificate for each final passing result of ``sessions`` that has
    none yet, in one transaction (all or nothing). Returns the batch (``done`` certificates
    issued now, ``skipped`` already issued before). ``progress(done, total)`` is called
    after each inserted chunk (the page's progress bar); ``only_results`` limits the batch
    to those result ids."""
    if variant not in CertificateVariant.values:
        raise ValidationError({"variant": _("Choose the language of the certificates.")})
    ids = [s.pk if isinstance(s, AssessmentSession) else int(s) for s in sessions]
    today = clock.today()
    with transaction.atomic():
        locked = _locked_sessions(ids)
        if len(locked) != len(set(ids)):
            raise ValidationError(_("A session was not found."), code="not_found")
        _require_access(actor, locked)
        refuse(issue_refusal(locked))
        only = set(only_results) if only_results is not None else None
        rows, skipped = _pending_rows(locked, today, only)
        agency = locked[0].agency
        if batch is None:
            batch = IssuanceBatch.objects.create(
                agency=agency,
                variant=variant,
                requested_by=actor,
                requested_at=clock.now(),
                state=IssuanceState.RUNNING,
                started_at=clock.now(),
            )
            batch.sessions.set(locked)
        else:
            batch = IssuanceBatch.objects.select_for_update().get(pk=batch.pk)
        # One contiguous range per counter key, locked in sorted key order (no deadlock).
        by_key: dict[str, list[_Row]] = {}
        for row in rows:
            by_key.setdefault(numbering.counter_key(row.scope), []).append(row)
        ranges = (
            counters.allocate_many(
                {key: len(group) for key, group in by_key.items()},
                maximum=numbering.SEQUENCE_MAX,
            )
            if by_key
            else {}
        )
        entries = status.allocate_indexes(len(rows)) if rows else []
        now = clock.now()
        rows_out: list[tuple] = []
        for key in sorted(by_key):
            group, scope = by_key[key], by_key[key][0].scope
            numbers = numbering.numbers_for(scope, ranges[key])
            for row, number in zip(group, numbers, strict=True):
                rows_out.append(_frozen(row, number, entries[len(rows_out)], batch, today, now))
        total = len(rows_out)
        _copy(rows_out, progress)
        issued_by_session: dict[int, dict[int, str]] = {}
        for values in rows_out:
            issued_by_session.setdefault(values[18], {})[values[2]] = values[0]
        for session in locked:
            record_certificates_issued(session, issued_by_session.get(session.pk, {}))
        numbers = sorted(values[0] for values in rows_out)
        batch.state = IssuanceState.DONE
        batch.total = total
        batch.done = total
        batch.skipped = skipped
        batch.ranges = {key: [r[0], r[-1]] for key, r in ranges.items()}
        batch.first_number = numbers[0] if numbers else ""
        batch.last_number = numbers[-1] if numbers else ""
        batch.error = ""
        batch.finished_at = clock.now()
        batch.save(
            update_fields=[
                "state",
                "total",
                "done",
                "skipped",
                "ranges",
                "first_number",
                "last_number",
                "error",
                "finished_at",
            ]
        )
        audit.record(
            actor,
            "certificates.batch.issue",
            batch,
            {
                "certificates": [None, total],
                "already_issued": [None, skipped],
                "first": [None, batch.first_number or None],
                "last": [None, batch.last_number or None],
                "ranges": [None, _describe_ranges(by_key, ranges)],
                "variant": [None, variant],
            },
            objects=locked,
            agency=agency,
            audience=Audience.AGENCY,
        )
        if total:  # signed once this commits, never inside it (decision 0044)
            from certificates import tasks

            enqueue(tasks.sign_batch_credentials, batch.pk)
        if total:  # the statistics of the batch's keys, once this commits (decision 0053)
            from certificates import tasks as _tasks

            enqueue(_tasks.refresh_batch_statistics, batch.pk)
    return batch


def _describe_ranges(by_key: dict, ranges: dict) -> str:
    """``S000044000101264000001–000250`` per key, for the audit entry."""
    parts = []
    for key in sorted(ranges):
        head = by_key[key][0].scope.head
        parts.append(f"{head}{ranges[key][0]:06d}–{ranges[key][-1]:06d}")
    return "; ".join(parts)


# --- From the browser and the command: a queued batch and its task -------------------------


def _progress_key(batch_id: int) -> str:
    return f"certificates:batch:{batch_id}:done"


def batch_progress(batch: IssuanceBatch) -> dict:
    """What the progress bar shows; while the batch runs, its count lives in the cache
    (the transaction's rows are invisible to other connections until it commits)."""
    done, total = batch.done, batch.total
    if batch.state == IssuanceState.RUNNING:
        cached = cache.get(_progress_key(batch.pk))
        if cached:
            done, total = cached
    percent = 100 if batch.finished else (int(100 * done / total) if total else 0)
    return {
        "state": batch.state,
        "done": done,
        "total": total,
        "skipped": batch.skipped,
        "percent": percent,
        "first": batch.first_number,
        "last": batch.last_number,
        "error": batch.error,
    }


@transaction.atomic
def request_issuance(
    actor, sessions: Sequence[AssessmentSession], *, variant: str = CertificateVariant.ZH
) -> IssuanceBatch:
    """Art 20: queue a batch for ``sessions`` (checked now, issued by the Celery task
    ``run_issuance`` once this commits; eagerly under ``make run``)."""
    from certificates import tasks

    locked = _locked_sessions([s.pk for s in sessions])
    if not locked:
        raise ValidationError(_("Choose at least one session."), code="no_session")
    _require_access(actor, locked)
    refuse(issue_refusal(locked))
    if variant not in CertificateVariant.values:
        raise ValidationError({"variant": _("Choose the language of the certificates.")})
    total = sum(
        Result.objects.filter(session=s, status="final", outcome="passed")
        .exclude(certificate__isnull=False)
        .count()
        for s in locked
    )
    batch = IssuanceBatch.objects.create(
        agency=locked[0].agency,
        variant=variant,
        requested_by=actor,
        requested_at=clock.now(),
        state=IssuanceState.QUEUED,
        total=total,
    )
    batch.sessions.set(locked)
    enqueue(tasks.run_issuance, batch.pk)
    return batch


def run_batch(batch_id: int) -> IssuanceBatch:
    """Run a queued batch (the task; idempotent: a finished batch is left as it is, a batch
    whose worker died is run again from the start, since nothing of it was kept)."""
    batch = IssuanceBatch.objects.select_related("requested_by").get(pk=batch_id)
    if batch.finished:
        return batch
    IssuanceBatch.objects.filter(pk=batch.pk).update(
        state=IssuanceState.RUNNING, started_at=clock.now()
    )
    batch.state = IssuanceState.RUNNING
    key = _progress_key(batch.pk)

    def report(done: int, total: int) -> None:
        cache.set(key, (done, total), 3600)

    sessions = list(batch.sessions.values_list("pk", flat=True))
    try:
        return issue_certificates(
            batch.requested_by, sessions, variant=batch.variant, batch=batch, progress=report
        )
    except (ValidationError, PermissionDenied) as exc:
        message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        IssuanceBatch.objects.filter(pk=batch.pk).update(
            state=IssuanceState.FAILED, error=message, finished_at=clock.now()
        )
        batch.refresh_from_db()
        return batch
    finally:
        cache.delete(key)
