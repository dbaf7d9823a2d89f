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
