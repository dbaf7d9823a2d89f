"""Celery tasks of the portal app: small, idempotent, calling services."""

from __future__ import annotations

from celery import shared_task

from portal.jobs import periodic

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
