"""Load N synthetic certificates into PostgreSQL with COPY (issue 17, "Speed and scale").

    .venv/bin/python bench/load_certificates.py [--rows 200000] [--database NAME]
        [--indexes after|before] [--replace] [--keep]

A database of its own (``--database``, default ``bench_certs_<rows>``, next to DATABASE_URL's),
with its own throwaway keys under ``var/bench/<database>/keys`` (kept beside it, since its
blind indexes and ciphertexts are only readable with them; ``bench/lookup_throughput.py``
serves it with the same keys): migrated, the demo data loaded (``seed_demo``: real agencies,
sites and sessions for the certificates to point at), then ``--rows`` certificates written
by COPY in chunks of ``CHUNK`` rows, each chunk its own transaction, and ``--legacy``
(default rows / 20) imported legacy records (``load_legacy``), so the lookup's statements on
both tables run against real sizes.

What a row holds (``synthetic_rows``): a holder with a Chinese name (weighted surnames, now
and then a minority name with a middle dot) and a resident ID with a valid check character
whose region and birth date are plausible (about one holder in seven holds several
certificates); the ID **really encrypted** (AES-GCM under the database's key, as
``portal.pii.encrypt``) and its blind index computed by ``portal.pii.blind_index``; a
22-character number that passes the check constraint, unique per (site prefix, year, level)
with sequences from 000001, over a few thousand synthetic sites weighted by province, years
2019 to this year and levels weighted towards 五级/四级; a random unique token; one entry of a
fresh ``StatusList`` per row (a random permutation of each list); 0.3 % revoked with a date
and reason. ``result`` and ``batch`` are NULL (allowed since corrected certificates exist),
``agency``/``site``/``session`` and the occupation/level facts come from the demo data.

``--indexes after`` (the default) drops the certificate table's indexes, unique and foreign
key constraints (not the primary key or the check constraints) before COPY and builds them
afterwards, timing each; ``before`` keeps them during COPY. Prints rows per second (rows
generated and written), the index build time and the table's size on disk.

The smoke test (``tests/certificates/test_bench_generator.py``) calls ``load`` directly.
"""

from __future__ import annotations

import argparse
import base64
import bisect
import contextlib
import datetime as dt
import itertools
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
CHUNK = 250_000
REVOKED_SHARE = 0.003
REPEAT_HOLDER_SHARE = 0.15
SITES = 4000

# Weights roughly by population / skill-certificate activity.
PROVINCE_WEIGHTS = {
    "11": 2, "12": 1.5, "13": 5, "14": 3, "15": 2, "21": 3, "22": 2, "23": 2.5, "31": 2.5,
    "32": 7, "33": 6, "34": 5, "35": 4, "36": 3.5, "37": 8, "41": 8, "42": 5, "43": 5,
    "44": 10, "45": 4, "46": 1, "50": 3, "51": 7, "52": 3, "53": 3.5, "54": 0.3, "61": 3.5,
    "62": 2, "63": 0.5, "64": 0.6, "65": 2, "66": 0.4,
}  # fmt: skip
LEVEL_WEIGHTS = {"5": 30, "4": 35, "3": 24, "2": 8, "1": 3}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文斌辉鹏宇浩然子轩欣怡"
    "梓涵雨萱晨阳思远嘉怡俊杰志强海燕春梅丹丹晓东小龙佳琪婷婷一鸣雪梅立新永红德福"
)
MINORITY = ("阿依古丽·买买提", "艾克拜尔·吐尔逊", "古丽娜尔·阿不都", "扎西·次仁", "巴特尔·额尔敦")
REASONS = (
    "The certificate was obtained by fraud (Art 27).",
    "The assessment was found irregular in a spot check.",
    "Issued on a forged eligibility document.",
)


def _id_check_char(first17: str) -> str:
    from portal.codes import _ID_CHECK_CHARS, _ID_WEIGHTS

    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def resident_id(rng: random.Random, province: str, today: dt.date) -> str:
    """A resident ID of ``province`` that passes ``portal.codes.parse_resident_id``: region
    ``PP CC DD``, born 18 to 60 years ago, a sequence, and its check character."""
    r = rng.random
    region = f"{province}{1 + int(r() * 20):02d}{1 + int(r() * 30):02d}"
    born = today - dt.timedelta(days=18 * 366 + int(r() * 42 * 365))
    first17 = f"{region}{born:%Y%m%d}{int(r() * 1000):03d}"
    return first17 + _id_check_char(first17)


