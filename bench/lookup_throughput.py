"""The public certificate lookup at scale: throughput against /privacy/, p95 at a fixed rate,
EXPLAIN of every lookup query (issue 17, "Speed and scale"; decision 0050).

    .venv/bin/python bench/lookup_throughput.py [--database bench_certs_200000] [--rows 200000]
        [--rounds 5] [--seconds 4] [--workers 2] [--rate 100] [--rate-seconds 20]

Against a database loaded by ``bench/load_certificates.py`` (made with ``--rows`` when it is
missing; ``bench_certs_10m`` for the full run), served by one gunicorn in production settings
with the database's own keys, Redis (``REDIS_URL``, required: the limits and the spent
challenges live there) and **the real rate limits on** (``certificate_lookup.ip``,
``.subnet``, ``.hour``, ``captcha.certificate_lookup``: the defaults, nothing overridden).
For the benchmark only: ``TRUSTED_PROXY_COUNT=1``, so each request's client is the address
in its ``X-Forwarded-For``; and ``CAPTCHA_MAX_NUMBER=1000`` (the search range of the
proof of work; production 50,000): the work is the client's, the server checks one hash
either way, so a smaller range only spares the load generator's CPU, which shares the
machine with the server.

1. **EXPLAIN (ANALYZE)** of the four statements ``certificates.services.lookup.find_many``
   runs (certificates and legacy records, by blind index and by number; bulk verification),
   and of the three prepared statements the page runs (``EXPLAIN ANALYZE EXECUTE``, after
   six lookups of each shape so the plan is the one kept; decision 0054), under the lookup's
   statement timeout; fails the run when a plan holds a ``Seq Scan``.
2. **Throughput**: ``wrk`` against ``/privacy/`` and against ``POST /certificates/lookup/``
   in interleaved rounds (the order alternates), the ratio per round and its median
   (target ≥ 0.8). Before each lookup round a pool of lookups is prepared outside the timed
   window: for each, a GET of the lookup page from its own address (CSRF cookie and token,
   the signed challenge made for that address), the challenge solved here, the form
   filled. Half the lookups hit (name + ID number or name + number of a sampled
   certificate, its ID decrypted with the database's key) and half miss (an unknown valid
   ID, or a real number with another name). Address ``i`` is ``10.B.C.A`` with B.C from
   ``i``'s low bits, so consecutive lookups fall in different /24s and no address or subnet
   nears its limit: the limits are counted on every lookup but what is measured is the
   lookup, not a 429 (any non-2xx answer fails the round).
3. **p95 at a fixed rate**: an open-loop generator sends ``--rate`` lookups a second for
   ``--rate-seconds`` on a fixed timetable (request ``k`` is due at ``t0 + k / rate``, sent
   by a pool of threads whatever the earlier answers did) and measures each latency from its
   **scheduled** time, so a stall counts against every request it delayed (no coordinated
   omission); /privacy/ at the same rate beside it. Target p95 ≤ 60 ms.

No figure fails a test; they are read (the EXPLAIN check is the one assertion).
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import hashlib
import html
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import load_certificates as gen  # noqa: E402
from bench import throughput as tp  # noqa: E402

TARGET_RATIO = 0.8
TARGET_P95_MS = 60.0
LOOKUP = "/certificates/lookup/"
POW_MAX_NUMBER = 1000

WRK_SCRIPT = r"""
-- One pre-solved lookup per request, from the pool file; never one twice (a challenge is
-- spent once). When the pool runs out, a request to /__pool_exhausted__ (a 404) says so.
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  pool = {}
  local n, total = 0, tonumber(args[2])
  for line in io.lines(args[1]) do
    if n % total == id then table.insert(pool, line) end
    n = n + 1
  end
  next_one = 1
end
function request()
  local line = pool[next_one]
  next_one = next_one + 1
  if line == nil then
    return wrk.format("GET", "/__pool_exhausted__")
  end
  local xff, cookie, body = line:match("([^\t]*)\t([^\t]*)\t(.*)")
  return wrk.format("POST", "/certificates/lookup/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie, ["X-Forwarded-For"] = xff, ["Referer"] = args_referer,
    ["X-Forwarded-Proto"] = "https", ["Accept-Language"] = "zh-hans",
  }, body)
