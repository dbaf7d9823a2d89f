"""Write production keys for every secret in portal/keys.py, one file each (SECRETS_DIR)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from portal import keys


class Command(BaseCommand):
    help = "Generate production keys into DIRECTORY (a file per secret, mode 0600), keeping any."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        for name in keys.write_production_keys(directory):
            self.stdout.write(f"{name}: wrote {directory / name}")
        self.stdout.write(
            f"Set SECRETS_DIR={directory} (or NAME_FILE per secret). PDF_SIGNING_CERT is "
            "self-signed: replace it with the certificate your CA issues for PDF_SIGNING_KEY."
        )
