"""Shared fixtures: one world of users, agencies and provinces for every test.

The world is committed once per session (``world_pks``); each test reads it afresh
(``world``) inside its own transaction, which rolls back. A transactional test flushes every
table when it ends, so the world is put back right after it (``pytest_runtest_teardown``), from
a snapshot of its rows taken when it was seeded (tests/snapshots.py). The full demo data
(``seed_demo``) is seeded once per session likewise and restored for the tests that ask for it
(``seeded_demo``).
Builders live in ``tests/<app>/builders.py``; test modules never import each other.

Browser tests drive Debian's chromium (never a downloaded browser) through
pytest-playwright; see ../shared/STACK.md "Browser tests".
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.portal.builders import PASSWORD, hide_world, make_user, seed_world, world_view  # noqa: F401 (PASSWORD, make_user re-exported)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(autouse=True)
def _isolated_rate_limits(settings):
    # Redis keeps limiter counters between runs; each test gets its own namespace.
    settings.RATE_LIMIT_PREFIX = f"rl-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module", autouse=True)
def _audit_checkpoints_apart(tmp_path_factory):
    """Each test module writes its audit checkpoints into a directory of its own, never into
    var/ (a checkpoint of another module's database state would not match this one's)."""
    from django.test import override_settings

    with override_settings(AUDIT_CHECKPOINT_DIR=tmp_path_factory.mktemp("audit-checkpoints")):
        yield


@pytest.fixture(autouse=True)
def _retired_certificate_keys_apart(monkeypatch):
    """The certificates demo lists a retired development key in var/keys (decision 0044); each
    test gets a file name of its own, removed afterwards, so one test's demo never adds a
    published key to another test's."""
    from certificates import keys
    from portal import keys as portal_keys

    name = f"{keys.RETIRED_DEV_FILE}.test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setattr(keys, "RETIRED_DEV_FILE", name)
    yield
    from django.conf import settings as django_settings

    (portal_keys.key_dir(django_settings.BASE_DIR) / name).unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _english_free_defaults(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class _Seeded:
    """The session's world: its primary keys and the blocker that lets us write outside tests."""

    pks: dict | None = None
    blocker = None
    snapshot = None  # every table's rows right after the world was seeded (tests/snapshots.py)


def _world_is_there() -> bool:
    from portal.models import User

    return _Seeded.pks is not None and User.objects.filter(pk=_Seeded.pks["ministry"]).exists()


@pytest.fixture(scope="session")
def world_pks(django_db_setup, django_db_blocker) -> dict:
    """The world, committed once in the test database; each test's transaction rolls back."""
    from tests import snapshots

    with django_db_blocker.unblock():
        _Seeded.pks, _Seeded.blocker = seed_world(), django_db_blocker
        _Seeded.snapshot = snapshots.take()
    return _Seeded.pks


def _world_again() -> None:
    """After a flush: the world's snapshot put back (the same rows, primary keys and reference
    data as seeded at the start of the session), in a fraction of seed_world's time."""
    from django.contrib.contenttypes.models import ContentType

    from tests import snapshots

    snapshots.restore(_Seeded.snapshot)
    ContentType.objects.clear_cache()  # the flush's post_migrate made (and cached) other ids


@pytest.fixture
def world(world_pks, db):
    """Officials of the nation, 广东 and 黑龙江; two agencies with one member per role."""
    if not _world_is_there():  # flushed and not seeded again (never expected; see the hook)
        _Seeded.pks.update(seed_world())
    return world_view(_Seeded.pks)


class DemoData:
    """The full demo data (``seed_demo``) of the session, as a snapshot and its media files."""

    def __init__(self, snapshot, media: Path) -> None:
        self.snapshot, self.media = snapshot, media


@pytest.fixture(scope="session")
def demo_snapshot(world_pks, django_db_blocker, tmp_path_factory) -> DemoData:
    """``seed_demo`` run once per session, for real (committed, so what it leaves for after
    the commit runs too, as in ``make run``), into the database the world is in (its accounts
    hidden first, as the demo has accounts of the same names); its rows are kept as a snapshot
    (tests/snapshots.py), and the database is put back as it was, the world with it."""
    import io

    from django.conf import settings as django_settings
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    from certificates import keys
    from portal import keys as portal_keys
    from tests import snapshots

    media = tmp_path_factory.mktemp("demo-media")
    retired = f"{keys.RETIRED_DEV_FILE}.test-demo-{uuid.uuid4().hex[:12]}"
    environment = override_settings(
        MEDIA_ROOT=media,
        AUDIT_CHECKPOINT_DIR=tmp_path_factory.mktemp("demo-audit-checkpoints"),
        LANGUAGE_CODE="zh-hans",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        RATE_LIMIT_PREFIX=f"rl-test-{uuid.uuid4().hex[:12]}",
    )
    with django_db_blocker.unblock():
        before = snapshots.take()
        original, keys.RETIRED_DEV_FILE = keys.RETIRED_DEV_FILE, retired
        try:
            with environment:
                with transaction.atomic():
                    hide_world(world_pks)
                call_command("seed_demo", stdout=io.StringIO())
                seeded = snapshots.take()
        finally:
            keys.RETIRED_DEV_FILE = original
            snapshots.restore(before)
            (portal_keys.key_dir(django_settings.BASE_DIR) / retired).unlink(missing_ok=True)
    return DemoData(seeded, media)


@pytest.fixture
def seeded_demo(request, demo_snapshot, settings, tmp_path) -> None:
    """The database holds the full demo data (``seed_demo``) and nothing else (no world),
    restored in a second from the session's one seeding. In a plain database test the restore
    rolls back with the test; in a transactional one (``live_server``) it is committed, and the
    test's flush ends it (the world is seeded again after it). MEDIA_ROOT is a copy of the
    demo's files, this test's own."""
    import shutil

    from certificates import demo_vc
    from tests import snapshots

    request.getfixturevalue("transactional_db" if _is_transactional(request.node) else "db")
    settings.MEDIA_ROOT = tmp_path / "demo-media"
    shutil.copytree(demo_snapshot.media, settings.MEDIA_ROOT)
    snapshots.restore(demo_snapshot.snapshot)
    demo_vc.retired_demo_key()  # the demo's retired key, listed under this test's file name


def _uses_db(item) -> bool:
    names = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(names)
    )


