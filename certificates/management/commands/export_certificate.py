"""``manage.py export_certificate NUMBER [--pdf OUT.pdf] [--vc OUT.json]``: write one
certificate's electronic PDF (rendered, the VC attached, PAdES-signed:
``certificates.pades.signed_certificate_pdf``) and/or its
signed verifiable credential (``certificates.vc.credential_for``, decision 0044)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certificate
from portal import codes


class Command(BaseCommand):
    help = "Export one certificate (its PDF and/or its verifiable credential)."

    def add_arguments(self, parser):
        parser.add_argument("number")
        parser.add_argument("--pdf", metavar="OUT.pdf")
        parser.add_argument("--vc", metavar="OUT.json", help="the signed verifiable credential")

    def handle(self, *args, **options):
        if not options["pdf"] and not options["vc"]:
            raise CommandError("say what to write: --pdf OUT.pdf and/or --vc OUT.json")
        number = codes.normalize_code(options["number"])
        if not codes.is_valid_certificate_number(number):
            raise CommandError(f"{options['number']!r} is not a certificate number")
        certificate = Certificate.objects.filter(number=number).first()
        if certificate is None:
            raise CommandError(f"no certificate {number}")
        if options["vc"]:
            from certificates.vc import credential_for

            text = json.dumps(credential_for(certificate), ensure_ascii=False, indent=2)
            Path(options["vc"]).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"{number} credential written to {options['vc']}")
        if options["pdf"]:
            from certificates.pades import signed_certificate_pdf

            # The electronic certificate: the VC attached, PAdES-signed (issue 16).
            Path(options["pdf"]).write_bytes(signed_certificate_pdf(certificate))
            self.stdout.write(f"{number} written to {options['pdf']} (signed)")
