"""Affiliated employers (Art 16): the subsidiaries an employer agency declares, whose staff
count as its own once its filing authority confirms the declaration."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import codes


class AffiliateStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the filing authority")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AffiliatedEmployer(models.Model):
    """An employer the agency declares as affiliated (a subsidiary): its staff are the
    agency's own staff for Art 16 once the filing authority confirms it. Rows are kept."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="affiliates",
        verbose_name=_("agency"),
    )
    name = models.CharField(_("employer name"), max_length=120)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, validators=[codes.validate_uscc]
    )
    relation = models.CharField(_("relation to the agency"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AffiliateStatus.choices,
        default=AffiliateStatus.PENDING,
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("declared by"),
    )
    declared_at = models.DateTimeField(_("declared at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["agency", "-declared_at"]
        verbose_name = _("affiliated employer")
        verbose_name_plural = _("affiliated employers")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "uscc"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="affiliate_declared_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"
