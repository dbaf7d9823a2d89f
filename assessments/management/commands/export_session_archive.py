"""``manage.py export_session_archive SESSION_ID OUT.zip``: the archive export of an archived
session (Art 21), the same bytes as the download on the session's archive page; prints its
SHA-256 and whether it matches the digest recorded at archiving."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.models import ArchiveExport, AssessmentSession
from assessments.services import archives


class Command(BaseCommand):
    help = "Write the reproducible archive ZIP of an archived assessment session."

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int)
        parser.add_argument("out", type=Path)

    def handle(self, *args, session_id: int, out: Path, **options):
        session = AssessmentSession.objects.filter(pk=session_id).first()
        if session is None:
            raise CommandError(f"no assessment session {session_id}")
        if session.archived_at is None:
            raise CommandError(f"session {session_id} is not archived")
        data, files = archives.build_export(session)
        digest = archives.export_digest(data)
        out.write_bytes(data)
        recorded = ArchiveExport.objects.filter(session=session).first()
        match = recorded is not None and recorded.sha256 == digest
        self.stdout.write(f"{out}: {files} files, {len(data)} bytes, SHA-256 {digest}")
        if recorded is None:
            self.stdout.write("no digest was recorded at archiving")
        elif not match:
            raise CommandError(
                f"the export does not match the digest recorded at archiving ({recorded.sha256})"
            )
        else:
            self.stdout.write("matches the digest recorded at archiving")
