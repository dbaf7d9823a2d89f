"""The record of periodic jobs (portal.jobs.periodic): when each ran and how it ended."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """One run of a periodic job, by beat or by ``manage.py run_periodic``."""

    job = models.CharField(_("job"), max_length=80, db_index=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"
