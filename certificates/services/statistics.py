"""Keeping the certificate statistics table up to date (Art 21, 24; decision 0053).

``CertificateStatistic`` has one row per key (month of issue, province of the site,
occupation code, level, agency). A row is never incremented: it is **recomputed** from the
certificates table, so running a refresh twice, late or concurrently gives the same row.

- ``refresh_keys(keys)``: the rows of these keys, one ``INSERT … SELECT … ON CONFLICT DO
  UPDATE`` over the keys (a key without certificates any more loses its row). It reads only
  the certificates of the keys' agencies and months (index ``cert_agency_issued_idx``), so it
  costs the same at 50 million certificates as at 50. Called once an issuing batch commits
  (``refresh_batch``, through the task ``refresh_batch_statistics``) and when a certificate
  is revoked or replaced (receivers of ``certificates.signals``).
- ``recount_agency(agency_id, since=None)``: every row of one agency from ``since`` on (all
  months when None), rebuilt from its certificates; ``recount(months=...)`` does this agency
  by agency (the periodic job: the recent months; ``recount(months=None)`` everything).

Concurrency: each refresh takes, in its transaction, a shared advisory lock on the agency
and an exclusive one on each key (in sorted order, so no deadlock), then counts in a new
statement. Under READ COMMITTED that statement's snapshot is taken after the lock, so it
sees every certificate committed before the previous refresh of the key finished: a slow
refresh can never overwrite a newer row with older counts. A recount takes the agency's
lock exclusively. Issuing certificates takes none of these locks: a batch's refresh runs
after it committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth

from certificates.models import Certificate, CertificateStatistic, CertificateStatus
from portal import clock, pagecache

KEY_LOCKS = 53001  # advisory lock namespaces (decision 0053)
AGENCY_LOCKS = 53002
CHUNK = 500  # keys per statement


class Key(NamedTuple):
    month: dt.date  # first day of the month of issue
    province_id: str
    occupation_code: str
    level_code: str
    agency_id: int


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def key_of(certificate: Certificate) -> Key:
    return Key(
        month_of(certificate.issued_on),
        certificate.site.province_id,
        certificate.occupation_code,
        certificate.level_code,
        certificate.agency_id,
    )


def keys_of(certificates) -> set[Key]:
    """The keys a queryset of certificates counts under (one query)."""
    found = (
        certificates.order_by()
        .annotate(m=TruncMonth("issued_on"))
        .values_list("m", "site__province_id", "occupation_code", "level_code", "agency_id")
        .distinct()
    )
    return {Key(_as_date(m), p, o, lv, a) for m, p, o, lv, a in found}


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _table() -> str:
    return connection.ops.quote_name(CertificateStatistic._meta.db_table)


# --- Refreshing keys ------------------------------------------------------------------------

_REFRESH_SQL = """
WITH k(month, province_id, occupation_code, level_code, agency_id) AS (VALUES {values}),
counted AS (
    SELECT k.month, k.province_id, k.occupation_code, k.level_code, k.agency_id,
           MAX(c.occupation_name) AS occupation_name, MAX(c.level_display) AS level_display,
           COUNT(c.id) AS issued,
           COUNT(c.id) FILTER (WHERE c.status = %s) AS revoked,
           COUNT(c.id) FILTER (WHERE c.status = %s) AS replaced
    FROM k
    LEFT JOIN (certificates_certificate c JOIN portal_agencysite st ON st.id = c.site_id)
      ON c.agency_id = k.agency_id
     AND c.issued_on >= k.month AND c.issued_on < (k.month + INTERVAL '1 month')::date
     AND c.occupation_code = k.occupation_code AND c.level_code = k.level_code
     AND st.province_id = k.province_id
    GROUP BY k.month, k.province_id, k.occupation_code, k.level_code, k.agency_id
),
gone AS (
    DELETE FROM {table} s USING counted
    WHERE counted.issued = 0 AND s.month = counted.month
      AND s.province_id = counted.province_id AND s.occupation_code = counted.occupation_code
      AND s.level_code = counted.level_code AND s.agency_id = counted.agency_id
    RETURNING s.id
)
INSERT INTO {table} (month, province_id, occupation_code, occupation_name, level_code,
                     level_display, agency_id, issued, revoked, replaced, refreshed_at)
SELECT month, province_id, occupation_code, occupation_name, level_code, level_display,
       agency_id, issued, revoked, replaced, %s
FROM counted WHERE issued > 0
ON CONFLICT (month, province_id, occupation_code, level_code, agency_id) DO UPDATE SET
    occupation_name = EXCLUDED.occupation_name, level_display = EXCLUDED.level_display,
    issued = EXCLUDED.issued, revoked = EXCLUDED.revoked, replaced = EXCLUDED.replaced,
    refreshed_at = EXCLUDED.refreshed_at
