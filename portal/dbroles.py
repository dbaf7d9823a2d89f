"""Two database roles: the tables' owner migrates, the application connects as a role that
owns nothing (docs/decisions/0020-database-roles.md).

Owning a table is what lets a role disable its triggers, drop them or take any privilege back,
so the application's role (``DATABASE_APP_ROLE``, default ``portal_app``) owns nothing. After
every ``migrate`` (run as the owner, ``DATABASE_OWNER_URL``) ``grant()`` gives it the normal
DML on every table, except: on audit entries only SELECT and INSERT, on chain heads SELECT,
INSERT and UPDATE (a trigger lets a head only grow), on ``django_migrations`` only SELECT.
TRUNCATE, REFERENCES and TRIGGER are never granted. PostgreSQL only; SQLite has no roles.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection as default_connection

logger = logging.getLogger("portal.dbroles")


def _tables():
    from portal.models import AuditChain, AuditEntry

    return AuditEntry._meta.db_table, AuditChain._meta.db_table


def grant_statements(role: str, schema: str = "public") -> list[str]:
    """The SQL that sets the app role's privileges, from nothing (idempotent)."""
    entries, heads = _tables()

    def q(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    r, s = q(role), q(schema)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        f"REVOKE INSERT, UPDATE, DELETE ON {s}.{q('django_migrations')} FROM {r}",
        f"REVOKE UPDATE, DELETE ON {s}.{q(entries)} FROM {r}",
        f"REVOKE DELETE ON {s}.{q(heads)} FROM {r}",
    ]


def role_exists(role: str, connection=default_connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def grant(role: str | None = None, connection=default_connection) -> bool:
    """Give ``role`` (default ``DATABASE_APP_ROLE``) its privileges; False when not done
    (not PostgreSQL, no such role, or connected as that role itself)."""
    role = role or settings.DATABASE_APP_ROLE
    if connection.vendor != "postgresql" or not role:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        user, schema = cursor.fetchone()
        if user == role:
            logger.warning(
                "migrations ran as %s, the application's role: set DATABASE_OWNER_URL", role
            )
            return False
        if not role_exists(role, connection):
            logger.info("no database role %s: privileges not granted", role)
            return False
        for statement in grant_statements(role, schema):
            cursor.execute(statement)
    return True


def ownership(role: str, connection=default_connection) -> list[str]:
    """Relations of the current schema that ``role`` owns (for the app role: none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = %s AND c.relnamespace = current_schema()::regnamespace "
            "ORDER BY c.relname",
            [role],
        )
        return [name for (name,) in cursor.fetchall()]


def connection_problems(connection=default_connection) -> list[str]:
    """Why the current connection could defeat the audit triggers (superuser, owner), if so."""
    if connection.vendor != "postgresql":
        return []
    entries, _heads = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, r.rolsuper, pg_get_userbyid(c.relowner) = current_user "
            "FROM pg_roles r, pg_class c WHERE r.rolname = current_user "
            "AND c.oid = to_regclass(%s)",
            [entries],
        )
        row = cursor.fetchone()
    if row is None:
        return []
    user, superuser, owner = row
    problems = []
    if superuser:
        problems.append(f"the connection's role {user} is a superuser")
    if owner:
        problems.append(f"the connection's role {user} owns the audit tables")
    return problems
