"""python manage.py seed_demo: idempotent demo data for every app that has some.

Each app of the project that has demo data has a ``demo`` module exposing
``seed(stdout=...)``; ``autodiscover_modules("demo")`` imports them, and they run in
``INSTALLED_APPS`` order, so an app's demo can build on the demo of the apps below it.
portal names no app above it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules


def demo_modules() -> list[ModuleType]:
    """The project's own apps' ``demo`` modules with a ``seed``, in INSTALLED_APPS order.

    Installed third-party packages are not the project's: their ``demo`` modules (if any)
    are left alone.
    """
    autodiscover_modules("demo")
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.demo")
        if module is None or not callable(getattr(module, "seed", None)):
            continue
        # The project's apps are packages at the top of the project (not in a virtualenv).
        if Path(config.path).resolve().parents[config.name.count(".")] != base:
            continue
        found.append(module)
    return found


class Command(BaseCommand):
    help = "Create or complete the demo data (accounts for every role, demo agencies ...)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for module in demo_modules():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
