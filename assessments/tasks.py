"""Celery tasks of exam affairs: small, safe to repeat, each calling a service."""

from __future__ import annotations

from celery import shared_task

from assessments.services import venues


@shared_task(acks_late=True)
def reset_ended_leases() -> int:
    """Verified venues whose lease ended return to "to verify" (idempotent)."""
    return venues.reset_ended_leases()