"""


def _lock(cursor, keys: list[Key]) -> None:
    agencies = sorted({k.agency_id for k in keys})
    cursor.execute(
        "SELECT pg_advisory_xact_lock_shared(%s, a) FROM unnest(%s::int[]) AS a ORDER BY a",
        [AGENCY_LOCKS, agencies],
    )
    names = sorted({"|".join(map(str, k)) for k in keys})
    cursor.execute(
        "SELECT pg_advisory_xact_lock(%s, h) FROM "
        "(SELECT DISTINCT hashtext(n) AS h FROM unnest(%s::text[]) AS n) AS x ORDER BY h",
        [KEY_LOCKS, names],
    )


def refresh_keys(keys: Iterable[Key]) -> int:
    """Art 21: recompute the rows of ``keys`` from the certificates (idempotent, safe under
    concurrency). Returns the number of keys refreshed."""
    keys = sorted(set(keys))
    if not keys:
        return 0
    now = clock.now()
    with transaction.atomic():
        if connection.vendor != "postgresql":
            _refresh_orm(keys, now)
        else:
            with connection.cursor() as cursor:
                _lock(cursor, keys)
                for start in range(0, len(keys), CHUNK):
                    part = keys[start : start + CHUNK]
                    values = ", ".join(["(%s::date, %s, %s, %s, %s::integer)"] * len(part))
                    sql = _REFRESH_SQL.replace("{values}", values).replace("{table}", _table())
                    params = [v for k in part for v in k]
                    params += [CertificateStatus.REVOKED, CertificateStatus.REPLACED, now]
                    cursor.execute(sql, params)
        pagecache.changed()  # raw SQL and no audit entry: the public page's cache must hear
    return len(keys)


def _counts(certificates):
    return certificates.aggregate(
        issued=Count("id"),
        revoked=Count("id", filter=Q(status=CertificateStatus.REVOKED)),
        replaced=Count("id", filter=Q(status=CertificateStatus.REPLACED)),
        occupation_name=Max("occupation_name"),
        level_display=Max("level_display"),
    )


def _refresh_orm(keys: list[Key], now) -> None:
    """The same recount through the ORM, for SQLite (``make run``); not for scale."""
    for k in keys:
        nxt = (k.month + dt.timedelta(days=32)).replace(day=1)
        counts = _counts(
            Certificate.objects.filter(
                agency_id=k.agency_id,
                issued_on__gte=k.month,
                issued_on__lt=nxt,
                occupation_code=k.occupation_code,
                level_code=k.level_code,
                site__province_id=k.province_id,
            )
        )
        lookup = dict(k._asdict())
        if not counts["issued"]:
            CertificateStatistic.objects.filter(**lookup).delete()
            continue
        CertificateStatistic.objects.update_or_create(
            **lookup, defaults={**counts, "refreshed_at": now}
        )


def refresh_batch(batch_id: int) -> int:
    """The rows of the keys an issuing batch added to (after it committed)."""
    return refresh_keys(keys_of(Certificate.objects.filter(batch_id=batch_id)))


def refresh_certificates(*certificates: Certificate) -> int:
    """The rows of these certificates' keys (a revocation, a correction)."""
    return refresh_keys(key_of(c) for c in certificates if c is not None and c.pk is not None)


# --- Recounting agency by agency (the periodic job) -----------------------------------------

_RECOUNT_SQL = """
INSERT INTO {table} (month, province_id, occupation_code, occupation_name, level_code,
                     level_display, agency_id, issued, revoked, replaced, refreshed_at)
SELECT date_trunc('month', c.issued_on)::date, st.province_id, c.occupation_code,
       MAX(c.occupation_name), c.level_code, MAX(c.level_display), c.agency_id, COUNT(*),
       COUNT(*) FILTER (WHERE c.status = %s), COUNT(*) FILTER (WHERE c.status = %s), %s
FROM certificates_certificate c JOIN portal_agencysite st ON st.id = c.site_id
WHERE c.agency_id = %s AND c.issued_on >= %s
GROUP BY 1, 2, 3, 5, 7
ON CONFLICT (month, province_id, occupation_code, level_code, agency_id) DO UPDATE SET
    occupation_name = EXCLUDED.occupation_name, level_display = EXCLUDED.level_display,
    issued = EXCLUDED.issued, revoked = EXCLUDED.revoked, replaced = EXCLUDED.replaced,
    refreshed_at = EXCLUDED.refreshed_at
"""

EPOCH = dt.date(1900, 1, 1)


def recount_agency(agency_id: int, since: dt.date | None = None) -> int:
    """Art 21: rebuild the rows of one agency from the month of ``since`` on (everything
    when None) from its certificates. Returns the rows it holds now for that period."""
    since = month_of(since) if since else EPOCH
    now = clock.now()
    with transaction.atomic():
        stale = CertificateStatistic.objects.filter(agency_id=agency_id, month__gte=since)
        if connection.vendor != "postgresql":
            keys = keys_of(Certificate.objects.filter(agency_id=agency_id, issued_on__gte=since))
            keys |= {Key(*row) for row in stale.values_list(*Key._fields)}
            _refresh_orm(sorted(keys), now)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [AGENCY_LOCKS, agency_id])
                sql = _RECOUNT_SQL.replace("{table}", _table())
                params = [CertificateStatus.REVOKED, CertificateStatus.REPLACED, now]
                cursor.execute(sql, [*params, agency_id, since])
            stale.exclude(refreshed_at=now).delete()  # keys whose certificates are gone
        pagecache.changed()
        return CertificateStatistic.objects.filter(agency_id=agency_id, month__gte=since).count()


def recount(months: int | None = 2) -> int:
    """Rebuild the rows of the last ``months`` months (this one included; None: all of
    them), one agency per transaction. Returns the rows rebuilt."""
    from portal.models import Agency

    since = None
    if months is not None:
        today = clock.today()
        index = today.year * 12 + today.month - 1 - (max(1, months) - 1)
        since = dt.date(index // 12, index % 12 + 1, 1)
    agencies = set(Agency.objects.values_list("pk", flat=True))
    agencies |= set(CertificateStatistic.objects.values_list("agency_id", flat=True).distinct())
    return sum(recount_agency(pk, since) for pk in sorted(agencies))


def recount_recent() -> str:
    """The periodic job: the months that still change (``CERTIFICATE_STATISTICS_MONTHS``)."""
    from django.conf import settings

    months = settings.CERTIFICATE_STATISTICS_MONTHS
    return f"{recount(months)} rows"
