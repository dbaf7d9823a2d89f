"""``manage.py import_legacy_certificates FILE --source S --user U [--apply]`` (Art 4;
decision 0046): check a file of legacy certificates as testing-centre user U and print the
per-row errors; with ``--apply`` import every row or none."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates.services import legacy


class Command(BaseCommand):
    help = "Import certificates issued before the portal or elsewhere, for lookup (Art 4)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="who issued these certificates")
        parser.add_argument("--user", required=True, help="the testing-centre user importing")
        parser.add_argument("--apply", action="store_true", help="import (default: check only)")

    def handle(self, *args, **options):
        from portal.models import User

        actor = User.objects.filter(username=options["user"]).first()
        if actor is None:
            raise CommandError(f"no user {options['user']!r}")
        try:
            batch = legacy.stage_file(actor, options["file"], source=options["source"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for row in batch.rows:
            if row["errors"]:
                self.stdout.write(f"row {row['row']}: {legacy.describe_errors(row['errors'])}")
        self.stdout.write(
            f"import {batch.pk}: {batch.total_rows} rows, {batch.error_rows} with errors"
        )
        if batch.error_rows:
            raise CommandError("nothing imported: correct the rows above")
        if options["apply"]:
            try:
                batch = legacy.apply(actor, batch)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self.stdout.write(f"imported {batch.added}, already on record {batch.skipped}")
