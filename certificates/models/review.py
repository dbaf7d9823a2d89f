"""Review access to an agency's certificates for supervision (Art 24, 25; decision 0059).

``services.open_for_review`` lets a reviewer (an inspector drawn for a spot check) read one
agency's certificates until a date, as ``assessments.services.open_for_review`` does for a
session. Certificates are many, so the grant is this row (a scoped read of the agency's
certificates while it is in force), not a django-guardian permission per certificate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateReviewGrant(models.Model):
    """Read access to one agency's certificates for a reviewer until a date."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    until = models.DateField(_("until"))
    granted_by = models.CharField(_("granted by"), max_length=150)
    granted_at = models.DateTimeField(_("granted at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        verbose_name = _("review access to certificates")
        verbose_name_plural = _("review accesses to certificates")
        indexes = [
            models.Index(fields=["until", "revoked_at"], name="cert_review_due_idx"),
            models.Index(fields=["user", "revoked_at"], name="cert_review_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.agency_id} until {self.until}"
