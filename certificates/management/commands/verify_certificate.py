"""``manage.py verify_certificate FILE``: check an electronic certificate (decisions 0044, 0048).

Prints ``valid``, ``revoked``, ``inconclusive`` or ``invalid`` and why, from the one
verification service the public verify page uses (``certificates.verification``): the
signature is checked offline with the published keys (current and retired), a PDF's PAdES
signature against the portal's CA before its attached credential, and the status comes from
the database. ``invalid`` is the page's "bad signature"; ``inconclusive`` means the signature
is good but the status could not be checked (never valid). Exit status: 0 valid, 1 revoked,
2 invalid, 3 inconclusive.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates import verification

#: The command's words for the service's verdicts ("invalid" as it always printed).
WORDS = {
    verification.VALID: "valid",
    verification.REVOKED: "revoked",
    verification.INCONCLUSIVE: "inconclusive",
    verification.BAD_SIGNATURE: "invalid",
}
EXIT = {"valid": 0, "revoked": 1, "invalid": 2, "inconclusive": 3}


def kind_of(path: Path, head: bytes) -> str:
    """``json`` or ``pdf`` (by content, then by name)."""
    found = verification.kind_of(head)
    if found:
        return found
    if path.suffix.lower() in (".json", ".jsonld"):
        return "json"
    return path.suffix.lower().lstrip(".") or "unknown"


def _answer(outcome: verification.Outcome) -> tuple[str, str]:
    return WORDS[outcome.verdict], outcome.reason


def check_json(data: bytes) -> tuple[str, str]:
    """(``valid`` | ``revoked`` | ``inconclusive`` | ``invalid``, why) of a VC JSON."""
    return _answer(verification.verify_upload(data, filename="credential.json"))


def check_credential(credential: dict) -> tuple[str, str]:
    """The same, of a parsed credential."""
    return _answer(verification.verify_credential_data(credential))


def check_pdf(data: bytes) -> tuple[str, str]:
    return _answer(verification.verify_pdf_bytes(data))


#: Checkers by file kind: each takes the file's bytes, returns (verdict, why).
CHECKERS = {"json": check_json, "pdf": check_pdf}


class Command(BaseCommand):
    help = (
        "Check an electronic certificate (a VC JSON or a signed PDF): valid, revoked, "
        "inconclusive or invalid, and why."
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
