"""Two database roles (ADR 0020): the application's role owns nothing and cannot defeat the
audit triggers; the owner migrates and grants.

``as_app`` runs the rest of a test as ``DATABASE_APP_ROLE`` (``SET LOCAL ROLE`` in the test's
transaction, after granting it what ``migrate`` grants), creating the role in the test cluster
when it is absent, so the application code below meets the privileges it has in production.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DatabaseError, connection, connections, transaction

from portal import audit, dbroles
from portal.audit import checkpoints
from portal.models import AuditChain, AuditEntry

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and triggers are PostgreSQL-only"
)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@pytest.fixture(scope="session")
def _app_role(django_db_setup, django_db_blocker) -> str:
    role = settings.DATABASE_APP_ROLE
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # Roles belong to the cluster; a parallel test process may create it at the same time.
        cursor.execute(
            f"DO $$ BEGIN CREATE ROLE {_quoted(role)} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    return role


@pytest.fixture
def as_app(db, _app_role, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    assert dbroles.grant(_app_role)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # nothing of the owner's left pending
        cursor.execute(f"SET LOCAL ROLE {_quoted(_app_role)}")
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == _app_role
    return _app_role


def _refused(sql: str, params=None, match: str = "permission denied") -> None:
    with (
        pytest.raises(DatabaseError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_record_and_verify_work_as_the_app_role(world, as_app):
    first = audit.record(world.gd_official, "portal.test.as_app", world.gd_agency)
    second = audit.record(world.gd_official, "portal.test.as_app", world.gd_agency)
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
    checkpoint = checkpoints.write()
    assert audit.verify_chains()[1] == []
    assert first.partition in {h.partition for h in checkpoint.heads}
    assert dbroles.connection_problems() == []


def test_the_app_role_owns_nothing(db, _app_role):
    assert dbroles.ownership(_app_role) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s",
            [_app_role],
        )
        assert cursor.fetchone() == (False, False, False)


def test_the_app_role_cannot_disable_the_triggers(world, as_app):
    audit.record(None, "portal.test.x", province="000000")
    for table, trigger in (
        ("portal_auditentry", "portal_auditentry_append_only"),
        ("portal_auditchain", "portal_auditchain_only_grows"),
    ):
        _refused(f"ALTER TABLE {table} DISABLE TRIGGER USER", match="must be owner")
        _refused(f"DROP TRIGGER {trigger} ON {table}", match="must be owner")
    _refused("SET session_replication_role = replica", match="permission denied")


def test_the_app_role_cannot_change_delete_or_truncate_entries_or_heads(world, as_app):
    entry = audit.record(None, "portal.test.x", province="000000")
    _refused("UPDATE portal_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    _refused("DELETE FROM portal_auditentry WHERE id = %s", [entry.pk])
    _refused("TRUNCATE portal_auditentry CASCADE")
    _refused("DELETE FROM portal_auditchain WHERE partition = %s", [entry.partition])
    _refused("TRUNCATE portal_auditchain")
    assert AuditEntry.objects.filter(pk=entry.pk, action="portal.test.x").exists()


def test_a_head_only_grows(world, as_app):
    entries = [audit.record(None, f"portal.test.{i}", province="000000") for i in range(3)]
    partition = entries[0].partition
    _refused(
        "UPDATE portal_auditchain SET last_seq = 2, last_hash = %s WHERE partition = %s",
        [entries[1].hash, partition],
        match="audit chain heads only grow",
    )
    _refused(
        "UPDATE portal_auditchain SET last_hash = %s WHERE partition = %s",
        ["f" * 64, partition],
        match="audit chain heads only grow",
    )
    _refused(
        "UPDATE portal_auditchain SET partition = 'authority:999999' WHERE partition = %s",
        [partition],
        match="keeps its partition",
    )
    _refused(
        "INSERT INTO portal_auditchain (partition, last_seq, last_hash) VALUES (%s, 7, %s)",
        ["authority:990000", "a" * 64],
        match="starts empty",
    )
    head = AuditChain.objects.get(partition=partition)
    assert (head.last_seq, head.last_hash) == (3, entries[2].hash)


def test_even_the_owner_meets_the_triggers(world):
    """The owner could switch them off (and that is what checkpoints catch), but a plain
    DELETE or TRUNCATE, by mistake or by a tool, is refused."""
    entry = audit.record(None, "portal.test.x", province="000000")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no pending check
    _refused("TRUNCATE portal_auditentry CASCADE", match="never truncated")
    _refused("TRUNCATE portal_auditchain", match="never truncated")
    _refused(
        "DELETE FROM portal_auditchain WHERE partition = %s",
        [entry.partition],
        match="never deleted",
    )
    _refused("DELETE FROM portal_auditentry WHERE id = %s", [entry.pk], match="append-only")


def test_the_grants(db, _app_role):
    statements = dbroles.grant_statements("portal_app")
    text = "\n".join(statements)
    assert "TRUNCATE" not in text and "REFERENCES" not in text and "OWNER" not in text
    assert 'REVOKE UPDATE, DELETE ON "public"."portal_auditentry" FROM "portal_app"' in text
    assert 'REVOKE DELETE ON "public"."portal_auditchain" FROM "portal_app"' in text
    assert dbroles.grant(_app_role)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) "
            "FROM information_schema.role_table_grants WHERE grantee = %s "
            "AND table_name IN ('portal_auditentry', 'portal_auditchain', 'portal_user', "
            "'django_migrations') GROUP BY table_name ORDER BY table_name",
            [_app_role],
        )
        assert cursor.fetchall() == [
            ("django_migrations", "SELECT"),
            ("portal_auditchain", "INSERT,SELECT,UPDATE"),
            ("portal_auditentry", "INSERT,SELECT"),
            ("portal_user", "DELETE,INSERT,SELECT,UPDATE"),
        ]


def test_migrate_connects_as_the_owner_when_told(monkeypatch, settings):
    """``migrate`` points the default connection at DATABASE_OWNER_URL, then back."""
    seen = {}

    def fake_handle(self, *args, **options):
        seen.update(connections["default"].settings_dict)

    monkeypatch.setattr(DjangoMigrate, "handle", fake_handle)
    before = dict(connections["default"].settings_dict)
    settings.DATABASE_OWNER_URL = "postgres://portal_owner:s3cret@db.internal:5433/portal"
    call_command("migrate", verbosity=0)
    assert (seen["USER"], seen["PASSWORD"], seen["HOST"], seen["PORT"], seen["NAME"]) == (
        "portal_owner",
        "s3cret",
        "db.internal",
        5433,
        "portal",
    )
    assert connections["default"].settings_dict["USER"] == before["USER"]
    assert connections["default"].settings_dict["NAME"] == before["NAME"]
    settings.DATABASE_OWNER_URL = ""
    seen.clear()
    call_command("migrate", verbosity=0)
    assert seen["USER"] == before["USER"]
