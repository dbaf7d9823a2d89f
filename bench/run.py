"""make bench: run every benchmark in bench/ against a throwaway test database and print figures.

Each module ``bench/bench_*.py`` has ``run() -> list[Result]``. Figures are server time
measured through Django's test client (the whole middleware, view and template stack,
no network), on PostgreSQL when DATABASE_URL points there.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DJANGO_ENV", "test")


def main() -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # Its own database, so a benchmark never touches a test run's or a developer's data.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{old_name}_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    failed = False
    try:
        only = sys.argv[1:]  # e.g. ``bench/run.py tickets``: just bench_tickets.py
        for path in sorted((ROOT / "bench").glob("bench_*.py")):
            if only and path.stem.removeprefix("bench_") not in only:
                continue
            module = importlib.import_module(f"bench.{path.stem}")
            print(f"== {path.stem}: {module.__doc__.strip().splitlines()[0]}")
            for result in module.run():
                print(result.line())
                failed |= not result.ok
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    print("FAILED: a figure is over its budget" if failed else "All figures within budget.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
