"""python manage.py rotate_pii_keys: after putting a new key first in PII_ENCRYPTION_KEY (or
PII_INDEX_KEY), re-encrypt every stored ID number under the current encryption key and
re-index every one under the current index key (decision 0031). Idempotent; the old key
can be removed from the setting once this has run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal import pii


class Command(BaseCommand):
    help = "Re-encrypt ID numbers under the current PII key and re-index them (decision 0031)."

    def handle(self, *args, **options) -> None:
        for label, (encrypted, indexed) in pii.rotate().items():
            self.stdout.write(f"{label}: {encrypted} re-encrypted, {indexed} re-indexed")
        self.stdout.write(self.style.SUCCESS("ID numbers are under the current keys."))
