"""The offline QR signature (Art 20; decision 0046), in the manner of pretix's signed ticket
secrets (``pretix.base.secretgenerators``: a version byte, the payload and an Ed25519
signature, base64 in the QR).

The printed QR code reads ``CERTIFICATE_BASE_URL/c/<token>/<sig>/``: the random token stays
the lookup key; ``sig`` is base64url without padding of ::

    0x01 (version) ‖ Ed25519 signature (64 bytes) ‖ payload

where ``payload`` is the compact canonical encoding of the printed facts, UTF-8 ASCII,
fields joined by ``|``: certificate number, level code, occupation code, issue date as
``YYYYMMDD``. The payload is carried so that a scanner without the network shows the facts
it verified, to be compared with the paper; the signature is by ``CERT_SIGNING_KEY``
(``certificates.keys``), checked against each published key (retired keys too).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VERSION = 1
SIGNATURE_BYTES = 64


@dataclass(frozen=True)
class QrFacts:
    number: str
    level_code: str
    occupation_code: str
    issued_on: dt.date


@dataclass(frozen=True)
class QrResult:
    """What a scan says: ``valid`` (the facts verify), the facts read, the token, the key id
    that verified them and, if not valid, why (``reason``: a short code)."""

    valid: bool
    token: str = ""
    facts: QrFacts | None = None
    key_id: str = ""
    reason: str = ""


def payload(number: str, level_code: str, occupation_code: str, issued_on: dt.date) -> bytes:
    """The canonical encoding of the signed facts."""
    parts = (number, level_code, occupation_code, issued_on.strftime("%Y%m%d"))
    for part in parts:
        if "|" in part or not part.isascii():
            raise ValueError(f"cannot sign {part!r}")
    return "|".join(parts).encode("ascii")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_facts(private_key, facts: QrFacts) -> str:
    data = payload(facts.number, facts.level_code, facts.occupation_code, facts.issued_on)
    return _b64(bytes([VERSION]) + private_key.sign(data) + data)


def facts_of(certificate) -> QrFacts:
    return QrFacts(
        certificate.number,
        certificate.level_code,
        certificate.occupation_code,
        certificate.issued_on,
    )


def signature(certificate) -> str:
    """The signature segment of ``certificate``'s QR code."""
    from certificates.keys import private_signing_key as signing_key

    return sign_facts(signing_key(), facts_of(certificate))


def signed_url(certificate) -> str:
    """The address printed in the QR code: the public page plus the signature segment."""
    return f"{certificate.public_url}{signature(certificate)}/"


def _parse(data: bytes) -> QrFacts:
    number, level, occupation, day = data.decode("ascii").split("|")
    return QrFacts(number, level, occupation, dt.datetime.strptime(day, "%Y%m%d").date())  # noqa: DTZ007


def verify_segment(sig: str, public_keys) -> QrResult:
    """Check a signature segment against ``public_keys`` (a dict by key id, or a list)."""
    try:
        raw = _unb64(sig)
    except (binascii.Error, ValueError):
        return QrResult(False, reason="not_base64")
    if len(raw) <= 1 + SIGNATURE_BYTES or raw[0] != VERSION:
        return QrResult(False, reason="unknown_version" if raw[:1] else "empty")
    signed, data = raw[1 : 1 + SIGNATURE_BYTES], raw[1 + SIGNATURE_BYTES :]
    try:
        facts = _parse(data)
    except (ValueError, UnicodeDecodeError):
        return QrResult(False, reason="bad_payload")
    items = public_keys.items() if isinstance(public_keys, dict) else enumerate(public_keys)
    for kid, key in items:
        if not isinstance(key, Ed25519PublicKey):
            continue
        try:
            key.verify(signed, data)
        except InvalidSignature:
            continue
        return QrResult(True, facts=facts, key_id=str(kid))
    return QrResult(False, facts=facts, reason="bad_signature")


def verify_qr(url: str, public_keys) -> QrResult:
    """Offline: verify the text of a scanned QR code (``…/c/<token>/<sig>/``) with the
    published public keys; no network, no database."""
    parts = [p for p in urlsplit(url.strip()).path.split("/") if p]
    if len(parts) < 3 or parts[-3] != "c":
        return QrResult(False, reason="no_signature")
    token, sig = parts[-2], parts[-1]
    found = verify_segment(sig, public_keys)
    return QrResult(found.valid, token, found.facts, found.key_id, found.reason)


def check_certificate(certificate, sig: str) -> QrResult:
    """For the page ``/c/<token>/<sig>/``: valid only if the signature verifies and the
    facts it signs are the certificate's own."""
    from certificates.keys import public_key_map as public_keys

    found = verify_segment(sig, public_keys())
    if found.valid and found.facts != facts_of(certificate):
        return QrResult(False, certificate.token, found.facts, found.key_id, "other_facts")
    return QrResult(found.valid, certificate.token, found.facts, found.key_id, found.reason)
