"""Celery tasks of certificates: small, safe to repeat, each calling a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def run_issuance(batch_id: int) -> int:
    """Issue a queued batch (idempotent: a finished batch is left as it is; a batch whose
    worker died left nothing and is run again). Returns the certificates issued."""
    from certificates.services import run_batch

    return run_batch(batch_id).done


@shared_task(acks_late=True, max_retries=3)
def render_certificate_pdf(pk: int) -> bool:
    """Render a pending cached certificate PDF (decision 0043); a ready one is left alone."""
    from certificates.services.pdfs import render_cached

    try:
        return render_cached(pk)
    except Exception:  # marked failed on the row; the next download asks again
        return False


@shared_task(acks_late=True)
def sign_batch_credentials(batch_id: int) -> int:
    """Sign the credentials of a batch's certificates after it committed (decision 0044):
    one ``sign_credentials`` task per chunk of ``CERTIFICATE_VC_CHUNK``, so a batch of
    100,000 is signed by several workers and no task runs for long. Returns the chunks."""
    from django.conf import settings

    from certificates.models import Certificate

    ids = list(
        Certificate.objects.filter(batch_id=batch_id, credential__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = max(1, settings.CERTIFICATE_VC_CHUNK)
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
    for chunk in chunks:
        sign_credentials.delay(chunk)
    return len(chunks)


@shared_task(acks_late=True, max_retries=3)
def sign_credentials(ids: list[int]) -> int:
    """Sign and store the credentials of certificates ``ids`` that have none (idempotent)."""
    from certificates.vc import sign_many

    return sign_many(ids)


@shared_task(acks_late=True, max_retries=3)
def refresh_certificate_outputs(certificate_id: int) -> dict:
    """After a revocation, correction or reissue committed (Art 27; decision 0049): sign the
    status list credential again and render the cached PDF again. Safe to repeat."""
    from certificates.services.changes import refresh_outputs

    return refresh_outputs(certificate_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_holder(certificate_id: int, event: str) -> int:
    """Tell the holder that their certificate was revoked or corrected (decision 0049). A retry
    after a mail server error may send it twice; better twice than lost."""
    from certificates.services.changes import mail_holder as send

    return send(certificate_id, event)


@shared_task(acks_late=True)
def refresh_batch_statistics(batch_id: int) -> int:
    """Recompute the statistics rows of the keys a committed batch issued into (decision
    0053; idempotent: rows are recomputed, never incremented). Returns the keys."""
    from certificates.services.statistics import refresh_batch

    return refresh_batch(batch_id)


@shared_task(acks_late=True)
def refresh_certificate_statistics(ids: list[int]) -> int:
    """Recompute the statistics rows of these certificates' keys (a revocation, a correction;
    idempotent). Returns the keys."""
    from certificates.models import Certificate
    from certificates.services.statistics import refresh_certificates

    found = Certificate.objects.filter(pk__in=ids).select_related("site")
    return refresh_certificates(*found)
