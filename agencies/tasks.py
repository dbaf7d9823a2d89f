"""Celery tasks of the agencies app: small, safe to repeat, each calling a service.

The PDFs (receipt, decision letter, commitment letter) are rendered by portal's document
task through the renderers ``agencies.registry`` registers; what is left here is mail.
"""

from __future__ import annotations

from celery import shared_task

from agencies.services import running


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def mail_term_reminder(reminder_id: int) -> int:
    """Send one recorded term reminder (Art 22). A retry after a mail server error may send it
    twice; a reminder sent twice is better than one lost."""
    return running.mail_term_reminder(reminder_id)
