"""``manage.py export_certificate NUMBER --pdf OUT.pdf``: write one certificate's PDF (the
renderer is ``certificates.pdf.render_certificate(certificate) -> bytes``, the reference
layout; part 2 adds ``--vc``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certificate
from portal import codes


class Command(BaseCommand):
    help = "Export one certificate (its PDF)."

    def add_arguments(self, parser):
        parser.add_argument("number")
        parser.add_argument("--pdf", required=True, metavar="OUT.pdf")

    def handle(self, *args, **options):
        number = codes.normalize_code(options["number"])
        if not codes.is_valid_certificate_number(number):
            raise CommandError(f"{options['number']!r} is not a certificate number")
        certificate = Certificate.objects.filter(number=number).first()
        if certificate is None:
            raise CommandError(f"no certificate {number}")
        try:
            from certificates.pdf import render_certificate
        except ImportError:
            raise CommandError("the PDF renderer (certificates.pdf) is not installed") from None
        Path(options["pdf"]).write_bytes(render_certificate(certificate))
        self.stdout.write(f"{number} written to {options['pdf']}")
