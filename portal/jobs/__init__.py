"""Slow and scheduled work: the periodic-job registry, on-commit enqueueing, Celery tasks."""
