"""Verifying an electronic certificate someone holds (Art 22; decision 0048).

One place answers "is this certificate genuine, unchanged and still valid?" for the public
verify page (``/certificates/verify/``), for ``manage.py verify_certificate`` and for an API
later. The verdict is exactly one of:

* ``valid``: the signature is the portal's, nothing was changed, and our register says the
  certificate stands;
* ``revoked``: the signature is good, and the register says it was revoked (Art 27) or
  replaced by a corrected certificate (更正) — a replaced certificate no longer stands, so it
  is revoked for whoever relies on it, with the successor named;
* ``inconclusive``: the signature is good but the status could not be checked (the number is
  not in our register, the status entry is not the certificate's own, the database could not
  be read). Never shown as valid;
* ``bad_signature``: any signature problem (forged, changed, an unknown key, not signed, an
  unreadable file, a PDF changed after signing, a PDF whose attached credential does not
  verify or is not the same certificate).

A ``bad_signature`` outcome carries **no field of the document**: whoever forged it wrote
those fields, and the page must not repeat them as if the portal vouched for them. Every other
outcome carries the facts from **our register** (``certificates.services.lookup.public_facts``,
the name masked as on the certificate's public page), never from the upload.

A PDF must carry a valid PAdES signature by the portal's CA (``pades.verify_pdf``) and an
attached credential that verifies on its own and names the same certificate.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from certificates import pades, vc
from certificates.models import Certificate, CertificateStatus
from portal.pii import mask_name

logger = logging.getLogger(__name__)

VALID, REVOKED, INCONCLUSIVE, BAD_SIGNATURE = "valid", "revoked", "inconclusive", "bad_signature"
VERDICTS = (VALID, REVOKED, INCONCLUSIVE, BAD_SIGNATURE)

#: What was checked, in the order checked; the page lists each with ✓ / ✗ / — .
CHECKS = {
    "file": _("The file is a certificate PDF or an electronic credential (VC JSON)"),
    "pdf_signature": _("The PDF's signature is the service's and the file was not changed"),
    "attachment": _("The PDF carries the certificate's electronic credential"),
    "proof": _("The credential's signature verifies with the service's published keys"),
    "same": _("The credential inside the PDF is the same certificate"),
    "register": _("The certificate is in the service's register"),
    "status": _("Its status in the register (valid, revoked or replaced)"),
}

#: Why a credential with a good signature cannot be judged (the page says it in Chinese).
NOT_IN_REGISTER, ENTRY_NOT_OWN, STATUS_UNAVAILABLE = (
    "not_in_register",
    "entry_not_own",
    "status_unavailable",
)


@dataclass(frozen=True)
class Outcome:
    """The answer to one upload. ``reason`` is a fixed English sentence (command output,
    tests); ``facts``/``certificate`` come from the register and are None for a bad
    signature; ``checks`` pairs each ``CHECKS`` name with True, False or None (not reached)."""

    verdict: str
    reason: str
    kind: str = ""
    checks: tuple[tuple[str, bool | None], ...] = ()
    facts: dict[str, Any] | None = None
    certificate: Certificate | None = None
    key_id: str = ""
    detail: str = ""  # NOT_IN_REGISTER, ENTRY_NOT_OWN, STATUS_UNAVAILABLE, "replaced", "revoked"
    successor: Certificate | None = None

    @property
    def is_bad(self) -> bool:
        return self.verdict == BAD_SIGNATURE

    @property
    def check_list(self) -> list[tuple[str, bool | None]]:
        """(label, passed) for the page."""
        return [(str(CHECKS[name]), passed) for name, passed in self.checks]


def _bad(reason: str, kind: str, checks: list) -> Outcome:
    # Nothing of the document: no number, no name, no key id it claims.
    return Outcome(BAD_SIGNATURE, reason, kind, tuple(checks))


def kind_of(data: bytes) -> str:
    """``pdf`` or ``json`` by the content's first bytes, else ``""``."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] == b"{":
        return "json"
    return ""


