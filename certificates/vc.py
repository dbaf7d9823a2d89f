"""The certificate as a W3C Verifiable Credential (Art 20; decision 0044).

Each certificate is also a VC Data Model 2.0 credential shaped as a 1EdTech Open Badges 3.0
``OpenBadgeCredential`` (achievement type ``Certification``, the occupation code as an
alignment, the level as a result), with a ``BitstringStatusListEntry`` at the entry part 1
allocated, signed with a Data Integrity proof ``eddsa-jcs-2022`` by ``CERT_SIGNING_KEY``
(``certificates.keys``). **No ID number is inside, not even hashed**: a resident ID with a
known birth date has about a thousand candidates, so a hash protects nothing.

eddsa-jcs-2022 (W3C vc-di-eddsa §3.3): the proof options (the proof without
``proofValue``, with the document's ``@context``) and the document without ``proof`` are
each canonicalised by RFC 8785 (JCS) and hashed with SHA-256; the signature is Ed25519 over
``hash(options) + hash(document)``; ``proofValue`` is ``z`` + base58btc(signature).

Signing happens after the issuing transaction commits (``tasks.sign_credentials``, chunked),
and the signed credential is stored on the certificate (``Certificate.credential``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from certificates import keys
from portal import clock

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CRYPTOSUITE = "eddsa-jcs-2022"
#: Namespace of the deterministic ``urn:uuid`` ids of achievements and agencies.
_NS = uuid.UUID("6f1b7a52-5c1e-4c1f-9a59-0c3e2d7d2b44")
ISSUER_NAME = "职业技能等级认定服务平台"
CREDENTIAL_NAME = "职业技能等级证书"
LEVELS = {
    "1": "一级/高级技师",
    "2": "二级/技师",
    "3": "三级/高级工",
    "4": "四级/中级工",
    "5": "五级/初级工",
}


@dataclass(frozen=True)
class Verdict:
    """What a check of a credential's proof found (the status is checked apart)."""

    ok: bool
    reason: str
    number: str | None = None
    key_id: str | None = None


# --- Building --------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _urn(*parts: object) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_NS, "/".join(str(p) for p in parts)))


def _timestamp(day: dt.date) -> str:
    """Midnight of ``day`` in the portal's time zone, as an XML dateTimeStamp."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).isoformat()


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def status_list_url(status_list_id: int) -> str:
    return _status_list_url(settings.CERTIFICATE_BASE_URL.rstrip("/"), status_list_id)


@lru_cache(maxsize=1024)
def _status_list_url(base: str, status_list_id: int) -> str:
    return base + reverse("certificates:status_list", args=[status_list_id])


def status_entry(certificate) -> dict:
    url = status_list_url(certificate.status_list_id)
    return {
        "id": f"{url}#{certificate.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.status_index),
        "statusListCredential": url,
    }


@lru_cache(maxsize=1)
def _level_descriptions() -> tuple[str, tuple[dict, ...]]:
    rd_id = _urn("result-description", "skill-level")
    levels = tuple(
        {"id": _urn("level", code), "type": ["RubricCriterionLevel"], "name": name}
        for code, name in LEVELS.items()
    )
    return rd_id, levels


def unsigned_credential(certificate) -> dict:
    """The credential of ``certificate`` before its proof (everything frozen at issue)."""
    did = keys.issuer_did()
    work_type = certificate.work_type_name
    title = certificate.occupation_name
    if work_type and work_type != "--":
        title += f"（{work_type}）"
    title += f" {certificate.level_display}"
    rd_id, levels = _level_descriptions()
    achievement_id = _urn(
        "achievement", certificate.occupation_code, work_type, certificate.level_code
    )
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": certificate.public_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": CREDENTIAL_NAME,
        "issuer": {"id": did, "type": ["Profile"], "name": ISSUER_NAME},
        "validFrom": _timestamp(certificate.issued_on),
        "awardedDate": _timestamp(certificate.issued_on),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "certificateNumber": certificate.number,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": title,
                "description": (
                    f"{certificate.occupation_name}（{certificate.occupation_code}）"
                    f"职业技能等级认定，{certificate.level_display}。"
                ),
                "criteria": {
                    "narrative": (
                        "经职业技能等级认定，理论知识、操作技能等考核成绩均达到合格标准。"
                    )
                },
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetType": "ext:OccupationCode",
                        "targetCode": certificate.occupation_code,
                        "targetName": certificate.occupation_name,
                        "targetFramework": "中华人民共和国职业分类大典",
                        "targetUrl": certificate.public_url,
                    }
                ],
                "resultDescription": [
                    {
                        "id": rd_id,
                        "type": ["ResultDescription"],
                        "name": "职业技能等级",
                        "resultType": "RubricCriterionLevel",
                        "rubricCriterionLevel": [dict(level) for level in levels],
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": rd_id,
                    "achievedLevel": _urn("level", certificate.level_code),
                    "value": certificate.level_display,
                }
            ],
            "source": {
                "id": _urn("agency", certificate.agency_id),
                "type": ["Profile"],
                "name": certificate.agency_name,
            },
        },
        "credentialStatus": status_entry(certificate),
    }


# --- eddsa-jcs-2022 ---------------------------------------------------------------------------


_SAFE_INT = 2**53


def _plain(value) -> bool:
    """Whether ``value`` holds only what ``json.dumps`` already writes exactly as RFC 8785
    does: strings, booleans, null, integers within ±2**53, lists, and objects whose keys
    sort the same by code point as by UTF-16 code unit (no character above U+FFFF)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            for key in item:
                if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                    return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is int:
            if not -_SAFE_INT < item < _SAFE_INT:
                return False
        elif kind is not str and kind is not bool and item is not None:
            return False
    return True


