#!/usr/bin/env python3
"""Verify an electronic skill-level certificate (a W3C Verifiable Credential, eddsa-jcs-2022)
with nothing but Python 3.11+ and ``cryptography`` (see docs/verify.md).

    python verify_vc.py CERTIFICATE.json DID.json

``DID.json`` is the issuer's DID document, downloaded once from
``https://<portal>/.well-known/did.json`` (it lists every current and retired key), so the
signature check itself needs no network. Exit status 0 when the signature verifies.
The revocation status is a separate look-up: bit ``credentialStatus.statusListIndex`` of the
list at ``credentialStatus.statusListCredential`` (``--status LIST.json`` checks it offline).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    """base58btc (Bitcoin alphabet) to bytes."""
    n = 0
    for char in text:
        n = n * 58 + B58.index(char)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def jcs(value) -> bytes:
    """RFC 8785 canonical JSON, enough for credentials (no floating-point numbers)."""

    def canon(v) -> str:
        if isinstance(v, dict):
            items = sorted(v.items(), key=lambda kv: kv[0].encode("utf-16-be"))
            return "{" + ",".join(canon(k) + ":" + canon(x) for k, x in items) + "}"
        if isinstance(v, list):
            return "[" + ",".join(canon(x) for x in v) + "]"
        if isinstance(v, float):
            raise ValueError("floating-point numbers need a full RFC 8785 library")
        return json.dumps(v, ensure_ascii=False)

    return canon(value).encode("utf-8")


def public_key(did_document: dict, method: str) -> Ed25519PublicKey:
    for vm in did_document.get("verificationMethod", []):
        if vm.get("id") == method and method in did_document.get("assertionMethod", []):
            raw = b58decode(vm["publicKeyMultibase"][1:])
            if raw[:2] != b"\xed\x01":
                raise ValueError("not an Ed25519 Multikey")
            return Ed25519PublicKey.from_public_bytes(raw[2:])
    raise ValueError(f"the issuer does not publish the key {method}")


def verify(credential: dict, did_document: dict) -> str:
    """'' when the proof verifies, else why not."""
    proof = dict(credential.get("proof") or {})
    if proof.get("cryptosuite") != "eddsa-jcs-2022" or proof.get("type") != "DataIntegrityProof":
        return "not an eddsa-jcs-2022 proof"
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    method = proof.get("verificationMethod", "")
    if method.split("#")[0] != issuer or did_document.get("id") != issuer:
        return "the key is not the issuer's"
    signature = b58decode(proof.pop("proofValue")[1:])
    document = {k: v for k, v in credential.items() if k != "proof"}
    if "@context" in proof and proof["@context"] != document.get("@context"):
        return "the proof's @context differs"
    data = hashlib.sha256(jcs(proof)).digest() + hashlib.sha256(jcs(document)).digest()
    try:
        public_key(did_document, method).verify(signature, data)
    except (InvalidSignature, ValueError) as exc:
        return str(exc) or "the signature does not match: changed or forged"
    return ""


def revoked(credential: dict, status_list: dict, did_document: dict) -> bool:
    """Whether the signed status list marks the credential revoked."""
    entry = credential["credentialStatus"]
    if status_list.get("id") != entry["statusListCredential"] or verify(status_list, did_document):
        raise ValueError("the status list is not the issuer's signed list")
    encoded = status_list["credentialSubject"]["encodedList"]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--status"]
    if len(args) < 2:
        print(__doc__)
        return 2
    with open(args[0], encoding="utf-8") as fh:
        credential = json.load(fh)
    with open(args[1], encoding="utf-8") as fh:
        did_document = json.load(fh)
    why = verify(credential, did_document)
    if why:
        print(f"invalid: {why}")
        return 2
    number = credential["credentialSubject"].get("certificateNumber")
    if "--status" in argv and len(args) > 2:
        with open(args[2], encoding="utf-8") as fh:
            if revoked(credential, json.load(fh), did_document):
                print(f"revoked: {number}")
                return 1
    print(f"valid: {number} signed by {credential['proof']['verificationMethod']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
