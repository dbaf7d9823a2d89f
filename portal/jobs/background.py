"""Enqueue background work only after the surrounding transaction commits.

A task queued inside a transaction that later rolls back would act on rows that
never existed; ``transaction.on_commit`` closes that gap. Without a broker
(``make run``) Celery runs the task eagerly, still after the commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue(task: Any, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))
