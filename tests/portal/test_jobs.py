"""Background work: periodic jobs by hand, enqueue after commit, and a real worker round trip."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from portal import clock
from portal.celery import app
from portal.jobs import periodic
from portal.jobs.background import enqueue
from portal.models import PeriodicRun

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def job_calls():
    calls: list[str] = []
    periodic.register(
        "test.counter",
        lambda: calls.append("run") or "counted",
        schedule=crontab(minute=0, hour=2),
        every=dt.timedelta(days=1),
        description="test job",
    )
    yield calls
    periodic._JOBS.pop("test.counter", None)


@pytest.mark.django_db
def test_run_periodic_runs_a_due_job_once_per_interval(job_calls):
    with clock.frozen(dt.datetime(2026, 11, 25, 9, 0)):
        call_command("run_periodic")
        call_command("run_periodic")
    assert job_calls == ["run"]
    run = PeriodicRun.objects.get(job="test.counter")
    assert run.ok and run.detail == "counted"
    with clock.frozen(dt.datetime(2026, 11, 26, 9, 0)):
        call_command("run_periodic")
    assert job_calls == ["run", "run"]


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_command_fails():
    periodic.register("test.broken", lambda: 1 / 0, schedule=crontab(), every=dt.timedelta(hours=1))
    try:
        with pytest.raises(CommandError):
            call_command("run_periodic", job=["test.broken"])
        run = PeriodicRun.objects.get(job="test.broken")
        assert not run.ok and "ZeroDivisionError" in run.detail
    finally:
        periodic._JOBS.pop("test.broken", None)


def test_the_beat_schedule_comes_from_the_registry(job_calls):
    schedule = periodic.beat_schedule()
    assert schedule["test.counter"]["task"] == "portal.tasks.run_periodic_job"
    assert schedule["test.counter"]["args"] == ("test.counter",)


@pytest.mark.django_db(transaction=True)
def test_a_task_is_not_enqueued_when_the_transaction_rolls_back(job_calls):
    from portal.jobs.tasks import run_periodic_job

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(run_periodic_job, "test.counter")
        raise RuntimeError("rolled back")
    assert job_calls == []
    with transaction.atomic():
        enqueue(run_periodic_job, "test.counter")
        assert job_calls == []  # not before the commit
    assert job_calls == ["run"]


@pytest.fixture
def worker():
    """A real Celery worker on REDIS_URL, against the test database."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-P",
            "solo",
            "-Q",
            "portal",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    app.conf.task_always_eager = False
    try:
        yield proc
    finally:
        app.conf.task_always_eager = True
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_queued_periodic_job(worker):
    from portal.jobs.tasks import ping, run_periodic_job

    assert ping.delay().get(timeout=30) == "pong"
    # The worker process has the real registry: run a real job there against the test DB.
    name = next(iter(periodic.jobs()), None)
    if name is None:
        pytest.skip("no periodic job registered yet")
    assert run_periodic_job.delay(name).get(timeout=60) in (True, False)
    deadline = time.monotonic() + 10
    while not PeriodicRun.objects.filter(job=name).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert PeriodicRun.objects.filter(job=name).exists()
