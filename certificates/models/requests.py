"""Requests to change an issued certificate (Art 27; decision 0049).

The agency that issued a certificate asks its filing authority to **revoke** it (撤销), to
**correct** the holder's name or ID (更正: a new certificate with a new number replaces it) or
to **reissue** the lost paper certificate (补发: same number, same facts, a new print date).
The authority approves or refuses; the agency may withdraw a pending request. One request
waits per certificate at a time. Rows are never deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import IdType
from portal.pii import EncryptedIdField


class RequestKind(models.TextChoices):
    REVOKE = "revoke", _("Revocation")
    CORRECT = "correct", _("Correction")
    REISSUE = "reissue", _("Reissue of the paper certificate")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CertificateRequest(models.Model):
    """An agency's request about one of its certificates, decided by its filing authority."""

    kind = models.CharField(_("kind"), max_length=8, choices=RequestKind.choices)
    state = models.CharField(
        _("state"), max_length=9, choices=RequestState.choices, default=RequestState.PENDING
    )
    certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("certificate"),
    )
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    reason = models.TextField(_("reason"))
    evidence = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("evidence")
    )
    # For a correction: the holder's facts as they should read (blank: unchanged).
    corrected_name = models.CharField(_("corrected name"), max_length=60, blank=True)
    corrected_id_type = models.CharField(
        _("corrected ID type"), max_length=20, choices=IdType.choices, blank=True
    )
    corrected_id_number = EncryptedIdField(
        _("corrected ID number"),
        index_field="corrected_id_index",
        type_field="corrected_id_type",
    )
    corrected_id_index = models.CharField(_("corrected ID number index"), max_length=80, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    # An approved correction: the new certificate that replaced this one.
    successor = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected certificate"),
    )

    tenant_path = "agency"
    # Decided by the filing authority; the site's province reads it too (Art 24).
    province_path = ("agency__filing_jurisdiction", "certificate__site__province")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(state="pending"),
                name="one_pending_request_per_certificate",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved", kind="correct") | Q(successor__isnull=False),
                name="approved_correction_has_successor",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="certificate_request_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.certificate_id}"

    @property
    def is_pending(self) -> bool:
        return self.state == RequestState.PENDING