def holder_name(rng: random.Random) -> str:
    r = rng.random
    if r() < 0.01:
        return MINORITY[int(r() * len(MINORITY))]
    given = GIVEN[int(r() * len(GIVEN))]
    if r() < 0.7:
        given += GIVEN[int(r() * len(GIVEN))]
    return SURNAMES[int(r() * len(SURNAMES))] + given


def _picker(rng: random.Random, items: list, weights) -> Callable[[], object]:
    """A weighted choice by one ``random()`` and a bisection (``rng.choices`` costs more)."""
    cum = list(itertools.accumulate(weights))
    total, r = cum[-1], rng.random
    return lambda: items[bisect.bisect(cum, r() * total)]


def _escape(text: str) -> str:
    """COPY text format: backslash, tab and newlines escaped."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


#: The columns COPY writes, in this order (the rest take their defaults or NULL).
COLUMNS = (
    "number", "token", "holder_name", "id_type", "id_number", "id_index",
    "occupation_code", "occupation_name", "work_type_name", "level_code", "level_display",
    "agency_name", "agency_id", "site_id", "basis", "session_id", "issued_on", "variant",
    "status", "revoked_at", "revoked_reason", "status_list_id", "status_index", "created_at",
)  # fmt: skip


def _context() -> dict:
    """What the rows point at or copy: the demo's (or the test world's) sessions, their
    sites and agencies; occupations and levels of the catalogue; numbers already taken."""
    from django.core.serializers.json import DjangoJSONEncoder

    from assessments.models import AssessmentSession
    from catalog.models import Occupation, SkillLevel
    from certificates.models import Certificate

    sessions = list(AssessmentSession.objects.select_related("agency", "site").order_by("pk")[:50])
    if not sessions:
        raise SystemExit("No assessment session to point at: load the demo data first.")
    occupations = list(Occupation.objects.order_by("code").values_list("code", "name")[:200])
    levels = {lv.code: lv.display for lv in SkillLevel.objects.filter(code__in=LEVEL_WEIGHTS)}
    taken = set(
        Certificate.objects.values_list("number", flat=True)
    )  # the demo's few; ours never collide with them (checked per number)
    return {
        "sessions": [
            (
                s.pk,
                s.site_id,
                s.agency_id,
                _escape(s.agency.name),
                _escape(json.dumps(s.basis, ensure_ascii=False, cls=DjangoJSONEncoder)),
            )
            for s in sessions
        ],
        "occupations": occupations or [("6-31-01-03", "电工")],
        "levels": levels,
        "taken": taken,
    }


def _status_lists(n: int) -> list[int]:
    """Fresh status lists enough for ``n`` entries, marked allocated; their pks."""
    from certificates.models import STATUS_LIST_SIZE, StatusList

    pks = []
    left = n
    while left > 0:
        take = min(left, STATUS_LIST_SIZE)
        pks.append(StatusList.objects.create(size=STATUS_LIST_SIZE, allocated=take).pk)
        left -= take
    return pks


def synthetic_rows(n: int, *, seed: int, context: dict, lists: list[int]) -> Iterator[str]:
    """``n`` lines of COPY text, one certificate each (see the module's docstring)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from django.conf import settings

    from certificates.models import STATUS_LIST_SIZE
    from portal import clock, pii

    rng = random.Random(seed)
    today = clock.today()
    now = clock.now().isoformat()
    # pii.encrypt builds its AES-GCM object per call; one object for the whole run gives the
    # same stored text (same key, a fresh random nonce per row) at a third of the cost.
    key_id, key = next(iter(settings.PII_ENCRYPTION_KEYS.items()))
    aead = AESGCM(pii._aes_key(key))
    urandom = os.urandom

    def encrypt(plain: str) -> str:
        nonce = urandom(12)
        sealed = aead.encrypt(nonce, plain.encode(), pii._AAD)
        return f"{pii.PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"

    provinces = list(PROVINCE_WEIGHTS)
    weights = list(PROVINCE_WEIGHTS.values())
    sites = []  # synthetic number prefixes (13 characters) with their province
    prefixes_taken = {number[:13] for number in context["taken"]}
    while len(sites) < SITES:
        province = rng.choices(provinces, weights)[0]
        prefix = (
            f"{rng.choice('YSS')}{rng.randint(1000, 9999)}{province}{rng.randint(1, 999999):06d}"
        )
        if prefix not in prefixes_taken:
            prefixes_taken.add(prefix)
            sites.append((prefix, province))
    pick_site = _picker(rng, sites, [rng.paretovariate(1.2) for _ in sites])  # few big, many small
    years = list(range(2019, today.year + 1))
    year_weights = [1.0 + 0.25 * i for i in range(len(years))]  # growing every year
    pick_year = _picker(rng, years, year_weights)
    pick_level = _picker(rng, list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values()))
    r = rng.random
    sequences: dict[str, int] = {}
    holders: list[tuple[str, str, str]] = []  # recent holders, some take another certificate
    sessions, occupations, levels = context["sessions"], context["occupations"], context["levels"]
    permutation: list[int] = []
    list_pos = -1
    for i in range(n):
        if not permutation:
            list_pos += 1
            permutation = rng.sample(range(STATUS_LIST_SIZE), STATUS_LIST_SIZE)
        status_index = permutation.pop()
        prefix, province = pick_site()
        if holders and r() < REPEAT_HOLDER_SHARE:
            name, id_number, index = holders[int(r() * len(holders))]
        else:
            name = holder_name(rng)
            id_number = resident_id(rng, province, today)
            index = pii.blind_index(pii.RESIDENT_ID, id_number)
            if len(holders) < 5000:
                holders.append((name, id_number, index))
            else:
                holders[int(r() * 5000)] = (name, id_number, index)
        year = pick_year()
        level = pick_level()
        key = f"{prefix}{year % 100:02d}{level}"
        seq = sequences.get(key, 0) + 1
        sequences[key] = seq
        number = f"{key}{seq:06d}"
        start = dt.date(year, 1, 1)
        end = min(dt.date(year, 12, 31), today)
        issued = start + dt.timedelta(days=int(r() * ((end - start).days + 1)))
        session_id, site_id, agency_id, agency_name, basis = sessions[i % len(sessions)]
        occupation_code, occupation_name = occupations[i % len(occupations)]
        if r() < REVOKED_SHARE:
            status, reason = "revoked", rng.choice(REASONS)
            revoked_at = f"{issued + dt.timedelta(days=rng.randint(30, 400))}T09:00:00+08:00"
        else:
            status, reason, revoked_at = "valid", "", "\\N"
        token = base64.urlsafe_b64encode(urandom(18)).decode()
        yield (
            "\t".join(
                (
                    number,
                    token,
                    name,
                    pii.RESIDENT_ID,
                    encrypt(id_number),
                    index,
                    occupation_code,
                    _escape(occupation_name),
                    "--",
                    level,
                    levels.get(level, level),
                    agency_name,
                    str(agency_id),
                    str(site_id),
                    basis,
                    str(session_id),
                    issued.isoformat(),
                    "zh",
                    status,
                    revoked_at,
                    reason,
                    str(lists[list_pos]),
                    str(status_index),
                    now,
                )
            )
            + "\n"
        )


