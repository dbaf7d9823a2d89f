"""python manage.py verify_audit: recompute every audit chain, compare it with the latest
signed checkpoint (or one given with --checkpoint); exit 1 naming what is missing or altered."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal import dbroles
from portal.audit import checkpoints, verify_chains


class Command(BaseCommand):
    help = (
        "Recompute the MAC chains of the audit trail and compare their heads with the latest "
        "signed checkpoint; non-zero exit naming each chain altered, truncated or missing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--checkpoint",
            type=Path,
            help="compare with this checkpoint file (a copy kept elsewhere) instead of the "
            "latest one in AUDIT_CHECKPOINT_DIR",
        )

    def handle(self, *args, **options) -> None:
        chosen = "latest"
        if options.get("checkpoint"):
            try:
                chosen = checkpoints.load(options["checkpoint"])
            except checkpoints.CheckpointInvalid as exc:
                raise CommandError(f"{options['checkpoint']}: {exc}") from exc
        for problem in dbroles.connection_problems():
            self.stderr.write(f"WARNING {problem}: it could disable the audit triggers")
        count, problems = verify_chains(checkpoint=chosen)
        if problems:
            for problem in problems:
                self.stderr.write(f"BROKEN {problem}")
            raise CommandError(f"audit trail broken: {len(problems)} problem(s)")
        used = chosen if chosen != "latest" else checkpoints.latest_valid()[0]
        against = f" against checkpoint {used.name}" if used is not None else " (no checkpoint yet)"
        self.stdout.write(
            self.style.SUCCESS(f"Audit trail intact: {count} entries verified{against}.")
        )
