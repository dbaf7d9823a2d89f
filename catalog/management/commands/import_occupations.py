"""python manage.py import_occupations FILE: load occupations from CSV or XLSX, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from catalog.services import imports
from portal.access import SYSTEM
from portal.models import User


class Command(BaseCommand):
    help = (
        "Import occupations (columns code, name, major_category, work_type_count, marker) from a "
        "CSV or XLSX file. Every bad row is reported with its line; nothing is written then."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument(
            "--as-user", default="", help="the official recorded in the audit trail (username)"
        )
        parser.add_argument(
            "--source",
            default="classification_2022",
            choices=["classification_2022", "published_later"],
        )

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        plan = imports.plan_import(data, path.name)
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} bad row(s); nothing was imported")
        summary = (
            f"new {len(plan.creates)}, updated {len(plan.updates)}, unchanged {plan.unchanged}"
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run: {summary}")
            return
        actor = self._actor(options["as_user"])
        plan = imports.apply_import(actor, data, path.name, source=options["source"])
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}"))

    def _actor(self, username: str):
        if not username:
            return SYSTEM  # an operator at the server's shell
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username}")
        return user
