"""The gap-free counters of portal.counters: one row per key."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_KEY = 100


class Counter(models.Model):
    """The last number handed out for one key (``catalog.spec_filing:2026``, say)."""

    key = models.CharField(_("counter key"), max_length=MAX_KEY, unique=True)
    last = models.BigIntegerField(_("last number handed out"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last__gte=0), name="counter_last_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"
