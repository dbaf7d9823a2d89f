"""The certificate authority key (Art 20; decision 0044): ``CERT_SIGNING_KEY`` (Ed25519, read
like every secret by ``portal.keys``) signs the verifiable credentials, the status list
credentials and the offline QR segment.

The issuer is ``did:web`` of ``CERTIFICATE_BASE_URL``; each key is a verification method
``did:web:<host>#key-<n>`` where ``<n>`` is the key's id, the first 8 hex digits of the
SHA-256 of its 32 raw public bytes (the portal's key-id rule, ``portal.keys``), so a key
keeps its id for ever and no numbering has to be agreed on when keys rotate.

Rotation: put the new private key in ``CERT_SIGNING_KEY`` and the old **public** key in
``CERT_SIGNING_RETIRED_KEYS`` (a comma list of ``z6Mk…`` multibase or base64 raw keys). The
current and every retired key stay published (``/.well-known/did.json``,
``/certificates/keys/``) and accepted, so certificates signed years ago keep verifying.
Outside production the retired keys also include those listed in
``var/keys/CERT_SIGNING_RETIRED_KEYS`` (written by the demo, ``certificates.demo_vc``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlsplit

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal import keys as portal_keys

#: Multicodec prefix of an Ed25519 public key (0xed, varint) in a Multikey.
ED25519_PUB_PREFIX = b"\xed\x01"
RETIRED_DEV_FILE = "CERT_SIGNING_RETIRED_KEYS"


@dataclass(frozen=True)
class PublicKey:
    key_id: str  # 8 hex digits
    raw: bytes  # 32 bytes
    current: bool

    @property
    def key(self) -> ed25519.Ed25519PublicKey:
        return ed25519.Ed25519PublicKey.from_public_bytes(self.raw)

    @property
    def multibase(self) -> str:
        return multikey(self.raw)

    @property
    def method(self) -> str:
        """The verification method id: ``did:web:<host>#key-<id>``."""
        return f"{issuer_did()}#key-{self.key_id}"


def raw_public(key: ed25519.Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def multikey(raw: bytes) -> str:
    """``z`` + base58btc(0xed01 + key): the Multikey ``publicKeyMultibase``."""
    return "z" + base58.b58encode(ED25519_PUB_PREFIX + raw).decode()


def parse_public(text: str) -> bytes:
    """32 raw bytes from a ``z6Mk…`` multibase Multikey or base64/hex of the raw key."""
    text = text.strip()
    if text.startswith("z"):
        try:
            raw = base58.b58decode(text[1:])
        except ValueError as exc:
            raise ImproperlyConfigured(f"bad multibase key {text!r}") from exc
        if raw[:2] != ED25519_PUB_PREFIX or len(raw) != 34:
            raise ImproperlyConfigured(f"{text!r} is not an Ed25519 Multikey")
        return raw[2:]
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"bad public key {text!r}") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{text!r} is not a 32-byte Ed25519 public key")
    return raw


def key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:8]


def issuer_did(base_url: str | None = None) -> str:
    """``did:web`` of ``CERTIFICATE_BASE_URL`` (port as ``%3A``, path segments as ``:``)."""
    return _did_web(base_url or settings.CERTIFICATE_BASE_URL)


@cache
def _did_web(base_url: str) -> str:
    parts = urlsplit(base_url)
    did = "did:web:" + quote(parts.netloc, safe="")
    for segment in [s for s in parts.path.split("/") if s]:
        did += ":" + quote(segment, safe="")
    return did


@cache
def _private(value: str) -> ed25519.Ed25519PrivateKey:
    key = portal_keys.private_key(value, "CERT_SIGNING_KEY")
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ImproperlyConfigured("CERT_SIGNING_KEY must be an Ed25519 private key")
    return key


def signing_key() -> tuple[PublicKey, ed25519.Ed25519PrivateKey]:
    """The current key: its public description and the private key."""
    private = _private(settings.CERT_SIGNING_KEY)
    raw = raw_public(private.public_key())
    return PublicKey(key_id(raw), raw, True), private


def _retired_values() -> tuple[str, ...]:
    values = tuple(getattr(settings, "CERT_SIGNING_RETIRED_KEYS", []) or [])
    if not getattr(settings, "PRODUCTION", False):
        folder = os.environ.get("PORTAL_DEV_KEY_DIR") or _default_key_dir(settings.BASE_DIR)
        path = os.path.join(folder, RETIRED_DEV_FILE)
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            return values
        values += _dev_retired(path, stamp)
    return values


@cache
def _default_key_dir(base_dir) -> str:
    return str(portal_keys.key_dir(base_dir))


@cache
def _dev_retired(path: str, stamp: int) -> tuple[str, ...]:
    with open(path, encoding="utf-8") as fh:
        text = portal_keys.strip_marker(fh.read())
    return tuple(v.strip() for v in text.replace("\n", ",").split(",") if v.strip())


@cache
def _published(current: PublicKey, retired: tuple[str, ...], did: str) -> tuple[PublicKey, ...]:
    out, seen = [current], {current.key_id}
    for value in retired:
        raw = parse_public(value)
        kid = key_id(raw)
        if kid not in seen:
            seen.add(kid)
            out.append(PublicKey(kid, raw, False))
    return tuple(out)


def public_keys() -> list[PublicKey]:
    """Every published key: the current one first, then the retired ones."""
    current, _ = signing_key()
    return list(_published(current, _retired_values(), issuer_did()))


def by_method(method: str) -> PublicKey | None:
    """The published key of a verification method id (``did:web:…#key-…``), or None."""
    for key in public_keys():
        if key.method == method:
            return key
    return None


def did_document() -> dict:
    """The DID document at ``/.well-known/did.json``: every current and retired key."""
    did = issuer_did()
    methods = [
        {
            "id": key.method,
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.multibase,
        }
        for key in public_keys()
    ]
    ids = [m["id"] for m in methods]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids[:1],
    }


def jwks() -> dict:
    """The keys as a JWK Set (``/certificates/keys/``): OKP Ed25519, ``kid`` = method id."""
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(key.raw).decode().rstrip("="),
                "kid": key.method,
                "alg": "EdDSA",
                "use": "sig",
                "status": "current" if key.current else "retired",
            }
            for key in public_keys()
        ]
    }


def private_signing_key() -> ed25519.Ed25519PrivateKey:
    """The current private key alone (the QR's offline signature signs with it)."""
    return signing_key()[1]


def public_key_map() -> dict[str, ed25519.Ed25519PublicKey]:
    """Every published key by key id, the current first, as ``cryptography`` keys: what an
    offline check of a QR signature takes (``certificates.qr.verify_qr``)."""
    return {k.key_id: k.key for k in public_keys()}
