"""The agency's seal and the cache of rendered certificate PDFs (Art 20; decision 0043).

``AgencySeal``: the seal image (PNG with transparency) the agency admin uploads once, stored as
a ``Document``; it is printed at the agency's signature place on every certificate it issued.

``CertificatePdf``: one rendered PDF, of one certificate or of a whole session (the batch for
the printer), with the hash of what it shows. PDFs are rendered **on demand** by a Celery task
and kept only as a cache: least recently used first, rows beyond ``CERTIFICATE_PDF_CACHE_MAX``
are evicted by a periodic job (the certificate itself is the record, the PDF can always be
rendered again), and a row whose hash no longer matches the certificate is rendered again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AgencySeal(models.Model):
    """The seal image of one agency (one row per agency; uploading again replaces it)."""

    agency = models.OneToOneField(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    document = models.ForeignKey(
        "portal.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("seal image")
    )
    width = models.PositiveIntegerField(_("width in pixels"))
    height = models.PositiveIntegerField(_("height in pixels"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        verbose_name = _("agency seal")
        verbose_name_plural = _("agency seals")

    def __str__(self) -> str:
        return f"{self.agency_id}"


class PdfState(models.TextChoices):
    PENDING = "pending", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be generated")


def cache_path(instance: CertificatePdf, filename: str) -> str:
    # No personal data in the stored name.
    import uuid

    return f"certificate-pdfs/{instance.agency_id}/{uuid.uuid4().hex}.pdf"


class CertificatePdf(models.Model):
    """A cached PDF: of one certificate, or of a session's certificates (one per page)."""

    certificate = models.OneToOneField(
        "certificates.Certificate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pdf",
        verbose_name=_("certificate"),
    )
    session = models.OneToOneField(
        "assessments.AssessmentSession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_pdf",
        verbose_name=_("assessment session"),
    )
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("agency")
    )
    data_hash = models.CharField(_("hash of the printed data"), max_length=64)
    state = models.CharField(
        _("state"), max_length=8, choices=PdfState.choices, default=PdfState.PENDING
    )
    file = models.FileField(_("file"), upload_to=cache_path, blank=True, max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    error = models.TextField(_("last rendering error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), db_index=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        verbose_name = _("certificate PDF")
        verbose_name_plural = _("certificate PDFs")
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate__isnull=False, session__isnull=True)
                | Q(certificate__isnull=True, session__isnull=False),
                name="certificate_pdf_of_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.state}"

    @property
    def ready(self) -> bool:
        return self.state == PdfState.READY and bool(self.file)