LEGACY_COLUMNS = (
    "number", "holder_name", "id_type", "id_number", "id_index", "occupation_code",
    "occupation_name", "work_type_name", "level_code", "level_display", "agency_name",
    "issued_on", "source", "imported_from_id", "imported_at", "imported_by_id", "province",
)  # fmt: skip


def load_legacy(n: int, *, seed: int = 18, out=print) -> float:
    """``n`` imported legacy records (Art 4; 16-digit numbers ``9…``, issued 2005 to 2018) in
    one applied ``LegacyImport``, by COPY with the indexes in place; returns rows per second.
    The lookup searches them beside the certificates, so their statements are EXPLAINed too."""
    from django.db import connection, transaction

    from certificates.models import LegacyCertificate, LegacyImport
    from portal import clock, pii
    from portal.models import User

    rng = random.Random(seed)
    user = User.objects.order_by("pk").first()
    now = clock.now()
    taken = set(LegacyCertificate.objects.values_list("number", flat=True))
    today = clock.today()
    start = time.perf_counter()
    with transaction.atomic():
        batch = LegacyImport.objects.create(
            province="440000",
            source="广东省职业技能鉴定指导中心（合成）",
            file_name=f"synthetic-{n}.csv",
            file_sha256="0" * 64,
            state="applied",
            total_rows=n,
            added=n,
            uploaded_by=user,
            uploaded_at=now,
            applied_by=user,
            applied_at=now,
        )
        table = LegacyCertificate._meta.db_table
        sql = f"COPY {table} ({', '.join(LEGACY_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            k = 0
            for _ in range(n):
                k += 1
                number = f"9{k:015d}"
                while number in taken:
                    k += 1
                    number = f"9{k:015d}"
                id_number = resident_id(rng, "44", today)
                issued = dt.date(2005, 1, 1) + dt.timedelta(days=int(rng.random() * 5000))
                level = str(1 + int(rng.random() * 5))
                copy.write_row(
                    (
                        number, holder_name(rng), pii.RESIDENT_ID, pii.encrypt(id_number),
                        pii.blind_index(pii.RESIDENT_ID, id_number), "6-31-01-03", "电工",
                        "--", level, f"{level}级", "广东省职业技能鉴定指导中心", issued,
                        batch.source, batch.pk, now, user.pk, "440000",
                    )
                )  # fmt: skip
    rate = n / (time.perf_counter() - start)
    out(f"  legacy records: {n:,} by COPY at {rate:,.0f} rows/s (indexes kept)")
    return rate