def canonical(value) -> bytes:
    """RFC 8785 (JCS) bytes of ``value``. Credentials hold no floating-point numbers, and for
    such JSON the C-accelerated ``json.dumps`` (sorted keys, no spaces, UTF-8, the same
    escapes) writes exactly the JCS bytes; anything else goes through ``rfc8785``. The W3C
    vectors and the tests check both agree."""
    if _plain(value):
        try:
            return json.dumps(
                value, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            ).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: rfc8785 refuses it
            pass
    return rfc8785.dumps(value)


def _hash_data(document: dict, options: dict) -> bytes:
    return (
        hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(document)).digest()
    )


def add_proof(
    document: dict, *, created: dt.datetime | None = None, key=None, method: str | None = None
) -> dict:
    """``document`` with an eddsa-jcs-2022 ``DataIntegrityProof`` by the current key (or
    ``key``/``method``, for retired keys in the demo and tests)."""
    if key is None:
        public, key = keys.signing_key()
        method = public.method
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _utc(created or clock.now()),
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in unsecured:
        options["@context"] = unsecured["@context"]
    signature = key.sign(_hash_data(unsecured, options))
    proof = dict(options, proofValue="z" + base58.b58encode(signature).decode())
    return dict(unsecured, proof=proof)


_B58 = {c: i for i, c in enumerate("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")}


