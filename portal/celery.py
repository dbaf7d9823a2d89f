"""Celery application on REDIS_URL; without it tasks run eagerly (see settings).

The beat schedule comes from the periodic-job registry (portal.jobs.periodic), which
apps fill in their AppConfig.ready().
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # <app>.tasks of every installed app
app.autodiscover_tasks(["portal.jobs"])  # portal's own tasks live in portal.jobs.tasks
app.autodiscover_tasks(["portal.accounts"], related_name="alerts")  # sign-in burst mail


@app.on_after_finalize.connect
def _install_beat_schedule(sender: Celery, **kwargs) -> None:
    from portal.jobs import periodic

    sender.conf.beat_schedule = periodic.beat_schedule()
