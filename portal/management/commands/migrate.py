"""python manage.py migrate: as the tables' owner when DATABASE_OWNER_URL is set (0020).

The application's DATABASE_URL names a role that owns nothing; migrations need the owner. With
``DATABASE_OWNER_URL`` set, the default connection is pointed at it for this command only, and
the post_migrate handler grants the application's role its privileges over that connection.
"""

from __future__ import annotations

import dj_database_url
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

_WHERE = ("NAME", "USER", "PASSWORD", "HOST", "PORT", "ENGINE", "OPTIONS")


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Connects as DATABASE_OWNER_URL when it is set."

    def handle(self, *args, **options):
        owner_url = getattr(settings, "DATABASE_OWNER_URL", "")
        alias = options.get("database") or DEFAULT_DB_ALIAS
        if not owner_url or alias != DEFAULT_DB_ALIAS:
            return super().handle(*args, **options)
        try:
            owner = dj_database_url.parse(owner_url)
        except Exception as exc:
            raise ImproperlyConfigured(f"DATABASE_OWNER_URL is malformed: {exc}") from exc
        connection = connections[alias]
        saved = {key: connection.settings_dict.get(key) for key in _WHERE}
        connection.close()
        connection.settings_dict.update({key: owner[key] for key in _WHERE if key in owner})
        try:
            return super().handle(*args, **options)
        finally:
            connection.close()
            connection.settings_dict.update(saved)