def parse_json(data: bytes) -> Any:
    """The JSON of an upload, or raises ``ValueError`` (not UTF-8, not JSON, too deep)."""
    try:
        text = data.decode("utf-8-sig")
        return json.loads(text)
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(type(exc).__name__) from exc
    except ValueError:  # JSONDecodeError, and integers past Python's digit limit
        raise


def verify_upload(data: bytes, *, filename: str = "", content_type: str = "") -> Outcome:
    """Verify an uploaded VC JSON or certificate PDF (Art 22). The kind is read from the
    content, not from ``filename`` or ``content_type`` (a phone may send either wrong); the
    upload form has checked both already. The bytes are never stored."""
    kind = kind_of(data)
    if kind == "pdf":
        return verify_pdf_bytes(data)
    if kind == "json":
        try:
            credential = parse_json(data)
        except ValueError:
            return _bad("not JSON", "json", [("file", False)])
        return verify_credential_data(credential, kind="json", checks=[("file", True)])
    return _bad("not a certificate PDF nor a VC JSON", "", [("file", False)])


def verify_pdf_bytes(data: bytes) -> Outcome:
    """A certificate PDF: its PAdES signature, then its attached credential (the same
    certificate), then the register's status."""
    checks: list[tuple[str, bool | None]] = [("file", True)]
    try:
        verdict = pades.verify_pdf(data)
    except Exception:  # noqa: BLE001 - a mangled file of any shape is a bad signature
        logger.info("verify: a PDF could not be read")
        verdict = pades.PdfVerdict(False, "not a readable PDF")
    checks.append(("pdf_signature", verdict.ok))
    if not verdict.ok:
        return _bad(f"PDF signature: {verdict.reason}", "pdf", checks)
    credential = verdict.credential
    checks.append(("attachment", isinstance(credential, dict)))
    if not isinstance(credential, dict):
        return _bad(f"PDF signature valid, but no {pades.ATTACHMENT} is attached", "pdf", checks)
    outcome = verify_credential_data(credential, kind="pdf", checks=checks, pdf=True)
    if outcome.is_bad:
        return Outcome(
            BAD_SIGNATURE, f"attached credential: {outcome.reason}", "pdf", outcome.checks
        )
    signer = f"PDF signature valid ({verdict.signer}), the file was not changed"
    return Outcome(
        outcome.verdict,
        f"{signer}; attached credential: {outcome.reason}",
        "pdf",
        outcome.checks,
        outcome.facts,
        outcome.certificate,
        outcome.key_id,
        outcome.detail,
        outcome.successor,
    )


def _proof(credential: Any) -> vc.Verdict:
    try:
        return vc.verify_credential(credential)
    except Exception:  # noqa: BLE001 - e.g. values the canonicaliser refuses (NaN, huge)
        return vc.Verdict(False, "the credential cannot be canonicalised")


def verify_credential_data(
    credential: Any, *, kind: str = "json", checks: list | None = None, pdf: bool = False
) -> Outcome:
    """A parsed credential: its eddsa-jcs-2022 proof with the published keys, then the
    register's status of the certificate it names."""
    checks = list(checks or [])
    proof = _proof(credential)
    checks.append(("proof", proof.ok))
    if not proof.ok:
        reason = proof.reason
        if reason.startswith("unknown key"):
            reason = "unknown key"  # the method id is the document's own text
        return _bad(reason, kind, checks)
    number = proof.number or ""
    try:
        certificate = (
            Certificate.objects.select_related("replaced_by").filter(number=number).first()
            if number
            else None
        )
    except DatabaseError:
        logger.warning("verify: the register could not be read")
        checks.append(("register", None))
        return Outcome(
            INCONCLUSIVE,
            "the signature is valid, but the register could not be read",
            kind,
            tuple(checks),
            key_id=proof.key_id or "",
            detail=STATUS_UNAVAILABLE,
        )
    if pdf:
        # The credential inside a signed PDF is the PDF's own certificate: the same number
        # and the same public address as the register's row of that number.
        same = certificate is None or credential.get("id") == certificate.public_url
        checks.append(("same", same))
        if not same:
            return _bad("the attached credential is not this certificate's", kind, checks)
    checks.append(("register", certificate is not None))
    if certificate is None:
        return Outcome(
            INCONCLUSIVE,
            "the signature is valid, but the certificate is not in the register",
            kind,
            tuple(checks),
            key_id=proof.key_id or "",
            detail=NOT_IN_REGISTER,
        )
    return _with_status(credential, certificate, proof, kind, checks)


