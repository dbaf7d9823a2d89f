"""``manage.py verify_certificate FILE``: check an electronic certificate (decision 0044).

Prints ``valid``, ``revoked`` or ``invalid`` and why. The signature is checked offline with
the published keys (current and retired, ``certificates.keys``); the status comes from the
database. The kind of file picks the checker (``CHECKERS``): a VC JSON, or a PDF, whose PAdES
signature is checked against the portal's CA (``certificates.pades.check_pdf``) before its
attached credential is checked like a VC JSON. Exit status: 0 valid, 1 revoked, 2 invalid.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import pades, vc


def kind_of(path: Path, head: bytes) -> str:
    """``json`` or ``pdf`` (by content, then by name)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.lstrip()[:1] in (b"{", b"[") or path.suffix.lower() in (".json", ".jsonld"):
        return "json"
    return path.suffix.lower().lstrip(".") or "unknown"


def check_json(data: bytes) -> tuple[str, str]:
    """(``valid`` | ``revoked`` | ``invalid``, why) of a VC JSON."""
    try:
        credential = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return "invalid", f"not JSON: {exc}"
    return check_credential(credential)


def check_credential(credential: dict) -> tuple[str, str]:
    verdict = vc.verify_credential(credential)
    if not verdict.ok:
        return "invalid", verdict.reason
    state, why = vc.credential_status(credential)
    signed = f"{verdict.number}, signed by key {verdict.key_id}"
    if state == "valid":
        return "valid", signed
    if state == "revoked":
        return "revoked", f"{signed}; {why}"
    return "invalid", f"{signed}, but {why}"


#: Checkers by file kind: each takes the file's bytes, returns (verdict, why).
CHECKERS: dict[str, Callable[[bytes], tuple[str, str]]] = {
    "json": check_json,
    "pdf": lambda data: pades.check_pdf(data),  # PAdES, then the attached VC (issue 16)
}

EXIT = {"valid": 0, "revoked": 1, "invalid": 2}


class Command(BaseCommand):
    help = (
        "Check an electronic certificate (a VC JSON or a signed PDF): valid, revoked or "
        "invalid, and why."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        data = path.read_bytes()
        kind = kind_of(path, data[:64])
        checker = CHECKERS.get(kind)
        if checker is None:
            raise CommandError(f"cannot check a {kind} file (known: {', '.join(CHECKERS)})")
        verdict, why = checker(data)
        self.stdout.write(f"{verdict}: {why}" if why else verdict)
        if verdict != "valid":
            raise SystemExit(EXIT[verdict])
