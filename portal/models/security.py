"""Tables of the rate limiter (portal.ratelimit).

Only the database backend (no ``REDIS_URL``) writes here. A bucket counts the hits of one
named limit and one hashed key within one fixed window; the key is a keyed SHA-256 digest, so
no username or IP address is stored (healthchecks' ``TokenBucket`` does the same).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["RateLimitBucket", "SpentChallenge"]


class RateLimitBucket(models.Model):
    """Hits of one limit and one hashed key in the window that starts at ``window_start``."""

    key = models.CharField(_("key"), max_length=120)
    window_start = models.DateTimeField(_("window start"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        verbose_name = _("rate-limit bucket")
        verbose_name_plural = _("rate-limit buckets")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="ratelimitbucket_one_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M} {self.hits}"


class SpentChallenge(models.Model):
    """A solved proof-of-work challenge (``portal.captcha``), kept until it expires so that it
    is refused a second time. Only written without ``REDIS_URL`` (Redis keeps it otherwise);
    ``digest`` is the SHA-256 of the challenge's signature."""

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("spent challenge")
        verbose_name_plural = _("spent challenges")

    def __str__(self) -> str:
        return self.digest[:12]
