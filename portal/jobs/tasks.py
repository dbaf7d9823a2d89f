"""Celery tasks of the portal app: small, idempotent, calling services."""

from __future__ import annotations

import logging

from celery import shared_task

from portal import documents
from portal.jobs import periodic

logger = logging.getLogger(__name__)

# Each task keeps its name from before the move to portal.jobs (queued messages, beat).


@shared_task(
    name="portal.tasks.run_periodic_job",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def run_periodic_job(name: str) -> bool:
    return periodic.run(name)


@shared_task(name="portal.tasks.ping", acks_late=True)
def ping() -> str:
    """Round trip used by the health and worker tests."""
    return "pong"


@shared_task(
    name="portal.jobs.tasks.render_document",
    bind=True,
    acks_late=True,
    max_retries=documents.MAX_RENDER_ATTEMPTS,
)
def render_document(self, pk: int) -> bool:
    """Render a pending document (decision 0017); a ready or failed one is left alone.

    A failure is retried with back-off (30 s, 1 min, 2 min, … at most 10 min) on a
    worker; run eagerly (no broker) it is logged and the document stays pending for the
    sweep, so the request that committed it never fails because of it.
    """
    try:
        return documents.render_pending(pk)
    except Exception as exc:
        if self.request.is_eager or not documents.is_pending(pk):
            logger.exception("document %s could not be rendered", pk)
            return False
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc


@shared_task(name="portal.tasks.write_audit_checkpoint", acks_late=True)
def write_audit_checkpoint() -> str:
    """Sign the audit chain heads after a burst of bulk actions (portal.audit.checkpoints)."""
    from portal.audit import checkpoints

    return checkpoints.write_logged()