def _own_entry(credential: dict, certificate: Certificate) -> bool:
    entry = credential.get("credentialStatus")
    if not isinstance(entry, dict):
        return False
    return entry.get("statusListCredential") == vc.status_list_url(
        certificate.status_list_id
    ) and entry.get("statusListIndex") == str(certificate.status_index)


def register_facts(certificate: Certificate) -> dict[str, Any]:
    """What the answer shows: the register's public facts, the name masked as on ``/c/``."""
    from certificates.services.lookup import public_facts

    facts = public_facts(certificate)
    facts["holder"] = mask_name(certificate.holder_name)
    if certificate.replaced_at:
        facts["replaced_on"] = certificate.replaced_at.date().isoformat()
    return facts


def _with_status(credential, certificate, proof, kind, checks) -> Outcome:
    signed = f"{certificate.number}, signed by key {proof.key_id}"
    facts = register_facts(certificate)
    common = {"kind": kind, "facts": facts, "certificate": certificate, "key_id": proof.key_id}
    if not _own_entry(credential, certificate):
        checks.append(("status", None))
        return Outcome(
            INCONCLUSIVE,
            f"{signed}, but the status entry is not the certificate's",
            checks=tuple(checks),
            detail=ENTRY_NOT_OWN,
            **common,
        )
    checks.append(("status", certificate.is_valid))
    # The status list's bit is computed from this same column (services.status.bitstring),
    # so the row is the status; reading the whole list would add nothing.
    if certificate.status == CertificateStatus.REPLACED:
        successor = certificate.replaced_by
        when = certificate.replaced_at.date().isoformat() if certificate.replaced_at else ""
        return Outcome(
            REVOKED,
            f"{signed}; replaced {when} by a corrected certificate {successor.number}",
            checks=tuple(checks),
            detail="replaced",
            successor=successor,
            **common,
        )
    if not certificate.is_valid:
        when = certificate.revoked_at.date().isoformat() if certificate.revoked_at else ""
        return Outcome(
            REVOKED,
            f"{signed}; revoked {when} {certificate.revoked_reason}".strip(),
            checks=tuple(checks),
            detail="revoked",
            successor=certificate.replaced_by,
            **common,
        )
    return Outcome(VALID, signed, checks=tuple(checks), **common)


# --- The certificate's own page (``/c/<token>/``) ----------------------------------------------


#: Answers of ``stored_signature`` in this process, least recently used dropped past the size.
_SIGNATURES: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_SIGNATURES_MAX = 10_000
_SIGNATURES_LOCK = threading.Lock()


def stored_signature(certificate: Certificate) -> dict[str, Any]:
    """Whether the credential stored for ``certificate`` verifies with the published keys:
    ``{"state": "verified" | "signing" | "not_verified", "key_id": ...}``. ``signing`` while
    the credential has not been signed yet (it is, after the issuing transaction). Kept in
    this process per certificate, signing time and set of published keys (a rotation or a
    removed key changes the key, so the answer): a dictionary look-up instead of a proof
    check (≈ 1 ms) or a round trip to Redis on the most visited page."""
    from certificates import keys

    if not certificate.credential:
        return {"state": "signing", "key_id": None}
    published = tuple(k.key_id for k in keys.public_keys())
    key = (certificate.pk, certificate.credential_signed_at, published)
    with _SIGNATURES_LOCK:
        found = _SIGNATURES.get(key)
        if found is not None:
            _SIGNATURES.move_to_end(key)
            return found
    proof = _proof(certificate.credential)
    answer = {"state": "verified" if proof.ok else "not_verified", "key_id": proof.key_id}
    with _SIGNATURES_LOCK:
        _SIGNATURES[key] = answer
        if len(_SIGNATURES) > _SIGNATURES_MAX:
            _SIGNATURES.popitem(last=False)
    return answer
