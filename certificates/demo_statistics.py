"""Demo data of the certificate statistics (decision 0053): a few thousand synthetic
certificates over the last 18 months, at the demo agencies' sites in several provinces
(华夏, the nationwide demo agency, gets sites in four more provinces), in several
occupations and levels, a few of them revoked; then the statistics table is recounted.

They are real certificate rows (numbers from the counters, status-list entries, encrypted
synthetic ID numbers, holder 「统计演示N」), each tied to a session of its own site,
occupation and level marked 「统计演示」, so the table equals the underlying counts as it must.
``synthetic_certificates`` is also the tests' builder of many certificates at once.

Idempotent: once the synthetic certificates exist, a re-run only recounts.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import transaction

from certificates.models import Certificate, CertificateStatus, CertificateVariant
from portal import clock, codes, counters, pii

HOLDER = "统计演示"
CITY = "统计演示"
MONTHS = 18
# Occupations (code) of the synthetic sessions, with their share of the certificates.
OCCUPATIONS = (
    ("6-31-01-03", 30),  # 电工
    ("4-03-02-01", 22),  # 中式烹调师
    ("4-01-06-01", 14),  # 电子商务师
    ("4-04-05-05", 10),  # 人工智能训练师
    ("4-07-03-04", 9),  # 企业人力资源管理师
    ("4-02-07-08", 7),  # 快递员
    ("4-07-05-01", 5),  # 保安员
    ("4-03-02-07", 3),  # 茶艺师
)
LEVELS = (("5", 35), ("4", 35), ("3", 20), ("2", 8), ("1", 2))
# 华夏's extra sites (demo): province, city.
EXTRA_SITES = (("110000", "北京"), ("310000", "上海"), ("320000", "南京"), ("510000", "成都"))
TOTAL = 3000


def _resident_id(n: int) -> str:
    born = dt.date(1970, 1, 1) + dt.timedelta(days=n % 12000)
    first17 = f"110105{born:%Y%m%d}{n % 1000:03d}"
    return first17 + codes._resident_id_check_char(first17)


@dataclass
class Spec:
    """``n`` certificates of ``session`` issued on ``issued_on``, the first ``revoked`` of
    them revoked; ``site``, ``occupation`` (code, name) and ``level`` (code, display)
    default to the session's."""

    session: object
    n: int
    issued_on: dt.date
    revoked: int = 0
    site: object = None
    occupation: tuple[str, str] | None = None
    level: tuple[str, str] | None = None


def synthetic_certificates(specs: list[Spec], *, start: int = 0) -> list[int]:
    """The certificates of ``specs``, numbered from the counters (one contiguous range per
    key, in order of issue), with status-list entries, inserted with one COPY in one
    transaction, like an issuing batch but without results. Returns their ids."""
    from certificates.services import issuance, numbering, status

    specs = sorted(specs, key=lambda s: s.issued_on)
    now = clock.now()
    with transaction.atomic():
        scopes, wanted, known = [], {}, {}
        for spec in specs:
            site = spec.site or spec.session.site
            level = spec.level or (spec.session.level.code, spec.session.level.display)
            at = (site.pk, spec.issued_on.year, level[0])
            if at not in known:
                known[at] = numbering.scope_for(site, spec.issued_on.year, level[0])
            scope = known[at]
            key = numbering.counter_key(scope)
            scopes.append((site, level, scope, key))
            wanted[key] = wanted.get(key, 0) + spec.n
        taken = counters.allocate_many(wanted, maximum=numbering.SEQUENCE_MAX)
        used = dict.fromkeys(taken, 0)
        entries = iter(status.allocate_indexes(sum(s.n for s in specs)))
        rows, revoke, person = [], [], start
        for spec, (site, level, scope, key) in zip(specs, scopes, strict=True):
            span = taken[key][used[key] : used[key] + spec.n]
            used[key] += spec.n
            numbers = numbering.numbers_for(scope, span)
            revoke += numbers[: spec.revoked]
            occupation = spec.occupation or (
                spec.session.occupation.code,
                spec.session.occupation.name,
            )
            for number in numbers:
                entry = next(entries)
                plain = _resident_id(person)
                values = {
                    "number": number,
                    "token": issuance.new_token(),
                    "result_id": None,
                    "batch_id": None,
                    "holder_name": f"{HOLDER}{person}",
                    "id_type": "resident_id",
                    "id_number": pii.encrypt(plain),
                    "id_index": pii.blind_index("resident_id", plain),
                    "photo_id": None,
                    "occupation_code": occupation[0],
                    "occupation_name": occupation[1],
                    "work_type_name": "--",
                    "level_code": level[0],
                    "level_display": level[1],
                    "agency_name": site.agency.name,
                    "agency_id": site.agency_id,
                    "site_id": site.pk,
                    "basis": "{}",
                    "session_id": spec.session.pk,
                    "issued_on": spec.issued_on,
                    "variant": CertificateVariant.ZH,
                    "status": CertificateStatus.VALID,
                    "revoked_reason": "",
                    "status_list_id": entry[0].pk,
                    "status_index": entry[1],
                    "created_at": now,
                }
                rows.append(tuple(values[c] for c in issuance.COLUMNS))
                person += 1
        issuance._copy(rows, None)
        if revoke:
            Certificate.objects.filter(number__in=revoke).update(
                status=CertificateStatus.REVOKED,
                revoked_at=now,
                revoked_reason="演示：以欺骗手段取得证书",
            )
        numbers = [r[0] for r in rows]
        return list(
            Certificate.objects.filter(number__in=numbers)
            .order_by("number")
            .values_list("pk", flat=True)
        )


