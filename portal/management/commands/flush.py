"""python manage.py flush: empties every table, the audit trail included, only as a superuser.

Triggers refuse TRUNCATE of the audit entries and chain heads (migration 0013), so the test
runner's flush (after each transactional test) would fail. A PostgreSQL superuser may switch the
session to replica mode, in which ordinary triggers do not fire; nobody else can, so the
application's role and the tables' owner still cannot empty the trail this way.
"""

from __future__ import annotations

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
            superuser = bool(row and row[0])
            if superuser:
                cursor.execute("SET session_replication_role = replica")
        try:
            return super().handle(**options)
        finally:
            if superuser:
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = origin")
