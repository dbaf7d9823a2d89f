"""Signal handlers of the portal app."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal


def sync_role_groups(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Keep each authority group's model permissions equal to ``ROLE_PERMISSIONS``.

    Groups are created by a data migration, but permissions only exist after
    ``post_migrate`` creates them on a fresh database, so they are attached here.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group, Permission

    from portal.roles import ROLE_PERMISSIONS

    # post_migrate fires once per app; act once, after the last app's permissions exist.
    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)


def grant_app_role(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After migrating (as the owner), give the application's role its privileges (0020)."""
    from django.apps import apps as global_apps
    from django.db import connections

    from portal import dbroles

    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    dbroles.grant(connection=connections[using])


# --- Signals other apps hear (agencies sends, higher apps connect) ---------------------------

#: Sent by ``agencies.services.remove_member`` inside its transaction, before the membership
#: row is deleted: ``membership`` (still readable) and ``actor``. Exam affairs ends the
#: person's assignments in that agency and takes their session grants away (Art 19).
member_removed = Signal()