# --- Indexes and constraints dropped before COPY and built after ----------------------------


def _saved_ddl(cursor, table: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The table's unique and foreign-key constraints (name, definition) and its other
    indexes (CREATE INDEX statements), the primary key excepted."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype = 'u')",
        [table],
    )
    indexes = cursor.fetchall()
    return constraints, indexes


def build_indexes(saved: tuple[list, list], *, out=print) -> float:
    """Build the indexes, then add the unique and foreign-key constraints, timing each."""
    from django.db import connection

    from certificates.models import Certificate

    table = Certificate._meta.db_table
    build = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass",
            [table],
        )
        present = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", [table])
        present |= {name for (name,) in cursor.fetchall()}
        for name, definition in saved[1]:
            if name not in present:
                t = time.perf_counter()
                cursor.execute(definition)
                out(f"    {name}: {time.perf_counter() - t:.1f} s")
        for name, definition in saved[0]:
            if name not in present:
                t = time.perf_counter()
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                out(f"    {name}: {time.perf_counter() - t:.1f} s")
    seconds = time.perf_counter() - build
    out(f"  indexes and constraints built after COPY in {seconds:.1f} s")
    return seconds


def finish(*, out=print) -> None:
    """After a load stopped part-way (``--finish``): the status lists made for rows never
    written are trimmed to what was written (and empty ones deleted), the saved indexes and
    constraints built, the tables analysed, the size printed."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE certificates_statuslist s SET allocated = c.n FROM ("
            "  SELECT sl.id, count(cc.id) AS n FROM certificates_statuslist sl"
            "  LEFT JOIN certificates_certificate cc ON cc.status_list_id = sl.id GROUP BY sl.id"
            ") c WHERE c.id = s.id AND s.allocated <> c.n"
        )
        out(f"  status lists corrected: {cursor.rowcount}")
        cursor.execute(
            "DELETE FROM certificates_statuslist s WHERE allocated = 0 AND NOT EXISTS ("
            "  SELECT 1 FROM certificates_certificate c WHERE c.status_list_id = s.id)"
        )
        cursor.execute("SELECT count(*) FROM certificates_certificate")
        out(f"  certificates written: {cursor.fetchone()[0]:,}")


def load(
    rows: int,
    *,
    seed: int = 17,
    legacy: int | None = None,
    indexes: str = "before",
    ddl_file: str | None = None,
    chunk: int = CHUNK,
    out=print,
) -> dict:
    """Write ``rows`` synthetic certificates into the current database; returns figures.
    ``indexes="after"`` drops and rebuilds the indexes and constraints around the COPY
    (do not use it inside a caller's transaction)."""
    from django.db import connection, transaction

    from certificates.models import Certificate

    table = Certificate._meta.db_table
    columns = ", ".join(COLUMNS)
    figures: dict = {"rows": rows}
    context = _context()
    lists = _status_lists(rows)
    saved: tuple[list, list] = ([], [])
    if indexes == "after":
        with transaction.atomic(), connection.cursor() as cursor:
            saved = _saved_ddl(cursor, table)
            if ddl_file is not None:  # so ``--finish`` can build them if this run is stopped
                Path(ddl_file).write_text(json.dumps(saved))
            for name, _ in saved[0]:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _ in saved[1]:
                cursor.execute(f"DROP INDEX {name}")
        out(f"  dropped {len(saved[0])} constraints and {len(saved[1])} indexes before COPY")
    generated = synthetic_rows(rows, seed=seed, context=context, lists=lists)
    start = time.perf_counter()
    written = 0
    while written < rows:
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for _ in range(min(chunk, rows - written)):
                line = next(generated, None)
                if line is None:
                    break
                copy.write(line)
                written += 1
        elapsed = time.perf_counter() - start
        if rows > chunk:
            out(f"  {written:>11,} rows  {written / elapsed:8,.0f} rows/s", flush=True)
    copy_s = time.perf_counter() - start
    figures.update(copy_s=copy_s, rows_per_s=rows / copy_s)
    out(
        f"  COPY: {rows:,} rows in {copy_s:.1f} s = {rows / copy_s:,.0f} rows/s (indexes {indexes})"
    )
    if indexes == "after":
        figures["index_s"] = build_indexes(saved, out=out)
    figures["legacy_rows_per_s"] = load_legacy(rows // 20 if legacy is None else legacy, out=out)
    with connection.cursor() as cursor:
        t = time.perf_counter()
        cursor.execute(f"ANALYZE {table}")
        cursor.execute("ANALYZE certificates_legacycertificate")
        figures["analyze_s"] = time.perf_counter() - t
        cursor.execute(
            "SELECT pg_total_relation_size(%s::regclass), pg_relation_size(%s::regclass), "
            "pg_indexes_size(%s::regclass), pg_database_size(current_database())",
            [table, table, table],
        )
        total, heap, index_bytes, database = cursor.fetchone()
    figures.update(total_bytes=total, heap_bytes=heap, index_bytes=index_bytes, db_bytes=database)
    gib = 1024**3
    out(
        f"  size on disk: table {heap / gib:.2f} GiB + indexes {index_bytes / gib:.2f} GiB "
        f"(with TOAST {total / gib:.2f} GiB); database {database / gib:.2f} GiB"
    )
    return figures


# --- The command ----------------------------------------------------------------------------


def database_env(database: str) -> tuple[dict, str]:
    """The environment that reaches ``database`` with its own keys (production settings),
    shared with ``bench/lookup_throughput.py``; and the keys directory."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    home = ROOT / "var" / "bench" / database
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{database}")),
        "SECRETS_DIR": str(home / "keys"),
        "AUDIT_CHECKPOINT_DIR": str(home / "checkpoints"),
        "MEDIA_ROOT": str(home / "media"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("DEBUG", None)
    return env, str(home / "keys")


def admin_sql(sql: str) -> None:
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database", default="")
    parser.add_argument("--indexes", choices=("after", "before"), default="after")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--legacy", type=int, default=None, help="legacy records (rows/20)")
    parser.add_argument("--legacy-only", action="store_true", help="add legacy records only")
    parser.add_argument(
        "--finish", action="store_true", help="complete a load that was stopped part-way"
    )
    parser.add_argument("--replace", action="store_true", help="drop the database if it exists")
    args = parser.parse_args()
    database = args.database or f"bench_certs_{args.rows}"
    env, keys = database_env(database)
    ddl_file = Path(keys).parent / "ddl.json"
    if args.legacy_only or args.finish:  # an existing database loaded by this script
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        if args.finish:
            finish()
            build_indexes(tuple(json.loads(ddl_file.read_text())))
        if args.legacy_only or args.finish:
            load_legacy(args.rows // 20 if args.legacy is None else args.legacy)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE certificates_certificate")
            cursor.execute("ANALYZE certificates_legacycertificate")
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print(f"  database size: {cursor.fetchone()[0]}")
        return 0
    if args.replace:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{database}"')
    print(f"Database {database}; keys in {keys}", flush=True)
    if not Path(keys).exists():
        subprocess.run([PYTHON, "-m", "portal.keys", keys], cwd=ROOT, env=env, check=True)
    t = time.perf_counter()
    # The demo refuses production settings (its retired signing key is development-only), so
    # it is loaded under development settings with the database's own keys (SECRETS_DIR).
    for command, django_env in (
        (("migrate", "--noinput", "-v", "0"), "production"),
        (("seed_demo",), "development"),
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env={**env, "DJANGO_ENV": django_env},
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    print(f"  migrated and demo data loaded in {time.perf_counter() - t:.0f} s", flush=True)
    os.environ.update(env)
    import django

    django.setup()
    with contextlib.suppress(Exception):
        print(f"  load average before: {os.getloadavg()}")
    load(
        args.rows, seed=args.seed, legacy=args.legacy, indexes=args.indexes,
        ddl_file=str(ddl_file), out=print,
    )  # fmt: skip
    print(f"  load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
