"""Celery tasks of the portal app: small, idempotent, calling services."""

from __future__ import annotations

from celery import shared_task

from portal import periodic


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def run_periodic_job(name: str) -> bool:
    return periodic.run(name)


@shared_task(acks_late=True)
def ping() -> str:
    """Round trip used by the health and worker tests."""
    return "pong"
