"""Certificate PDFs on demand, through a cache with eviction (Art 20; decision 0043).

Nothing is rendered at issue: 50 million certificates must not mean 50 million files. A
download asks for the PDF (``request_certificate_pdf`` / ``request_session_pdf``); a cached
PDF whose data hash still matches is served at once, otherwise the row is marked pending and
a Celery task renders it after the commit (no lock is held while WeasyPrint works). The
cache keeps at most ``CERTIFICATE_PDF_CACHE_MAX`` rows; ``evict_pdf_cache`` (periodic) drops
the least recently used beyond that, files included.

The PDF of one certificate is the electronic certificate: after rendering (still outside any
transaction) it gets the certificate's verifiable credential attached and a PAdES signature
(``certificates.pades``), and the signed file is what the cache keeps. The session's batch PDF
is for the paper printer and is not signed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from assessments.models import AssessmentSession
from certificates import pades, pdf, vc
from certificates.models import Certificate, CertificatePdf, PdfState
from portal import access, clock
from portal.jobs.background import enqueue

logger = logging.getLogger(__name__)

#: A pending row older than this is queued again when asked for (its worker may have died).
REQUEUE_AFTER = dt.timedelta(minutes=2)
#: ``last_used_at`` is written at most this often per row (a busy PDF is not a hot row).
TOUCH_EVERY = dt.timedelta(minutes=10)


def credential_of(certificate: Certificate) -> dict:
    """The certificate's signed VC to attach to its PDF: the stored one, else signed now."""
    return vc.credential_for(certificate)


def certificate_hash(certificate: Certificate) -> str:
    """What the signed PDF depends on: the printed data, the attached VC and the signing
    certificate (a new VC or a rotated PDF key renders and signs it again)."""
    credential = certificate.credential or {}
    digest = hashlib.sha256(pdf.data_hash(certificate).encode())
    digest.update(json.dumps(credential, sort_keys=True).encode())
    digest.update(pades.signing_key_id().encode())
    return digest.hexdigest()


def session_certificates(session: AssessmentSession):
    return (
        Certificate.objects.filter(session=session)
        .select_related("photo", "agency")
        .order_by("number")
    )


def session_hash(session: AssessmentSession) -> str:
    """The hash of a session's batch PDF: of every certificate's hash, in number order."""
    seal = pdf.seal_of(session.agency_id)
    digest = hashlib.sha256()
    for certificate in session_certificates(session):
        digest.update(pdf.data_hash(certificate, seal).encode())
    return digest.hexdigest()


def _request(lookup: dict, agency_id: int, current: str) -> CertificatePdf:
    now = clock.now()
    with transaction.atomic():
        row = CertificatePdf.objects.select_for_update().filter(**lookup).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = CertificatePdf.objects.create(
                        **lookup,
                        agency_id=agency_id,
                        data_hash=current,
                        requested_at=now,
                        last_used_at=now,
                    )
            except IntegrityError:  # a concurrent request created it
                row = CertificatePdf.objects.select_for_update().get(**lookup)
            else:
                enqueue(_task(), row.pk)
                return row
        if row.state == PdfState.READY and row.data_hash == current and row.file:
            if now - row.last_used_at >= TOUCH_EVERY:
                row.last_used_at = now
                row.save(update_fields=["last_used_at"])
            return row
        stale_request = row.state == PdfState.PENDING and now - row.requested_at >= REQUEUE_AFTER
        if row.data_hash != current or row.state == PdfState.FAILED or stale_request:
            row.data_hash, row.state, row.requested_at, row.last_used_at = (
                current,
                PdfState.PENDING,
                now,
                now,
            )
            row.save(update_fields=["data_hash", "state", "requested_at", "last_used_at"])
            enqueue(_task(), row.pk)
        return row


def _task():
    from certificates.tasks import render_certificate_pdf

    return render_certificate_pdf


