"""``manage.py issue_certificates SESSION_ID [SESSION_ID …] --by USERNAME [--variant zh-en]``
(Art 20): issue the certificates of final passing results in one batch, for bulk work. The
user's access is checked exactly as in the browser (agency admin or staff of the sessions'
agency); a refusal prints its reason and exits with status 1, leaving nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from certificates.models import CertificateVariant
from certificates.services import issue_certificates
from portal.models import User


class Command(BaseCommand):
    help = "Issue the certificates of final passing results of one or more sessions."

    def add_arguments(self, parser):
        parser.add_argument("session_ids", nargs="+", type=int, metavar="SESSION_ID")
        parser.add_argument("--by", required=True, metavar="USERNAME", help="the agency member")
        parser.add_argument(
            "--variant", default=CertificateVariant.ZH, choices=CertificateVariant.values
        )

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["by"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['by']!r}")
        try:
            batch = issue_certificates(user, options["session_ids"], variant=options["variant"])
        except PermissionDenied:
            raise CommandError(
                f"{user.username} may not issue certificates of these sessions"
            ) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if batch.done:
            self.stdout.write(
                f"batch {batch.pk}: {batch.done} certificates issued, "
                f"{batch.first_number} – {batch.last_number}; {batch.skipped} already issued"
            )
        else:
            self.stdout.write(f"nothing new to issue ({batch.skipped} already issued)")
