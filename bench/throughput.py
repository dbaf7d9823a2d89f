"""Public pages' throughput against /privacy/ on one gunicorn server in production settings.

    .venv/bin/python bench/throughput.py [--rounds 5] [--seconds 4] [--workers 2]

What it does, in one run:

1. a throwaway database (``bench_tp_<pid>`` next to DATABASE_URL's on PostgreSQL, a file under
   a temporary directory otherwise), migrated and loaded with the demo data (``seed_demo``);
2. throwaway keys written by ``python -m portal.keys`` (as the Dockerfile does), static files
   collected, then gunicorn started with ``DJANGO_ENV=production`` on a free local port;
3. a load generator (``wrk`` when installed, else a small keep-alive client in this file) runs
   each page in turn for ``--seconds``, in interleaved rounds (every round visits every page,
   in a rotated order), so drift on a shared machine hits all pages alike;
4. prints each page's requests per second and its ratio to /privacy/ measured in the same
   round (the median over the rounds), against the target of 0.5.

No figure fails a test: it is read, as the issue asks (a benchmark, not a timed test).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TARGET = 0.5

# (label, path); the directory entry's and the occupation's paths are found in the demo data.
PAGES = [
    ("privacy", "/privacy/"),
    ("home", "/"),
    ("catalogue search", "/catalog/?q=%E7%94%B5"),  # 电
    ("occupation", "{occupation}"),
    ("standards list", "/catalog/standards/"),
    ("directory", "/directory/"),
    ("directory entry", "{entry}"),
    ("notices", "/notices/"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(base: str, tmp: Path) -> tuple[str, str | None]:
    """A throwaway database URL and its PostgreSQL name (None for SQLite)."""
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        name = f"bench_tp_{os.getpid()}"
        return urlunsplit(parts._replace(path=f"/{name}")), name
    return f"sqlite:///{tmp / 'bench.sqlite3'}", None


def _psql(base: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(base)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


def _run(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _demo_paths(env: dict) -> dict[str, str]:
    code = (
        "import django; django.setup()\n"
        "from django.urls import reverse\n"
        "from agencies.models import DirectoryEntry\n"
        "from catalog.models import Occupation\n"
        "e = DirectoryEntry.objects.filter(agency__status='listed').order_by('agency__name')[0]\n"
        "o = Occupation.objects.filter(standards__isnull=False).order_by('code')[0]\n"
        "print(reverse('agencies:directory_entry', args=[e.agency_id]))\n"
        "print(reverse('catalog:occupation', args=[o.code]))\n"
    )
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return {"entry": out[0], "occupation": out[1]}


# --- Load generators -------------------------------------------------------------------------

HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}


def _wrk(url: str, seconds: float, connections: int) -> float:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    for k, v in HEADERS.items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{url}: non-2xx responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def _python_load(url: str, seconds: float, connections: int) -> float:
    """Keep-alive GETs from ``connections`` threads for ``seconds``; requests per second."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    counts = [0] * connections
    stop = time.perf_counter() + seconds
    errors: list[str] = []

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.perf_counter() < stop:
            conn.request("GET", path, headers=HEADERS)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{path}: {response.status}")
                return
            counts[i] += 1
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(counts) / (time.perf_counter() - start)


# --- The run ---------------------------------------------------------------------------------


def _wait_up(base_url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited before it served")
        with contextlib.suppress(OSError):
            _get(base_url + "/privacy/")
            return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def _get(url: str) -> int:
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server
        response.read()
        return response.status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    load = _python_load if args.python_client or not shutil.which("wrk") else _wrk

    tmp = Path(tempfile.mkdtemp(prefix="bench-tp-"))
    base_db = os.environ.get("DATABASE_URL", "")
    db_url, pg_name = _database_url(base_db, tmp)
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DATABASE_URL": db_url,
        "SECRETS_DIR": str(tmp / "keys"),
        "AUDIT_CHECKPOINT_DIR": str(tmp / "checkpoints"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("DEBUG", None)
    server = None
    try:
        if pg_name:
            _psql(base_db, f'CREATE DATABASE "{pg_name}"')
        _run(env, "-m", "portal.keys", str(tmp / "keys"))
        print("Migrating a throwaway database and loading the demo data …", flush=True)
        _run(env, "manage.py", "migrate", "--noinput", "-v", "0")
        _run(env, "manage.py", "seed_demo")
        _run(env, "manage.py", "collectstatic", "--noinput", "-v", "0")
        paths = _demo_paths(env)
        server = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "portal.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                "--worker-tmp-dir", "/dev/shm", "--log-level", "warning",
            ],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        _wait_up(base_url, server)
        pages = [(label, base_url + path.format(**paths)) for label, path in PAGES]
        for label, url in pages:  # warm every worker's caches; each page must answer 200
            for _ in range(20):
                assert _get(url) == 200, (label, url)
        print(
            f"gunicorn --workers {args.workers}, production settings; "
            f"load: {'wrk' if load is _wrk else 'python client'}, "
            f"{args.connections} connections, {args.rounds} rounds × {args.seconds:g} s per page"
        )
        rps: dict[str, list[float]] = {label: [] for label, _ in pages}
        ratios: dict[str, list[float]] = {label: [] for label, _ in pages}
        for r in range(args.rounds):
            order = pages[r % len(pages) :] + pages[: r % len(pages)]
            this_round = {label: load(url, args.seconds, args.connections) for label, url in order}
            for label in this_round:
                rps[label].append(this_round[label])
                ratios[label].append(this_round[label] / this_round["privacy"])
            print(f"  round {r + 1}: privacy {this_round['privacy']:.0f} req/s", flush=True)
        head = f"{'page':<18} {'req/s (median)':>15} {'ratio to /privacy/':>19}"
        print(f"\n{head}  target ≥ {TARGET}")
        short = []
        for label, url in pages:
            ratio = statistics.median(ratios[label])
            flag = "" if ratio >= TARGET or label == "privacy" else "  BELOW"
            if flag:
                short.append(label)
            print(f"{label:<18} {statistics.median(rps[label]):>15.0f} {ratio:>19.2f}{flag}")
            parts = urlsplit(url)
            print(f"{'':<18} {parts.path}{'?' + parts.query if parts.query else ''}")
        print(f"\nBelow: {', '.join(short)}" if short else "\nAll pages at or above the target.")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if pg_name:
            with contextlib.suppress(Exception):
                _psql(base_db, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
