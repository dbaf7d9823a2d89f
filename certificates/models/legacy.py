"""Legacy certificate records (Art 4; decision 0046): certificates issued before the portal
(16-digit 职业资格证书 numbers) or elsewhere (22-digit numbers), imported by testing-centre
staff for lookup only. A separate model beside ``Certificate``: they have no result, session,
site or status-list entry, and the portal never prints or signs them. The frozen facts carry
the same field names as ``Certificate`` so that the public lookup searches both alike.

``LegacyImport`` is one uploaded file: staged (checked, previewed) and then applied all or
nothing; its rows are kept staged with the ID number encrypted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import IdType
from portal.pii import EncryptedIdField, mask_name

from .certificates import NO_WORK_TYPE


class LegacyImportState(models.TextChoices):
    STAGED = "staged", _("Checked, not applied")
    APPLIED = "applied", _("Imported")


class LegacyImport(models.Model):
    """One uploaded file of legacy certificates (Art 4)."""

    province = models.CharField(_("jurisdiction"), max_length=6)
    source = models.CharField(_("issued by (source)"), max_length=120)
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=LegacyImportState.choices,
        default=LegacyImportState.STAGED,
    )
    # Staged rows: [{"row": n, "values": {...}, "errors": {column: message}}]; the ID number
    # only encrypted (``portal.pii.encrypt``), never plain.
    rows = models.JSONField(_("rows"), default=list)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    added = models.PositiveIntegerField(_("records added"), default=0)
    skipped = models.PositiveIntegerField(_("already imported"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    province_path = "province"

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("legacy certificate import")
        verbose_name_plural = _("legacy certificate imports")

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class LegacyCertificate(models.Model):
    """A certificate issued before or outside the portal, imported for lookup only (Art 4)."""

    number = models.CharField(_("certificate number"), max_length=22, unique=True)
    holder_name = models.CharField(_("holder"), max_length=60)
    id_type = models.CharField(
        _("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = EncryptedIdField(_("ID number"), index_field="id_index", type_field="id_type")
    id_index = models.CharField(_("ID number index"), max_length=80, db_index=True)
    occupation_code = models.CharField(_("occupation code"), max_length=12)
    occupation_name = models.CharField(_("occupation"), max_length=80)
    work_type_name = models.CharField(_("work type"), max_length=80, default=NO_WORK_TYPE)
    level_code = models.CharField(_("level code"), max_length=1)
    level_display = models.CharField(_("level"), max_length=30)
    agency_name = models.CharField(_("agency name as filed"), max_length=120)
    issued_on = models.DateField(_("issue date"))
    # How it came here.
    source = models.CharField(_("issued by (source)"), max_length=120)
    imported_from = models.ForeignKey(
        LegacyImport,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("import"),
    )
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    province = models.CharField(_("jurisdiction"), max_length=6)

    province_path = "province"

    class Meta:
        ordering = ["number"]
        verbose_name = _("legacy certificate")
        verbose_name_plural = _("legacy certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{16}$")
                | Q(number__regex=r"^[YS][0-9]{4}[0-9]{2}[0-9]{6}[0-9]{2}[1-5][0-9]{6}$"),
                name="legacy_certificate_number_format",
            ),
            models.CheckConstraint(
                condition=~Q(work_type_name=""), name="legacy_work_type_never_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_legacy_format(self) -> bool:
        """A 16-digit 职业资格证书 number (never issued by the portal)."""
        return len(self.number) == 16

    @property
    def masked_name(self) -> str:
        return mask_name(self.holder_name)

    @property
    def masked_id(self) -> str:
        from portal import pii

        return pii.mask_id(self.id_number, self.id_type)
