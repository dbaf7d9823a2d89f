"""Celery tasks of exam affairs: small, safe to repeat, each calling a service."""

from __future__ import annotations

from celery import shared_task

from assessments.services import imports, venues


@shared_task(acks_late=True)
def reset_ended_leases() -> int:
    """Verified venues whose lease ended return to "to verify" (idempotent)."""
    return venues.reset_ended_leases()


@shared_task(acks_late=True)
def check_roster(batch_id: int) -> int:
    """Check the rows of a large staged roster (idempotent: a checked batch is left as is)."""
    from assessments.models import RosterBatch

    batch = RosterBatch.objects.select_related("session__agency", "session__site").get(pk=batch_id)
    return imports.check(batch).error_rows
