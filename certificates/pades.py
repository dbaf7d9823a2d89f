"""The PAdES signature on the electronic certificate PDF (Art 20; issue 16; decision 0044).

``sign_certificate_pdf(data, credential)`` takes the PDF WeasyPrint rendered, attaches the
certificate's verifiable credential as ``credential.json`` (an embedded file, associated with
the document), and signs the result with a PAdES B-B signature (ETSI.CAdES.detached, SHA-256,
ECDSA P-256) by ``PDF_SIGNING_KEY``, whose certificate ``PDF_SIGNING_CERT`` the portal's CA
issued. Any PDF reader then shows whether the file was changed since; the attachment is inside
the signed bytes, so the credential cannot be swapped without breaking the signature either.
Only the electronic PDF of one certificate is signed (``certificates.services.pdfs``); the
batch for the paper printer is not.

``verify_pdf(data)`` checks such a file without the network: exactly one signature, intact
over the whole file, its certificate chaining to the portal's root (``root_pem()``, published
at ``/certificates/keys/pdf-ca.pem``), and returns the embedded credential for
``certificates.vc.verify_credential``.

``PDF_SIGNING_CERT`` is a PEM chain: the signing certificate first, then its CA certificates up
to the root (the last one). In development ``portal.keys`` generates a root and a signing
certificate under ``var/keys``; a lone self-signed certificate (older development keys, or
``generate_keys`` before the operator's CA issued one) is its own root.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from portal import keys

ATTACHMENT = "credential.json"
FIELD_NAME = "Signature1"
#: Room kept for the CMS signature container (DER bytes; written as hex, twice as long).
SIGNATURE_BYTES = 8192
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def _chain_pem() -> list[bytes]:
    found = _PEM.findall(keys.strip_marker(settings.PDF_SIGNING_CERT).encode())
    if not found:
        raise ValueError("PDF_SIGNING_CERT holds no PEM certificate")
    return found


def root_pem() -> bytes:
    """The root certificate of the PDF signing chain (what a verifier trusts), PEM."""
    return _chain_pem()[-1] + b"\n"


def signing_key_id() -> str:
    """The first 8 hex digits of the signing certificate's SHA-256 (changes on rotation)."""
    return hashlib.sha256(_chain_pem()[0]).hexdigest()[:8]


@functools.cache
def _signer_for(key_pem: str, cert_pem: str):
    from asn1crypto import keys as asn1_keys
    from asn1crypto import pem, x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = keys.private_key(key_pem, "PDF_SIGNING_KEY")
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    chain = [x509.Certificate.load(pem.unarmor(block)[2]) for block in _chain_pem()]
    return signers.SimpleSigner(
        signing_cert=chain[0],
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs(chain[1:]),
    )


def signer():
    return _signer_for(settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT)


def credential_bytes(credential: dict[str, Any]) -> bytes:
    return json.dumps(credential, ensure_ascii=False, indent=2).encode()


def sign_certificate_pdf(data: bytes, credential: dict[str, Any] | None) -> bytes:
    """``data`` with ``credential.json`` attached (when given) and a PAdES B-B signature."""
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    if credential is not None:
        payload = embed.EmbeddedFileObject.from_file_data(
            writer, credential_bytes(credential), mime_type="application/json"
        )
        spec = embed.FileSpec(
            file_spec_string=ATTACHMENT,
            file_name=ATTACHMENT,
            embedded_data=payload,
            description="W3C Verifiable Credential 2.0 (Open Badges 3.0) of this certificate",
            af_relationship=generic.NameObject("/Source"),
        )
        embed.embed_file(writer, spec)
    fields.append_signature_field(writer, fields.SigFieldSpec(FIELD_NAME))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason="职业技能等级证书（电子证书）",
        location=settings.CERTIFICATE_BASE_URL,
    )
    out = io.BytesIO()
    # A fixed reservation spares pyHanko a dry-run signature to measure the CMS blob (half the
    # cost); an ECDSA signature with the chain of two certificates takes about 2 KB of it.
    _run(
        signers.PdfSigner(meta, signer=signer()).async_sign_pdf(
            writer, output=out, bytes_reserved=SIGNATURE_BYTES
        )
    )
    return out.getvalue()


def _run(coroutine):
    """Run one of pyHanko's coroutines to the end, also from a thread whose event loop is
    already running (an async caller, a browser test): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass
class PdfVerdict:
    ok: bool
    reason: str
    credential: dict[str, Any] | None = None
    signer: str = ""
    details: list[str] = field(default_factory=list)


def _trust_roots():
    from asn1crypto import pem, x509

    return [x509.Certificate.load(pem.unarmor(root_pem())[2])]


def _attachment(reader) -> bytes | None:
    root = reader.root
    try:
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return None
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) == ATTACHMENT:
            spec = names[index + 1].get_object()
            return spec["/EF"]["/F"].get_object().data
    return None


def verify_pdf(data: bytes) -> PdfVerdict:
    """Check the PAdES signature of a certificate PDF against the portal's root; no network.

    Valid when the file has exactly one signature, it covers the whole file (nothing added or
    changed after signing), its digest and ECDSA value check, and the signer's certificate
    chains to the root. The embedded credential is returned but not judged here."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        return PdfVerdict(False, f"not a readable PDF ({type(exc).__name__})")
    if not signatures:
        return PdfVerdict(False, "the PDF carries no signature")
    if len(signatures) > 1:
        return PdfVerdict(False, "the PDF carries more than one signature")
    embedded = signatures[0]
    context = ValidationContext(
        trust_roots=_trust_roots(), allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = _run(async_validate_pdf_signature(embedded, context))
    except Exception as exc:  # a mangled signature dictionary or CMS blob
        return PdfVerdict(False, f"the signature cannot be read ({type(exc).__name__})")
    signer_name = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    if not status.intact or not status.valid:
        return PdfVerdict(
            False,
            "the file was changed after it was signed (the signature does not match)",
            signer=signer_name,
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return PdfVerdict(
            False, "content was added to the file after it was signed", signer=signer_name
        )
    if not status.trusted:
        return PdfVerdict(
            False,
            "the signature is intact but its certificate is not issued by the portal's CA",
            signer=signer_name,
        )
    raw = _attachment(reader)
    credential = None
    if raw is not None:
        try:
            credential = json.loads(raw)
        except ValueError:
            return PdfVerdict(False, f"the attached {ATTACHMENT} is not JSON", signer=signer_name)
    return PdfVerdict(
        True, "the signature is valid and the file was not changed", credential, signer_name
    )


def check_pdf(data: bytes) -> tuple[str, str]:
    """(``valid`` | ``revoked`` | ``inconclusive`` | ``invalid``, why) of a certificate PDF,
    for ``manage.py verify_certificate``; the checking itself is
    ``certificates.verification.verify_pdf_bytes`` (decision 0048)."""
    from certificates.management.commands.verify_certificate import check_pdf as check

    return check(data)


def signed_certificate_pdf(certificate) -> bytes:
    """The electronic certificate PDF as downloaded: rendered, the VC attached, signed
    (``manage.py export_certificate --pdf``; the download goes through the cache instead)."""
    from certificates import pdf, vc

    credential = vc.credential_for(certificate)
    return sign_certificate_pdf(pdf.render_certificate(certificate), credential)
