"""Shared builders of the verification tests (decision 0048): issued and signed certificates,
their signed PDF, forgeries."""

from __future__ import annotations

import io

from certificates import pades, services, vc
from certificates.models import Certificate
from certificates.services import pdfs
from portal import clock, keys
from tests.certificates.builders import final_session


def issue_signed(world, capture, n: int = 3) -> list[Certificate]:
    """``n`` issued certificates with their credentials signed (the on-commit tasks run)."""
    session = final_session(world, n, failed=0)
    with capture() as callbacks:
        services.issue_certificates(world.members["admin"], [session])
    for callback in callbacks:  # the tasks enqueued on commit (not the audit checkpoint)
        if callback.__qualname__.startswith("enqueue"):
            callback()
    return list(Certificate.objects.filter(session=session).order_by("number"))


def downloaded_pdf(world, capture, certificate: Certificate) -> bytes:
    """The signed electronic PDF as the agency downloads it (rendered, VC attached, signed)."""
    with capture(execute=True):
        row = pdfs.request_certificate_pdf(world.members["admin"], certificate)
    row.refresh_from_db()
    return row.file.read()


def revoke(certificate: Certificate, reason: str = "以欺骗手段取得证书") -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        status="revoked", revoked_at=clock.now(), revoked_reason=reason
    )


def replace(certificate: Certificate, successor: Certificate) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        status="replaced", replaced_by=successor, replaced_at=clock.now()
    )


def signed_elsewhere(settings, certificate: Certificate) -> bytes:
    """The certificate's PDF signed with a valid PAdES signature by another CA (a throwaway
    P-256 key and its self-signed certificate), as a forger with pyHanko would make it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key, cert = settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT
    settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = pem, keys.self_signed_certificate(other)
    try:
        return pades.signed_certificate_pdf(certificate)
    finally:
        settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = key, cert


def incremental_update(data: bytes) -> bytes:
    """``data`` with a revision appended after signing (a changed title in the document info)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    info = generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("假")})
    writer.trailer["/Info"] = writer.add_object(info)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_content_byte(data: bytes) -> bytes:
    """One byte of the signed content changed (the producer string, inside the signed range)."""
    at = data.index(b"WeasyPrint")
    return data[:at] + b"W" + b"E" + data[at + 2 :]


def forged_credential(certificate: Certificate, **changes) -> dict:
    """The certificate's signed credential with subject fields changed after signing."""
    import copy

    data = copy.deepcopy(vc.credential_for(certificate))
    for key, value in changes.items():
        data["credentialSubject"][key] = value
    return data