@pytest.fixture(autouse=True)
def _world_only_when_asked(request):
    """A test that does not ask for the world does not see it: inside its transaction the
    world's rows are deleted (and come back when it rolls back), so the database is what the
    migrations made, as it was before the world was built once per session."""
    asked = {"world", "world_pks"} & set(request.fixturenames)
    if _Seeded.pks is None or asked or not _uses_db(request.node):
        return
    request.getfixturevalue("db")
    hide_world(_Seeded.pks)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush of every table: put the world back at once,
    so whatever runs next (in any order, on any xdist worker) finds the database as before."""
    result = yield
    # After the last test the session's fixtures (the test database too) are already gone.
    if nextitem is not None and _Seeded.pks is not None and _is_transactional(item):
        with _Seeded.blocker.unblock():
            if not _world_is_there():
                _world_again()
    return result


def _flush_by_delete() -> None:
    """The flush after each transactional test empties the tables with DELETE, not TRUNCATE:
    TRUNCATE makes new files for each of some 120 tables and their indexes (seconds, even when
    they are all but empty), DELETE of a few rows takes milliseconds. The tables end as empty
    as before; foreign keys are deferred to the commit (and, as PostgreSQL's superuser,
    portal's flush runs in replica mode, triggers off); resetting sequences still truncates."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        delete = style.SQL_KEYWORD("DELETE FROM")
        return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


def pytest_configure(config):
    _flush_by_delete()
    config.addinivalue_line("markers", "after_flush: runs after every transactional test")
    config.addinivalue_line("markers", "xdist_group(name): keeps tests on one xdist worker")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (plain database tests, transactional, the rest): the tests
    marked ``after_flush``, which check what a transactional test leaves behind."""
    items.sort(key=lambda item: item.get_closest_marker("after_flush") is not None)
    # The tests that fork processes lead the transactional ones, before any browser test has
    # started threads (Playwright's driver, the live server): a fork then hands its children
    # broken connection state.
    forks = [item for item in items if item.get_closest_marker("fork")]
    rest = [item for item in items if not item.get_closest_marker("fork")]
    at = next((n for n, item in enumerate(rest) if _transactional(item)), len(rest))
    items[:] = rest[:at] + forks + rest[at:]


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))
