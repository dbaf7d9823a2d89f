"""The certificate statistics table (Art 21, 24; decision 0053).

``CertificateStatistic`` holds one row per (month of issue, province of the site, occupation
code, level, agency): how many certificates were issued in that month and, of those, how
many are revoked or replaced now (counted by issue month with their current status, so the
rows of a month always add up to the certificates issued in it). It is derived data:
``certificates.services.statistics`` recomputes a key's row from the certificates table
(on issuance and revocation, for the keys concerned; periodically, agency by agency), and
``certificates.statistics`` reads it for the pages here and for supervision's dashboards.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CertificateStatistic(models.Model):
    month = models.DateField(_("month of issue"))  # the first day of the month
    province = models.ForeignKey(
        "portal.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    occupation_code = models.CharField(_("occupation code"), max_length=12)
    occupation_name = models.CharField(_("occupation"), max_length=80)
    level_code = models.CharField(_("level code"), max_length=1)
    level_display = models.CharField(_("level"), max_length=30)
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    issued = models.PositiveIntegerField(_("issued"), default=0)
    revoked = models.PositiveIntegerField(_("revoked"), default=0)
    replaced = models.PositiveIntegerField(_("replaced"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    tenant_path = "agency"
    province_path = "province"

    class Meta:
        ordering = ["month", "province", "occupation_code", "level_code", "agency"]
        verbose_name = _("certificate statistic")
        verbose_name_plural = _("certificate statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "province", "occupation_code", "level_code", "agency"],
                name="certificate_statistic_key",
            ),
            models.CheckConstraint(
                condition=Q(revoked__lte=F("issued") - F("replaced")),
                name="certificate_statistic_counts_add_up",
            ),
        ]
        indexes = [models.Index(fields=["agency", "month"], name="cert_stat_agency_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.province_id} {self.occupation_code} {self.level_code}"

    @property
    def valid(self) -> int:
        return self.issued - self.revoked - self.replaced