end
"""


def address(i: int) -> str:
    """The i-th client address: consecutive ones in different /24s (10.B.C.A)."""
    return f"10.{i & 255}.{(i >> 8) & 255}.{(i >> 16) % 254 + 1}"


def solve(challenge: dict) -> str:
    """The ALTCHA payload for ``challenge`` (what the widget's worker computes)."""
    salt, target = challenge["salt"], challenge["challenge"]
    for number in range(int(challenge.get("maxNumber", challenge.get("maxnumber", 1_000_000))) + 1):
        if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() == target:
            payload = {
                "algorithm": challenge["algorithm"],
                "challenge": target,
                "number": number,
                "salt": salt,
                "signature": challenge["signature"],
            }
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise RuntimeError("challenge not solvable within its range")


_CHALLENGE = re.compile(r'challengejson="([^"]+)"')
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """Keep-alive HTTP to the server (reconnects when gunicorn closes)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, headers: dict, body: str | None = None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response, data
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError


def prepared_lookup(client: Client, i: int, query: dict, referer: str) -> tuple[str, str, str]:
    """(X-Forwarded-For, Cookie, body) of one lookup ready to POST: the page fetched from
    address ``i`` (its CSRF cookie and token and the challenge made for it), solved."""
    xff = address(i)
    headers = {**tp.HEADERS, "X-Forwarded-For": xff}
    response, data = client.send("GET", LOOKUP, headers)
    if response.status != 200:
        raise RuntimeError(f"GET {LOOKUP}: {response.status}")
    page = data.decode()
    cookies = []
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            cookies.append(value.split(";", 1)[0])
    challenge = json.loads(html.unescape(_CHALLENGE.search(page).group(1)))
    form = {"csrfmiddlewaretoken": _TOKEN.search(page).group(1), **query}
    form["captcha"] = solve(challenge)
    return xff, "; ".join(cookies), urlencode(form)


def prepare_pool(port: int, queries: list[dict], start: int, referer: str, threads: int = 2):
    """Lookups ``queries`` prepared from addresses ``start …`` (GET + solve), in threads."""
    out: list = [None] * len(queries)
    errors: list[str] = []

    def work(offset: int) -> None:
        client = Client(port)
        for k in range(offset, len(queries), threads):
            try:
                out[k] = prepared_lookup(client, start + k, queries[k], referer)
            except Exception as exc:  # noqa: BLE001 - reported once, below
                errors.append(repr(exc))
                return

    ts = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return out


# --- Queries: half hit, half miss ------------------------------------------------------------


def sample_queries(n: int, rng: random.Random) -> list[tuple[bool, dict]]:
    """``n`` lookups in random order with whether each must find a certificate: half hits
    (sampled certificates: name + ID, name + number) and half misses (an unknown valid ID
    with a name; a real number with another name)."""
    import datetime as dt

    from django.db import connection

    from portal import pii

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'certificates_certificate'")
        rows = max(1.0, cursor.fetchone()[0])
        percent = min(100.0, 100.0 * (n * 4) / rows)
        cursor.execute(
            "SELECT holder_name, id_number, number FROM certificates_certificate "
            f"TABLESAMPLE SYSTEM ({percent:.6f}) WHERE status = 'valid' LIMIT %s",  # noqa: S608
            [n],
        )
        sampled = cursor.fetchall()
    rng.shuffle(sampled)
    today = dt.date.today()
    out = []
    for k in range(n):
        name, stored, number = sampled[k % len(sampled)]
        kind = k % 4
        if kind == 0:  # hit by ID
            query = {"way": "id", "name": name, "id_type": "resident_id"}
            query["id_number"] = pii.decrypt(stored)
        elif kind == 1:  # hit by number
            query = {"way": "number", "name": name, "number": number}
        elif kind == 2:  # miss: no such certificate
            province = rng.choice(list(gen.PROVINCE_WEIGHTS))
            query = {"way": "id", "name": gen.holder_name(rng), "id_type": "resident_id"}
            query["id_number"] = gen.resident_id(rng, province, today)
        else:  # miss: the name does not match
            query = {"way": "number", "name": name + "某", "number": number}
        out.append((kind < 2, query))
    rng.shuffle(out)
    return out


# --- EXPLAIN ---------------------------------------------------------------------------------


def explain() -> bool:
    """EXPLAIN (ANALYZE) of each statement ``find_many`` runs and of the page's prepared
    statements; True when no plan holds a Seq Scan."""
    from django.db import connection

    from certificates.models import Certificate, LegacyCertificate
    from certificates.services import lookup
    from portal import pii

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, number FROM certificates_certificate ORDER BY id DESC LIMIT 1"
        )
        stored, number = cursor.fetchone()
        cursor.execute("SELECT id_number, number FROM certificates_legacycertificate LIMIT 1")
        legacy = cursor.fetchone() or ("", "1234567890123456")
    keys = pii.index_candidates("resident_id", pii.decrypt(stored))
    legacy_keys = pii.index_candidates("resident_id", pii.decrypt(legacy[0])) if legacy[0] else keys
    portal = Certificate.objects.select_related("photo", "replaced_by", "agency")
    statements = [
        ("certificate by id_index", portal.filter(id_index__in=keys)),
        ("certificate by number", portal.filter(number__in=[number])),
        ("legacy by id_index", LegacyCertificate.objects.filter(id_index__in=legacy_keys)),
        ("legacy by number", LegacyCertificate.objects.filter(number__in=[legacy[1]])),
    ]
    # The page's own prepared statements (one message a lookup, decision 0054), by ID and by
    # number: EXPLAIN ANALYZE EXECUTE of the plans this session keeps.
    holder = lookup.Query(name="-", id_number=pii.decrypt(stored))
    page = [
        (f"page by {way}: {label}", sql, params)
        for way, query in (("id_index", holder), ("number", lookup.Query(name="-", number=number)))
        for label, sql, params in lookup.statements_of(query)
    ]
    ok = True
    keyed = ("certificates_certificate", "certificates_legacycertificate")
    print("\nEXPLAIN (ANALYZE) of the lookup's statements (under its statement timeout):")
    with lookup.bounded(), connection.cursor() as cursor:
        page_params = {label: params for label, _sql, params in page}
        statements += [(label, sql) for label, sql, _params in page]
        for label, queryset in statements:
            if isinstance(queryset, str):  # (label, sql, params) of the page
                cursor.execute(f"EXPLAIN ANALYZE {queryset}", page_params[label])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            else:
                plan = queryset.explain(analyze=True)
            scanned = re.findall(r"Seq Scan on (\w+)", plan)
            bad = [t for t in scanned if t in keyed]
            ok &= not bad
            verdict = "SEQ SCAN of " + ", ".join(bad) if bad else "index scans of the keyed table"
            others = sorted(set(scanned) - set(bad))
            if others:  # a small joined table the planner reads whole (photo: NULL here)
                sizes = ", ".join(f"{t} ({_rows(t):,} rows)" for t in others)
                verdict += f"; Seq Scan of the small joined {sizes}"
            print(f"-- {label}: {verdict}")
            print("   " + plan.replace("\n", "\n   "))
    print(
        "EXPLAIN check: "
        + ("certificates and legacy records read by index only" if ok else "FAILED: a Seq Scan")
    )
    return ok


def _rows(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - a name from the plan
        return cursor.fetchone()[0]


# --- Throughput (wrk) ------------------------------------------------------------------------


def wrk_pool(url: str, pool_file: Path, script: Path, seconds: float, connections: int) -> float:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", str(script)]
    out = subprocess.run(
        [*args, url, "--", str(pool_file), "2"], check=True, capture_output=True, text=True
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"lookup: non-2xx answers (a limit, or the pool ran out)\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


# --- p95 at a fixed rate (open loop) ---------------------------------------------------------


def fixed_rate(port: int, jobs: list[tuple[str, str, dict, str | None]], rate: float) -> dict:
    """Send ``jobs`` (method, path, headers, body) at ``rate`` a second on a fixed timetable;
    latency from each request's scheduled time. Threads keep one connection each."""
    local = threading.local()
    latencies: list[float] = [0.0] * len(jobs)
    statuses: list[int] = [0] * len(jobs)
    t0 = time.perf_counter() + 0.5

    def one(k: int) -> None:
        if not hasattr(local, "client"):
            local.client = Client(port)
        method, path, headers, body = jobs[k]
        response, _ = local.client.send(method, path, headers, body)
        statuses[k] = response.status
        latencies[k] = (time.perf_counter() - (t0 + k / rate)) * 1000

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as executor:
        futures = []
        for k in range(len(jobs)):
            due = t0 + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(executor.submit(one, k))
        for f in futures:
            f.result()
    elapsed = time.perf_counter() - t0
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))]

    return {
        "n": len(jobs),
        "rate": len(jobs) / elapsed,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": ordered[-1],
        "non200": sum(1 for s in statuses if s != 200),
    }


