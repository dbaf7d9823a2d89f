"""``manage.py import_roster SESSION_ID FILE [--apply] [--photos ZIP]`` and
``manage.py import_roster --template OUT.xlsx`` (decision 0035).

Without ``--apply`` the roster is checked and nothing is stored: each failing row is printed
with its errors, column by column, and the exit status is 1 when any row fails. ``--apply``
stages and applies the roster in one transaction: all rows or none.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import AssessmentSession
from assessments.services import imports
from portal.models import AgencyMembership, User
from portal.roles import AgencyRole


class Command(BaseCommand):
    help = "Check (and with --apply enrol) a roster of candidates for a session."

    def add_arguments(self, parser):
        parser.add_argument("session_id", nargs="?", type=int)
        parser.add_argument("file", nargs="?")
        parser.add_argument("--apply", action="store_true", help="enrol every row, or none")
        parser.add_argument("--photos", default="", help="a ZIP of photos named by ID number")
        parser.add_argument("--template", default="", metavar="OUT.xlsx")
        parser.add_argument("--as-user", default="", help="the agency member recorded as actor")

    def handle(self, *args, **options):
        if options["template"]:
            Path(options["template"]).write_bytes(imports.template())
            self.stdout.write(f"template written to {options['template']}")
            return
        if not options["session_id"] or not options["file"]:
            raise CommandError("give SESSION_ID and FILE, or --template OUT.xlsx")
        session = (
            AssessmentSession.objects.select_related("agency", "site")
            .filter(pk=options["session_id"])
            .first()
        )
        if session is None:
            raise CommandError(f"no session {options['session_id']}")
        path = Path(options["file"])
        data = path.read_bytes()
        if not options["apply"]:
            try:
                rows = list(imports.check_rows(session, imports.read(data)))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self._report(rows, len(rows))
            if any(r.errors for r in rows):
                raise SystemExit(1)
            return
        actor = self._actor(session, options["as_user"])
        photos = None
        if options["photos"]:
            photos = ContentFile(Path(options["photos"]).read_bytes(), name=options["photos"])
        try:
            with transaction.atomic():
                batch = imports.stage(
                    actor, session, ContentFile(data, name=path.name), photos=photos, run_now=True
                )
                if batch.file_error:
                    raise CommandError(batch.file_error)
                rows = list(batch.rows.all())
                if batch.error_rows:
                    self._report(rows, len(rows))
                    raise _Failed
                added = imports.apply(actor, batch)
        except _Failed:
            raise SystemExit(1) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{added} candidates enrolled (batch {batch.pk})")

    def _report(self, rows, total):
        bad = [r for r in rows if r.errors]
        for row in bad:
            self.stdout.write(f"第 {row.number} 行：{imports.describe_errors(row.errors)}")
        self.stdout.write(f"{total} rows, {total - len(bad)} ready, {len(bad)} with errors")

    def _actor(self, session, username):
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username}")
            return user
        membership = (
            AgencyMembership.objects.filter(
                agency=session.agency, role=AgencyRole.ADMIN, user__is_active=True
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            raise CommandError("the agency has no active admin: give --as-user")
        return membership.user


class _Failed(Exception):
    pass
