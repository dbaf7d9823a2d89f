"""python manage.py checkpoint_audit: sign every audit chain head into a checkpoint file now."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from portal.audit import checkpoints


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of every audit chain head into AUDIT_CHECKPOINT_DIR; "
        "refuses (non-zero exit) when the chains do not continue the previous checkpoint."
    )

    def handle(self, *args, **options) -> None:
        try:
            checkpoint = checkpoints.write()
        except checkpoints.CheckpointRefused as exc:
            for problem in exc.problems:
                self.stderr.write(f"BROKEN {problem}")
            raise CommandError("no checkpoint written: the audit trail is damaged") from exc
        path = checkpoints.directory() / checkpoint.name
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint {path}: {len(checkpoint.heads)} chain heads, "
                f"SHA-256 {checkpoint.digest}."
            )
        )
