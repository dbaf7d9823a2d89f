"""Reads of the list and the pools (Art 25, 26), and the risk facts of part 1 (decision 0057).

Each pool is read by the authority of its own jurisdiction only (``jurisdiction`` equal to the
user's), so another jurisdiction's rows are simply not there (404). The risk facts are bulk
functions over agency ids: one query each, whatever the number of agencies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import access, clock
from portal.models import Agency, AgencyStatus
from portal.roles import NATIONAL
from supervision import risk
from supervision.models import CheckItem, ConflictTag, Finding, RiskTier, Severity

#: The labels of the facts (shown in the reader's language; ``risk`` keeps a string).
FACT_LABELS = {
    "revocations": _("certificates revoked for cause"),
    "late_results": _("results published late"),
    "late_submission": _("certificate data submitted late"),
    "minor_findings": _("minor findings of earlier checks"),
    "serious_findings": _("serious findings of earlier checks"),
}

#: How far back revocations, late results and findings count (decision 0057).
LOOKBACK_DAYS = 3 * 365


def _since() -> dt.datetime:
    return clock.now() - dt.timedelta(days=LOOKBACK_DAYS)


def among(model, field: str, ids: list[int]):
    """``<model>.<field> IN ids`` as one array parameter on PostgreSQL (``= ANY(%s)``): with
    15,000 ids, 15,000 separate parameters cost ~0.7 s a query to build and send; SQLite
    (``make run``) gets the plain ``__in``."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": list(ids)})
    qn = connection.ops.quote_name
    column = f"{qn(model._meta.db_table)}.{qn(model._meta.get_field(field).column)}"
    sql = f"{column} = ANY(%s::bigint[])"  # only the model's table and column names
    return RawSQL(sql, (list(ids),), output_field=BooleanField())  # noqa: S611


# --- The check-item list -------------------------------------------------------------------------


def check_items_for(user) -> QuerySet[CheckItem]:
    """The check items of the user's own jurisdiction, for its officials (else none)."""
    if not access.can(user, "supervision.pools.items"):
        return CheckItem.objects.none()
    return CheckItem.objects.filter(jurisdiction=user.jurisdiction).select_related("created_by")


def active_check_items(jurisdiction: str) -> QuerySet[CheckItem]:
    """The published list of a jurisdiction: its items in use, by code."""
    return CheckItem.objects.filter(jurisdiction=jurisdiction, active=True).order_by("code")


# --- The pools -----------------------------------------------------------------------------------


def members_for(user, pool) -> QuerySet:
    """The entries of ``pool`` of the user's own jurisdiction, for its keepers (else none)."""
    if not access.can(user, pool.action):
        return pool.model.objects.none()
    return (
        pool.model.objects.filter(jurisdiction=user.jurisdiction)
        .select_related("user")
        .annotate(conflict_count=Count("conflicts"))
        .order_by("-active", "user__username")
    )


def conflicts_of(pool, entry) -> QuerySet[ConflictTag]:
    return ConflictTag.objects.filter(**{pool.tag_field: entry}).select_related("agency")


def search_members(rows: QuerySet, text: str) -> QuerySet:
    text = (text or "").strip()
    if not text:
        return rows
    return rows.filter(
        Q(user__username__icontains=text)
        | Q(user__real_name__icontains=text)
        | Q(organisation__icontains=text)
        | Q(specialities__icontains=text)
    )


# --- The risk facts (registered in supervision.registry.pools) ----------------------------------


