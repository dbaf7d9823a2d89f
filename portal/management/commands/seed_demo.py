"""python manage.py seed_demo: idempotent demo data for every app that has some."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create or complete the demo data (accounts for every role, demo agencies ...)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.name.split(".")[0] not in {
                    "portal",
                    "catalog",
                    "agencies",
                    "assessments",
                    "certificates",
                    "supervision",
                }:
                    continue
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