# --- The run ---------------------------------------------------------------------------------


def main() -> int:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--rate-seconds", type=float, default=20.0)
    parser.add_argument("--pow-max-number", type=int, default=POW_MAX_NUMBER)
    parser.add_argument(
        "--keep", action="store_true", help="keep a database this run loaded (else dropped)"
    )
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        print("REDIS_URL is required: the rate limits and spent challenges live in Redis.")
        return 2
    if not shutil.which("wrk"):
        print("wrk is required (apt-get install wrk).")
        return 2
    database = args.database or f"bench_certs_{args.rows}"
    env, _keys = gen.database_env(database)
    try:
        gen.admin_sql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            present = conn.execute("SELECT count(*) FROM certificates_certificate").fetchone()[0]
    except Exception:  # noqa: BLE001 - missing database or table: load it
        present = 0
    loaded_here = present < args.rows // 2
    if loaded_here:
        print(f"Loading {args.rows:,} certificates into {database} …", flush=True)
        subprocess.run(
            [tp.PYTHON, "bench/load_certificates.py", "--rows", str(args.rows),
             "--database", database, "--replace"],
            cwd=tp.ROOT, check=True,
        )  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="bench-lookup-"))
    port = tp._free_port()
    env.update(
        SITE_URL=f"http://127.0.0.1:{port}",
        TRUSTED_PROXY_COUNT="1",
        CAPTCHA_MAX_NUMBER=str(args.pow_max_number),
        AUDIT_CHECKPOINT_DIR=str(tmp / "checkpoints"),
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # this Redis database's counters and spent challenges of earlier runs
    with contextlib.suppress(Exception):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM certificates_certificate")
            total = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
        print(f"Database {database}: {total:,} certificates, {size} on disk")
    print(f"uptime: {os.popen('uptime').read().strip()}")
    explained = explain()

    rng = random.Random(50)
    subprocess.run(
        [tp.PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=tp.ROOT, env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(
        [
            tp.PYTHON, "-m", "gunicorn", "portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
            "--worker-tmp-dir", "/dev/shm", "--log-level", "warning",
        ],
        cwd=tp.ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    referer = f"https://127.0.0.1:{port}{LOOKUP}"
    next_address = 0
    try:
        tp._wait_up(base_url, server)
        for _ in range(20):
            assert tp._get(base_url + "/privacy/") == 200

        # Correctness first: each kind of query answers as it should, limits on.
        check = sample_queries(40, rng)
        prepared = prepare_pool(port, [q for _, q in check], next_address, referer)
        next_address += len(check)
        client = Client(port)
        kinds = {"hit": 0, "miss": 0}
        for (expected, _query), (xff, cookie, body) in zip(check, prepared, strict=True):
            headers = {
                **tp.HEADERS, "X-Forwarded-For": xff, "Cookie": cookie, "Referer": referer,
                "Content-Type": "application/x-www-form-urlencoded",
            }  # fmt: skip
            response, data = client.send("POST", LOOKUP, headers, body)
            page = data.decode()
            assert response.status == 200, (response.status, page[:300])
            assert response.getheader("Cache-Control") == "no-store"
            found = 'data-found="certificate"' in page
            assert found or 'data-found="none"' in page, page[-2000:]
            assert found == expected, (expected, page[-2000:])
            kinds["hit" if found else "miss"] += 1
        print(f"Checked 40 lookups through HTTP: {kinds['hit']} found, {kinds['miss']} not found")

        script = tmp / "lookup.lua"
        script.write_text(WRK_SCRIPT.replace("args_referer", json.dumps(referer)))
        probe = tp._wrk(base_url + "/privacy/", 2, args.connections)
        print(
            f"gunicorn --workers {args.workers}, production settings, rate limits on, "
            f"TRUSTED_PROXY_COUNT=1, CAPTCHA_MAX_NUMBER={args.pow_max_number}; wrk, "
            f"{args.connections} connections, {args.rounds} rounds × {args.seconds:g} s per page"
        )
        rps = {"privacy": [], "lookup": []}
        ratios = []
        for r in range(args.rounds):
            size = int(max(probe, max(rps["lookup"], default=0)) * args.seconds * 1.3) + 50
            queries = [q for _, q in sample_queries(size, rng)]
            t = time.perf_counter()
            pool = prepare_pool(port, queries, next_address, referer)
            next_address += len(pool)
            prep_s = time.perf_counter() - t
            pool_file = tmp / f"pool{r}.tsv"
            pool_file.write_text("".join(f"{x}\t{c}\t{b}\n" for x, c, b in pool))
            this = {}
            for page in ["privacy", "lookup"] if r % 2 == 0 else ["lookup", "privacy"]:
                if page == "privacy":
                    this[page] = tp._wrk(base_url + "/privacy/", args.seconds, args.connections)
                else:
                    this[page] = wrk_pool(
                        base_url + LOOKUP, pool_file, script, args.seconds, args.connections
                    )
            for page in this:
                rps[page].append(this[page])
            ratios.append(this["lookup"] / this["privacy"])
            print(
                f"  round {r + 1}: privacy {this['privacy']:.0f} req/s, lookup "
                f"{this['lookup']:.0f} req/s, ratio {ratios[-1]:.2f} "
                f"(pool of {len(pool)} prepared in {prep_s:.0f} s, untimed)",
                flush=True,
            )
        ratio = statistics.median(ratios) if ratios else float("nan")
        print(
            f"\nThroughput: privacy {statistics.median(rps['privacy'] or [0]):.0f} req/s, lookup "
            f"{statistics.median(rps['lookup'] or [0]):.0f} req/s; median ratio {ratio:.2f} "
            f"(target ≥ {TARGET_RATIO}) {'ok' if ratio >= TARGET_RATIO else 'BELOW'}"
        )

        # p95 at a fixed rate.
        n = int(args.rate * args.rate_seconds)
        queries = [q for _, q in sample_queries(n, rng)]
        pool = prepare_pool(port, queries, next_address, referer)
        next_address += n
        jobs = [
            ("POST", LOOKUP, {
                **tp.HEADERS, "X-Forwarded-For": x, "Cookie": c, "Referer": referer,
                "Content-Type": "application/x-www-form-urlencoded",
            }, b)
            for x, c, b in pool
        ]  # fmt: skip
        privacy_jobs = [("GET", "/privacy/", dict(tp.HEADERS), None)] * n
        print(
            f"\nOpen loop at {args.rate:g} requests a second for {args.rate_seconds:g} s "
            f"(latency from the scheduled time; uptime: {os.popen('uptime').read().strip()})"
        )
        for label, these in (("lookup", jobs), ("privacy", privacy_jobs)):
            fig = fixed_rate(port, these, args.rate)
            flag = ""
            if label == "lookup":
                flag = "ok" if fig["p95"] <= TARGET_P95_MS and not fig["non200"] else "OVER"
            print(
                f"  {label:<8} n={fig['n']} at {fig['rate']:.1f}/s  p50={fig['p50']:.1f} ms  "
                f"p95={fig['p95']:.1f} ms  p99={fig['p99']:.1f} ms  max={fig['max']:.1f} ms  "
                f"non-200 {fig['non200']}"
                + (f"  (target p95 ≤ {TARGET_P95_MS:.0f} ms) {flag}" if flag else "")
            )
        print(f"\nuptime: {os.popen('uptime').read().strip()}")
        print(f"client addresses used: {next_address:,} (10.B.C.A, one /24 per 256 in a row)")
        return 0 if explained else 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
        if loaded_here and not args.keep:  # make bench leaves no database behind
            from django.db import connections

            connections.close_all()
            gen.admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            shutil.rmtree(Path(_keys).parent, ignore_errors=True)
            print(f"dropped {database} (loaded by this run; --keep keeps it)")


if __name__ == "__main__":
    sys.exit(main())