def _sites(agencies):
    """The demo agencies' sites with a serial, and 华夏's extra sites in four provinces."""
    from agencies.services.listing import next_site_serial
    from portal.models import AgencySite

    huaxia = next((a for a in agencies if a.agency_code == "0001"), None)
    if huaxia is not None:
        for province, city in EXTRA_SITES:
            if AgencySite.objects.filter(agency=huaxia, province_id=province).exists():
                continue
            with transaction.atomic():  # the serial's counter commits with the site
                AgencySite.objects.create(
                    agency=huaxia,
                    province_id=province,
                    name=f"{city}考核站（演示）",
                    address=f"{city}市演示路8号",
                    site_serial=next_site_serial(province),
                )
    return list(
        AgencySite.objects.filter(agency__in=agencies)
        .exclude(site_serial="")
        .select_related("agency", "province")
        .order_by("pk")
    )


def _venue(site):
    from assessments.models import Venue
    from portal.models import User

    venue = Venue.objects.filter(site=site, status="verified").first()
    if venue is None:
        venue = Venue.objects.create(
            site=site,
            name=f"{site.name}统计演示考场",
            address=site.address or "演示路8号",
            tenure="owned",
            recordings_kept_days=365,
            recordings_stored_at="机构档案室（演示）",
            status="verified",
            waiting_since=clock.now(),
            verified_on=clock.today(),
            verified_by=User.objects.filter(username="ministry").first(),
        )
    return venue


def _session(site, occupation, level, creator):
    from assessments.models import AssessmentSession

    found = AssessmentSession.objects.filter(
        site=site, occupation=occupation, level=level, city=CITY
    ).first()
    if found is not None:
        return found
    today = clock.today()
    return AssessmentSession.objects.create(
        agency=site.agency,
        site=site,
        venue=_venue(site),
        city=CITY,
        occupation=occupation,
        level=level,
        capacity=500,
        registration_opens=today - dt.timedelta(days=600),
        registration_closes=today - dt.timedelta(days=590),
        fee="0.00",
        how_to_register="统计演示数据，不接受报名",
        basis={"methods": []},
        basis_planned_on=today - dt.timedelta(days=610),
        status="archived",
        filed_at=clock.now(),
        created_by=creator,
    )


def _months_back(today: dt.date, k: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - k
    return dt.date(index // 12, index % 12 + 1, 1)


def seed(stdout=None, *, total: int = TOTAL) -> int:
    """Generate the synthetic certificates (once) and recount the statistics table.
    Returns the certificates generated now."""
    from catalog.models import Occupation, SkillLevel
    from certificates.services import statistics
    from portal.models import Agency, User

    started = time.monotonic()
    made = 0
    if not Certificate.objects.filter(holder_name__startswith=HOLDER).exists():
        from portal.demo import demo_agency

        # The agencies other than the one the demo accounts work in, so their pages stay
        # as the other demos left them.
        agencies = list(
            Agency.objects.filter(is_demo=True, status="listed")
            .exclude(agency_code="")
            .exclude(pk=demo_agency().pk)
            .order_by("pk")
        )
        creator = User.objects.filter(username="agency_admin").first()
        occupations = {
            o.code: o for o in Occupation.objects.filter(code__in=[c for c, _w in OCCUPATIONS])
        }
        levels = {lv.code: lv for lv in SkillLevel.objects.filter(code__in=list("12345"))}
        sites = _sites(agencies)
        if not (agencies and creator and occupations and levels and sites):
            return 0
        rng = random.Random(53)  # the same demo every time
        codes_ = [c for c, _w in OCCUPATIONS if c in occupations]
        weights = dict(OCCUPATIONS)
        # Each site assesses three occupations at three levels (a session for each pair).
        offer = {
            s.pk: (rng.sample(codes_, min(3, len(codes_))), rng.sample(["5", "4", "3", "2"], 3))
            for s in sites
        }
        site_weights = [3 if s.province_id == "440000" else 1 + (s.pk % 3) for s in sites]
        level_weights = dict(LEVELS)
        today = clock.today()
        month_weights = [MONTHS - k // 2 for k in range(MONTHS)]
        plan: dict[tuple, int] = {}
        for _i in range(total):
            site = rng.choices(sites, site_weights)[0]
            occ, lvls = offer[site.pk]
            code = rng.choices(occ, [weights[c] for c in occ])[0]
            level = rng.choices(lvls, [level_weights[lv] for lv in lvls])[0]
            month = _months_back(today, rng.choices(range(MONTHS), month_weights)[0])
            key = (site.pk, code, level, month)
            plan[key] = plan.get(key, 0) + 1
        by_site = {s.pk: s for s in sites}
        specs, sessions = [], {}
        for (site_pk, code, level, month), n in sorted(plan.items()):
            site = by_site[site_pk]
            if (site_pk, code, level) not in sessions:
                sessions[site_pk, code, level] = _session(
                    site, occupations[code], levels[level], creator
                )
            day = min(month + dt.timedelta(days=rng.randrange(28)), today)
            revoked = 1 if n >= 8 and rng.random() < 0.5 else 0
            occupation = (code, occupations[code].name)
            spec = Spec(sessions[site_pk, code, level], n, day, revoked=revoked, site=site)
            spec.occupation, spec.level = occupation, (level, levels[level].display)
            specs.append(spec)
        made = len(synthetic_certificates(specs, start=10_000))
    rows = statistics.recount(months=None)
    if stdout is not None:
        stdout.write(
            f"certificate statistics: {made} synthetic certificates, {rows} statistics rows "
            f"({time.monotonic() - started:.1f} s)"
        )
    return made
