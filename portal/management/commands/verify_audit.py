"""python manage.py verify_audit: recompute every audit chain; exit 1 naming the first break."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.audit import verify_chains


class Command(BaseCommand):
    help = "Recompute the hash chains of the audit trail; non-zero exit when one is broken."

    def handle(self, *args, **options) -> None:
        count, problems = verify_chains()
        if problems:
            for problem in problems:
                self.stderr.write(f"BROKEN {problem}")
            raise CommandError(f"audit trail broken in {len(problems)} chain(s)")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {count} entries verified."))
