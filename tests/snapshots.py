"""Snapshots of the test database's rows, taken and put back in a second or two.

``seed_demo`` takes minutes on a loaded machine; the tests that need the full demo data share
one seeding per session (``seeded_demo`` in ``tests/conftest.py``): the rows of every table are
copied out once (``COPY ... TO STDOUT``, binary, kept in memory) and copied back in for each
test that asks. Putting a snapshot back empties every table first (``TRUNCATE``, as Django's
flush does, by DELETE: on some 120 mostly empty tables TRUNCATE costs seconds, DELETE of
the few non-empty ones milliseconds) and only ever moves a sequence forward, so ids handed out
later never collide with rows of any snapshot. Inside a test's transaction the restore is
rolled back with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

# Every sequence owned by a column (serial or identity), with its table and column.
SEQUENCES = """
SELECT seq.relname, tbl.relname, col.attname
FROM pg_class seq
JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass
    AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
JOIN pg_class tbl ON tbl.oid = dep.refobjid
JOIN pg_attribute col ON col.attrelid = tbl.oid AND col.attnum = dep.refobjsubid
JOIN pg_namespace ns ON ns.oid = seq.relnamespace
WHERE seq.relkind = 'S' AND ns.nspname = current_schema()
"""


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@dataclass(frozen=True)
class Snapshot:
    """The rows of every table of the project's models, as PostgreSQL's binary COPY wrote them."""

    tables: dict[str, bytes]

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.tables.values())


def _table_names() -> list[str]:
    # The tables Django's flush empties: every installed model's (not django_migrations).
    return sorted(connection.introspection.django_table_names(only_existing=True))


def take() -> Snapshot:
    """Copy out the rows of every table, in one transaction (one consistent picture)."""
    tables = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _table_names():
            with cursor.copy(f"COPY {_q(table)} TO STDOUT (FORMAT binary)") as copy:
                tables[table] = b"".join(bytes(block) for block in copy)
    return Snapshot(tables)


def restore(snapshot: Snapshot) -> None:
    """Make every table hold exactly the snapshot's rows.

    In a test's transaction (``db``) this is rolled back with the test; outside one
    (``transactional_db``, ``live_server``) it is committed. As the test runner's flush does
    (portal/management/commands/flush.py), it needs PostgreSQL's superuser: triggers refuse
    to empty the audit trail, and in replica mode, for this transaction only, no trigger
    fires (nor a foreign-key check row by row: the rows were consistent when taken).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            raise RuntimeError("restoring a snapshot needs a PostgreSQL superuser (as flush)")
        # Deletes earlier in this transaction (hide_world) leave deferred checks pending:
        # run them now, before the rows they check are gone.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SHOW session_replication_role")
        role = cursor.fetchone()[0]
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in _non_empty(cursor, _table_names()):
            cursor.execute(f"DELETE FROM {_q(table)}")  # noqa: S608 (a table's name)
        for table, data in snapshot.tables.items():
            if len(data) <= 21:  # the binary header and trailer only: no rows
                continue
            with cursor.copy(f"COPY {_q(table)} FROM STDIN (FORMAT binary)") as copy:
                copy.write(data)
        cursor.execute(f"SET LOCAL session_replication_role = {role}")
        _sequences_past_rows(cursor)


def _non_empty(cursor, tables: list[str]) -> list[str]:
    exists = ", ".join(f"EXISTS (SELECT 1 FROM {_q(t)})" for t in tables)  # noqa: S608
    cursor.execute(f"SELECT {exists}")
    return [t for t, full in zip(tables, cursor.fetchone(), strict=True) if full]


def _sequences_past_rows(cursor) -> None:
    """Move each sequence past its table's largest id, never back."""
    cursor.execute(SEQUENCES)
    # The names come from the catalogue, quoted; no value from outside.
    parts = [_setval(seq, tbl, col) for seq, tbl, col in cursor.fetchall()]
    if parts:
        cursor.execute("SELECT " + ", ".join(parts))


def _setval(seq: str, table: str, column: str) -> str:
    largest = f"SELECT COALESCE(MAX({_q(column)}), 0) FROM {_q(table)}"  # noqa: S608
    current = f"SELECT last_value FROM {_q(seq)}"  # noqa: S608
    return f"setval('{_q(seq)}'::regclass, GREATEST(({largest}), ({current})))"
