"""The public session search (``/sessions/``) at 20,000 sessions against /privacy/, with the
harness of bench/throughput.py (throwaway database with the demo data, gunicorn in production
settings, interleaved rounds, the median ratio per page; target ≥ 0.5).

    .venv/bin/python bench/sessions_search.py [--rounds 5] [--seconds 4] [--workers 2]
        [--sessions 20000]

After ``seed_demo`` the demo agency's open session is copied ``--sessions`` times with
``bulk_create`` (cities, levels and months varied; about half with registration open or
coming, the rest closed or ended, so the filter has work to do). The copies have no sittings:
the list does not read them. No figure fails a test: it is read, as the issue asks.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import throughput as tp  # noqa: E402

FILL = """
import datetime as dt, random
import django; django.setup()
from assessments.models import AssessmentSession, SessionStatus
from catalog.models import SkillLevel
from portal import clock, pagecache
template = AssessmentSession.objects.filter(status=SessionStatus.OPEN).first()
levels = list(SkillLevel.objects.filter(employer_only=False))
cities = ["广州市", "深圳市", "佛山市", "东莞市", "珠海市", "中山市", "惠州市", "江门市"]
today = clock.today()
rng = random.Random(13)
rows = []
for i in range({n}):
    fields = AssessmentSession._meta.concrete_fields
    s = AssessmentSession(**{{f.attname: getattr(template, f.attname)
                             for f in fields if not f.primary_key}})
    offset = rng.randint(-120, 240)
    s.first_sitting_on = s.last_sitting_on = today + dt.timedelta(days=offset)
    s.registration_closes = s.first_sitting_on - dt.timedelta(days=5)
    s.registration_opens = s.registration_closes - dt.timedelta(days=30)
    s.status = (SessionStatus.CLOSED if s.registration_closes < today else
                SessionStatus.OPEN if s.registration_opens <= today else SessionStatus.FILED)
    s.city = cities[i % len(cities)]
    s.level = levels[i % len(levels)]
    rows.append(s)
AssessmentSession.objects.bulk_create(rows, batch_size=2000)
pagecache.bump()
print(AssessmentSession.objects.count(), today.strftime("%Y-%m"),
      (today + dt.timedelta(days=40)).strftime("%Y-%m"))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--sessions", type=int, default=20000)
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    load = tp._python_load if args.python_client or not shutil.which("wrk") else tp._wrk

    tmp = Path(tempfile.mkdtemp(prefix="bench-ss-"))
    base_db = os.environ.get("DATABASE_URL", "")
    db_url, pg_name = tp._database_url(base_db, tmp)
    port = tp._free_port()
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
            tp._psql(base_db, f'CREATE DATABASE "{pg_name}"')
        tp._run(env, "-m", "portal.keys", str(tmp / "keys"))
        print("Migrating a throwaway database and loading the demo data …", flush=True)
        tp._run(env, "manage.py", "migrate", "--noinput", "-v", "0")
        tp._run(env, "manage.py", "seed_demo")
        tp._run(env, "manage.py", "collectstatic", "--noinput", "-v", "0")
        out = subprocess.run(
            [tp.PYTHON, "-c", FILL.format(n=args.sessions)],
            cwd=tp.ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        total, this_month, later_month = out[0], out[1], out[2]
        print(f"{total} sessions in the database", flush=True)
        server = subprocess.Popen(
            [
                tp.PYTHON, "-m", "gunicorn", "portal.wsgi:application",
                "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                "--worker-tmp-dir", "/dev/shm", "--log-level", "warning",
            ],
            cwd=tp.ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        tp._wait_up(base_url, server)
        pages = [
            ("privacy", "/privacy/"),
            ("sessions", "/sessions/"),
            ("city+level", f"/sessions/?city={quote('广州')}&level=4"),
            ("month", f"/sessions/?month={later_month}"),
            ("occupation", f"/sessions/?occupation={quote('电工')}&province=440000"),
            ("page 5", f"/sessions/?month={this_month}&page=5"),
        ]
        pages = [(label, base_url + path) for label, path in pages]
        for label, url in pages:
            for _ in range(20):
                assert tp._get(url) == 200, (label, url)
        print(
            f"gunicorn --workers {args.workers}, production settings; "
            f"load: {'wrk' if load is tp._wrk else 'python client'}, "
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
        head = f"{'page':<14} {'req/s (median)':>15} {'ratio to /privacy/':>19}"
        print(f"\n{head}  target ≥ {tp.TARGET}")
        for label, url in pages:
            ratio = statistics.median(ratios[label])
            flag = "" if ratio >= tp.TARGET or label == "privacy" else "  BELOW"
            print(f"{label:<14} {statistics.median(rps[label]):>15.0f} {ratio:>19.2f}{flag}")
            parts = urlsplit(url)
            print(f"{'':<14} {parts.path}{'?' + parts.query if parts.query else ''}")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if pg_name:
            tp._psql(base_db, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