def request_certificate_pdf(actor, certificate: Certificate) -> CertificatePdf:
    """The certificate's PDF, ready or being generated (Art 20: paper and electronic
    certificates have equal force). Agency members of the issuing agency."""
    access.require(actor, "certificates.pdf.read", certificate)
    # The VC is attached to the PDF: normally signed by the task after issuing; if that has
    # not run yet, sign it now (Ed25519, a millisecond; no lock held) so that the hash the
    # cache keeps covers the credential that is attached.
    credential_of(certificate)
    return _request(
        {"certificate": certificate}, certificate.agency_id, certificate_hash(certificate)
    )


def request_session_pdf(actor, session: AssessmentSession) -> CertificatePdf:
    """The session's certificates in one PDF, one per page, for the printer (Art 20)."""
    access.require(actor, "certificates.pdf.read", session)
    return _request({"session": session}, session.agency_id, session_hash(session))


def render_cached(pk: int) -> bool:
    """Render one pending cache row (the Celery task's body); False if nothing to do.

    Safe to run twice: the PDF is rendered outside any transaction, then the row is locked
    and filled only if it is still pending for the same data; the replaced file is removed
    after the commit."""
    row = CertificatePdf.objects.filter(pk=pk).select_related("certificate", "session").first()
    if row is None or row.state != PdfState.PENDING:
        return False
    try:
        if row.certificate_id:
            credential = credential_of(row.certificate)  # first: the hash covers it
            current = certificate_hash(row.certificate)
            rendered = pdf.render_certificate(row.certificate)
            data = pades.sign_certificate_pdf(rendered, credential)
            pages = 1
        else:
            certificates = list(session_certificates(row.session))
            current = session_hash(row.session)
            data, pages = pdf.render_session(certificates), len(certificates)
    except Exception as exc:
        CertificatePdf.objects.filter(pk=pk, state=PdfState.PENDING).update(
            state=PdfState.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.exception("certificate PDF %s could not be rendered", pk)
        raise
    with transaction.atomic():
        row = CertificatePdf.objects.select_for_update().get(pk=pk)
        if row.state != PdfState.PENDING:
            return False
        old = row.file.name if row.file else ""
        row.file.save("certificate.pdf", ContentFile(data), save=False)
        row.data_hash = current
        row.state = PdfState.READY
        row.size, row.pages, row.error = len(data), pages, ""
        row.rendered_at = clock.now()
        row.save(
            update_fields=["file", "data_hash", "state", "size", "pages", "error", "rendered_at"]
        )
        if old:
            transaction.on_commit(lambda: default_storage.delete(old))
    return True


def evict_pdf_cache(limit: int | None = None) -> int:
    """Periodic job: keep at most ``CERTIFICATE_PDF_CACHE_MAX`` cached PDFs, dropping the least
    recently used (rows and files). Returns how many were evicted."""
    limit = settings.CERTIFICATE_PDF_CACHE_MAX if limit is None else limit
    evicted = 0
    while True:
        with transaction.atomic():
            total = CertificatePdf.objects.count()
            excess = min(total - limit, 1000)
            if excess <= 0:
                return evicted
            rows = list(
                CertificatePdf.objects.select_for_update(skip_locked=True)
                .exclude(state=PdfState.PENDING)
                .order_by("last_used_at", "pk")
                .values_list("pk", "file")[:excess]
            )
            if not rows:
                return evicted
            CertificatePdf.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
            names = [name for _, name in rows if name]
            transaction.on_commit(lambda names=names: [default_storage.delete(n) for n in names])
            evicted += len(rows)


def refresh_cached_pdf(certificate: Certificate) -> CertificatePdf | None:
    """Render the certificate's cached PDF again after its status or print changed (Art 27,
    decision 0049): the row is marked pending under the new data hash and the task queued, so
    the old file is never served again. Nothing is done if no PDF of it is cached."""
    if not CertificatePdf.objects.filter(certificate=certificate).exists():
        return None
    credential_of(certificate)
    return _request(
        {"certificate": certificate}, certificate.agency_id, certificate_hash(certificate)
    )