def b58decode(text: str) -> bytes | None:
    """base58btc to bytes (None if not base58), as ``base58.b58decode`` but 10 digits at a
    time (58**10 < 2**64), which keeps verification fast."""
    try:
        n = 0
        for start in range(0, len(text), 10):
            chunk = text[start : start + 10]
            part = 0
            for char in chunk:
                part = part * 58 + _B58[char]
            n = n * 58 ** len(chunk) + part
    except KeyError:
        return None
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def verify_proof(data: dict, public_key) -> tuple[bool, str]:
    """Check the eddsa-jcs-2022 proof of ``data`` with ``public_key`` (Ed25519)."""
    proof = data.get("proof")
    if not isinstance(proof, dict):
        return False, "no proof"
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return False, "not an eddsa-jcs-2022 Data Integrity proof"
    if proof.get("proofPurpose") != "assertionMethod":
        return False, "the proof is not for assertion"
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return False, "the proof value is not base58btc multibase"
    signature = b58decode(value[1:])
    if signature is None:
        return False, "the proof value is not base58btc"
    unsecured = {k: v for k, v in data.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in options and options["@context"] != unsecured.get("@context"):
        return False, "the proof's @context differs from the credential's"
    try:
        public_key.verify(signature, _hash_data(unsecured, options))
    except (InvalidSignature, ValueError, TypeError):
        return False, "the signature does not match: the credential was changed or forged"
    return True, ""


def verify_credential(data: dict) -> Verdict:
    """Check a certificate credential offline, with the published keys (current and retired).
    The revocation status is not checked here (``credential_status``)."""
    if not isinstance(data, dict):
        return Verdict(False, "not a JSON object")
    subject = data.get("credentialSubject")
    number = subject.get("certificateNumber") if isinstance(subject, dict) else None
    number = number if isinstance(number, str) else None
    proof = data.get("proof")
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    if not isinstance(method, str):
        return Verdict(False, "no proof", number)
    key = keys.by_method(method)
    if key is None:
        return Verdict(False, f"unknown key {method}", number)
    issuer = data.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != method.split("#", 1)[0]:
        return Verdict(False, "the signing key is not the issuer's", number, key.key_id)
    ok, reason = verify_proof(data, key.key)
    return Verdict(ok, reason, number, key.key_id)


# --- Stored credentials ------------------------------------------------------------------------


def sign_certificate(certificate) -> dict:
    """Sign ``certificate``'s credential and store it (replacing any older one)."""
    signed = add_proof(unsigned_credential(certificate))
    certificate.credential = signed
    certificate.credential_signed_at = clock.now()
    type(certificate).objects.filter(pk=certificate.pk).update(
        credential=signed, credential_signed_at=certificate.credential_signed_at
    )
    return signed


def credential_for(certificate) -> dict:
    """The stored signed credential of ``certificate``, signing it now if it has none yet."""
    if certificate.credential:
        return certificate.credential
    return sign_certificate(certificate)


def sign_many(ids: Iterable[int]) -> int:
    """Sign the certificates ``ids`` that have no credential yet (one statement per chunk);
    returns how many were signed. Safe to repeat."""
    from certificates.models import Certificate

    public, key = keys.signing_key()
    now = clock.now()
    todo = list(
        Certificate.objects.filter(pk__in=list(ids), credential__isnull=True).order_by("pk")
    )
    for certificate in todo:
        certificate.credential = add_proof(
            unsigned_credential(certificate), created=now, key=key, method=public.method
        )
        certificate.credential_signed_at = now
    with transaction.atomic():
        Certificate.objects.bulk_update(
            todo, ["credential", "credential_signed_at"], batch_size=1000
        )
    return len(todo)


def credential_status(data: dict) -> tuple[str, str]:
    """(``valid`` | ``revoked`` | ``unknown``, why) from the database, for a credential whose
    proof verified: its status entry must be the certificate's own."""
    from certificates.models import Certificate
    from certificates.services import status

    subject = data.get("credentialSubject") or {}
    number = subject.get("certificateNumber")
    cert = Certificate.objects.filter(number=number).first() if number else None
    if cert is None:
        return "unknown", f"no certificate {number} in the register"
    entry = data.get("credentialStatus") or {}
    if entry.get("statusListCredential") != status_list_url(cert.status_list_id) or entry.get(
        "statusListIndex"
    ) != str(cert.status_index):
        return "unknown", "the status entry is not the certificate's"
    bits = status.bitstring(cert.status_list)
    if status.bit(bits, cert.status_index) or not cert.is_valid:
        reason = cert.revoked_reason or ""
        when = cert.revoked_at.date().isoformat() if cert.revoked_at else ""
        return "revoked", f"revoked {when} {reason}".strip()
    return "valid", ""


# --- The status list credential ------------------------------------------------------------


def status_list_credential(status_list) -> dict:
    """The signed ``BitstringStatusListCredential`` of ``status_list`` (W3C Bitstring Status
    List), its ``encodedList`` as ``services.status.encoded_list`` computes. Signed on demand
    and cached until a bit (or the signing key) changes: the cache key holds the list's hash."""
    from django.core.cache import cache

    from certificates.services import status

    encoded = status.encoded_list(status_list)
    public, _ = keys.signing_key()
    digest = hashlib.sha256(encoded.encode()).hexdigest()[:20]
    cache_key = f"certificates:status-vc:{status_list.pk}:{public.key_id}:{digest}"
    found = cache.get(cache_key)
    if found is not None:
        return found
    url = status_list_url(status_list.pk)
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keys.issuer_did(),
        "validFrom": _utc(clock.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }
    signed = add_proof(document)
    cache.set(cache_key, signed, 7 * 24 * 3600)
    return signed


def status_list_digest(signed: dict) -> str:
    """A strong ETag for a status list credential (its proof value)."""
    return hashlib.sha256(signed["proof"]["proofValue"].encode()).hexdigest()[:32]