def revocations(agency_ids: list[int]) -> dict[int, int]:
    """Certificates an agency issued that were revoked (for cause: a correction replaces a
    certificate instead) in the last ``LOOKBACK_DAYS`` days."""
    from certificates.models import Certificate, CertificateStatus

    rows = (
        Certificate.objects.filter(
            among(Certificate, "agency", agency_ids),
            status=CertificateStatus.REVOKED,
            revoked_at__gte=_since(),
        )
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    return dict(rows)


def _due_days(kind: str) -> int:
    from assessments.services.results import due_working_days

    return due_working_days(kind)


def late_results(agency_ids: list[int]) -> dict[int, int]:
    """Sessions whose results went on notice after their due day (Art 20: 5 working days
    after the last sitting for social organisations, 10 for employers), in the last
    ``LOOKBACK_DAYS`` days, or are past it and still not published today."""
    from assessments.models import AssessmentSession, Enrolment

    today = clock.today()
    start = today - dt.timedelta(days=LOOKBACK_DAYS)
    enrolled = Enrolment.objects.filter(session=OuterRef("pk"), status="enrolled")
    rows = list(
        AssessmentSession.objects.filter(
            among(AssessmentSession, "agency", agency_ids),
            Exists(enrolled),
            last_sitting_on__gte=start,
            last_sitting_on__lt=today,
            status__in=["filed", "open", "closed", "archived"],
        ).values_list("pk", "agency_id", "agency__kind", "last_sitting_on", "results_published_at")
    )
    if not rows:
        return {}
    earliest = min(r[3] for r in rows)
    count = clock.working_days_counter(earliest - dt.timedelta(days=1), today)
    due_cache: dict[tuple[dt.date, str], dt.date] = {}

    def due(last: dt.date, kind: str) -> dt.date:
        key = (last, kind)
        if key not in due_cache:
            wanted, day, seen = _due_days(kind), last, 0
            while seen < wanted and day < today:
                day += dt.timedelta(days=1)
                seen += count(day - dt.timedelta(days=1), day)
            due_cache[key] = day if seen >= wanted else today + dt.timedelta(days=1)
        return due_cache[key]

    late: Counter[int] = Counter()
    for _pk, agency_id, kind, last, published_at in rows:
        on = timezone.localtime(published_at).date() if published_at else today
        if on > due(last, kind):
            late[agency_id] += 1
    return dict(late)


def late_submission(agency_ids: list[int]) -> dict[int, int]:
    """1 for an agency whose oldest certificate event not yet sent to the testing centre is
    older than ``DATA_SUBMISSION_DUE_WORKING_DAYS`` working days (Art 21), as
    ``certificates.services.submission.late_agencies`` counts it."""
    from certificates.services.submission import oldest_pending

    wanted = set(agency_ids)
    oldest = {pk: at for pk, at in oldest_pending().items() if pk in wanted}
    if not oldest:
        return {}
    today = clock.today()
    due = int(settings.DATA_SUBMISSION_DUE_WORKING_DAYS)
    since = {pk: timezone.localtime(at).date() for pk, at in oldest.items()}
    count = clock.working_days_counter(min(since.values()), today)
    return {pk: 1 for pk, day in since.items() if count(day, today) > due}


def _findings(agency_ids: list[int], severity: str) -> dict[int, int]:
    from supervision.models import Inspection, QualityVisit

    inspections = Inspection.objects.filter(among(Inspection, "agency", agency_ids))
    visits = QualityVisit.objects.filter(among(QualityVisit, "agency", agency_ids))
    rows = (
        Finding.objects.filter(
            Q(inspection__in=inspections.values("pk")) | Q(visit__in=visits.values("pk")),
            severity=severity,
            recorded_at__gte=_since(),
        )
        .annotate(aid=Coalesce("inspection__agency_id", "visit__agency_id"))
        .values("aid")
        .annotate(n=Count("pk"))
        .values_list("aid", "n")
    )
    return dict(rows)


def minor_findings(agency_ids: list[int]) -> dict[int, int]:
    """Minor findings of earlier inspections and quality visits of the agency."""
    return _findings(agency_ids, Severity.MINOR)


def serious_findings(agency_ids: list[int]) -> dict[int, int]:
    """Serious findings of earlier inspections and quality visits of the agency."""
    return _findings(agency_ids, Severity.SERIOUS)


# --- The inspection-object pool page -------------------------------------------------------------


def listed_agencies(jurisdiction: str) -> QuerySet[Agency]:
    """The object pool of a spot check over agencies: those listed with the jurisdiction
    (as ``supervision.snapshot.object_rows`` seals it)."""
    return Agency.objects.filter(status=AgencyStatus.LISTED, filing_jurisdiction=jurisdiction)


def search_agencies(rows: QuerySet[Agency], text: str) -> QuerySet[Agency]:
    text = (text or "").strip()
    if not text:
        return rows
    return rows.filter(Q(name__icontains=text) | Q(uscc=text.upper()))


@dataclass(frozen=True)
class PoolRow:
    agency: Agency
    tier: RiskTier
    points: int
    facts: list[tuple[str, int, int]]  # (label, count, weight × count)


def rows_of(agencies: list[Agency], facts: dict[int, dict[str, int]]) -> list[PoolRow]:
    registered = risk.registered_facts()
    out = []
    for agency in agencies:
        counts = facts.get(agency.pk, {})
        score = risk.points(counts)
        shown = [
            (FACT_LABELS.get(name, registered[name].label), n, registered[name].weight * n)
            for name, n in counts.items()
            if name in registered
        ]
        out.append(PoolRow(agency, risk.tier_of(score), score, shown))
    return out


def object_pool(user, *, text: str = "", tier: int | None = None, page: int | str = 1):
    """A page of the user's object pool with each agency's computed tier and its facts.

    Without a tier filter the facts are computed for the agencies of the page only; with one,
    for every agency the text matches (in bulk: one query per fact), then paged in Python."""
    from django.core.paginator import Paginator

    jurisdiction = user.jurisdiction or NATIONAL
    rows = search_agencies(listed_agencies(jurisdiction), text).order_by("name", "pk")
    if tier is None:
        paged = Paginator(rows, PAGE_SIZE).get_page(page)
        agencies = list(paged.object_list)
        paged.object_list = rows_of(agencies, risk.facts_of([a.pk for a in agencies]))
        return paged
    ids = list(rows.values_list("pk", flat=True))
    tiers = risk.tiers(ids)
    wanted = [pk for pk in ids if tiers[pk] == tier]
    paged = Paginator(wanted, PAGE_SIZE).get_page(page)
    shown = list(paged.object_list)
    by_pk = Agency.objects.in_bulk(shown)
    paged.object_list = rows_of([by_pk[pk] for pk in shown], risk.facts_of(shown))
    return paged


PAGE_SIZE = 50


def fact_weights() -> dict:
    """What the object pool page explains above its table: each fact's weight, the tiers'
    thresholds."""
    registered = risk.registered_facts()
    return {
        "facts": [(FACT_LABELS.get(f.name, f.label), f.weight) for f in registered.values()],
        "thresholds": [(points, RiskTier(tier).label) for points, tier in risk.THRESHOLDS],
    }
