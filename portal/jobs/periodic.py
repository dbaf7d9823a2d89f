"""Periodic jobs: one registry for Celery beat and for ``manage.py run_periodic``.

A job is a plain function that calls services. Beat runs it on its schedule
through the task ``portal.tasks.run_periodic_job`` (in ``portal.jobs.tasks``); without
beat (``make run``) an operator or a test runs every due job with ``manage.py run_periodic``.
Each run is recorded in ``PeriodicRun``, so "due" means: no successful run within its
interval.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from celery.schedules import crontab

from portal import clock

logger = logging.getLogger("portal.periodic")  # its name from before the move to portal.jobs


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    func: Callable[[], object]
    schedule: crontab
    every: dt.timedelta
    description: str = ""


_JOBS: dict[str, PeriodicJob] = {}


def register(
    name: str,
    func: Callable[[], object],
    *,
    schedule: crontab,
    every: dt.timedelta,
    description: str = "",
) -> None:
    _JOBS[name] = PeriodicJob(name, func, schedule, every, description)


def jobs() -> dict[str, PeriodicJob]:
    return dict(_JOBS)


def beat_schedule() -> dict[str, dict]:
    return {
        name: {
            "task": "portal.tasks.run_periodic_job",
            "schedule": job.schedule,
            "args": (name,),
        }
        for name, job in _JOBS.items()
    }


def is_due(job: PeriodicJob) -> bool:
    from portal.models import PeriodicRun

    last = PeriodicRun.objects.filter(job=job.name, ok=True).order_by("-started_at").first()
    return last is None or clock.now() - last.started_at >= job.every


def run(name: str) -> bool:
    """Run one job now and record the outcome; returns whether it succeeded."""
    from portal.models import PeriodicRun

    job = _JOBS[name]
    record = PeriodicRun.objects.create(job=name, started_at=clock.now())
    try:
        result = job.func()
    except Exception:
        logger.exception("periodic job %s failed", name)
        record.ok, record.detail = False, traceback.format_exc(limit=5)[-4000:]
    else:
        record.ok, record.detail = True, "" if result is None else str(result)[:4000]
    record.finished_at = clock.now()
    record.save(update_fields=["ok", "detail", "finished_at"])
    return record.ok


def run_due(*, force: bool = False) -> dict[str, bool]:
    return {name: run(name) for name, job in _JOBS.items() if force or is_due(job)}
