"""The certificate signing key (``CERT_SIGNING_KEY``, Ed25519; Art 20).

``signing_key()`` is the current private key; ``public_keys()`` every published public key by
key id (the current first, then retired ones from ``CERT_RETIRED_PUBLIC_KEYS``, PEM blocks),
so that old certificates and old printed QR codes keep verifying after a rotation. The key id
is the first 8 hex digits of SHA-256 of the raw public key (``portal.keys.fingerprint``).
"""

from __future__ import annotations

from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal import keys

_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    return keys.fingerprint(public.public_bytes(*_RAW))


@cache
def _signing_key(value: str) -> Ed25519PrivateKey:
    key = keys.private_key(value, "CERT_SIGNING_KEY")
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("CERT_SIGNING_KEY must be an Ed25519 private key")
    return key


def signing_key() -> Ed25519PrivateKey:
    """The current certificate signing key."""
    return _signing_key(settings.CERT_SIGNING_KEY)


def _retired(text: str) -> list[Ed25519PublicKey]:
    found = []
    marker = "-----END PUBLIC KEY-----"
    for block in text.split(marker):
        if "-----BEGIN PUBLIC KEY-----" in block:
            key = serialization.load_pem_public_key((block.strip() + "\n" + marker).encode())
            if isinstance(key, Ed25519PublicKey):
                found.append(key)
    return found


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every published public key by key id, the current key first."""
    current = signing_key().public_key()
    out = {key_id(current): current}
    for key in _retired(getattr(settings, "CERT_RETIRED_PUBLIC_KEYS", "") or ""):
        out.setdefault(key_id(key), key)
    return out
