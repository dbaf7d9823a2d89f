"""Reference rows every database needs: provinces and the authority-role groups.

Migrations create them; this restores them where a test (or an operator) has
flushed the tables, with the same content.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from portal import codes


def ensure_reference_data() -> None:
    from django.apps import apps

    from portal.models import Province
    from portal.roles import AUTHORITY_ROLES
    from portal.signals import sync_role_groups

    Province.objects.bulk_create(
        [Province(code=code, name=name) for code, name in codes.PROVINCES.items()],
        ignore_conflicts=True,
    )
    for role in AUTHORITY_ROLES:
        Group.objects.get_or_create(name=role)
    configs = [c for c in apps.get_app_configs() if c.models_module is not None]
    sync_role_groups(sender=configs[-1])
