"""Stored files (ARCHITECTURE.md "Files and retention") and their assignment grants."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class RetentionClass(models.TextChoices):
    """Art 21: electronic material ≥ 5 years, paper ≥ 3 years; reference documents forever."""

    ELECTRONIC = "electronic", _("Electronic record (5 years)")
    PAPER = "paper", _("Paper record kept by the agency (3 years)")
    REFERENCE = "reference", _("Reference document (kept permanently)")


class DocumentStatus(models.TextChoices):
    """A generated file may be pending: its row exists (so another row can point at it)
    before a task renders it after the commit (decision 0017, slow work after commit)."""

    PENDING = "pending", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be generated")


def document_path(instance: Document, filename: str) -> str:
    # The stored name carries no personal data; the original name stays in the row.
    owner = f"agency-{instance.owner_agency_id}" if instance.owner_agency_id else "authority"
    return f"documents/{owner}/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file (or a registered paper record) owned by an agency or an authority.

    ``subject`` names the matter it belongs to (``app.model:pk``); when the matter
    closes, ``start_retention(subject)`` sets ``retain_until``. Nothing is deleted
    before that date; a deletion keeps the row as a tombstone.
    """

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40)
    owner_agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("owner agency"),
    )
    owner_jurisdiction = models.CharField(_("owner authority"), max_length=6, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, blank=True, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    paper_location = models.CharField(
        _("where the paper record is kept"), max_length=200, blank=True
    )
    retention_class = models.CharField(
        _("retention"),
        max_length=12,
        choices=RetentionClass.choices,
        default=RetentionClass.ELECTRONIC,
    )
    subject = models.CharField(_("matter"), max_length=80, blank=True, db_index=True)
    retain_until = models.DateField(_("keep until"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"))
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DocumentStatus.choices, default=DocumentStatus.READY
    )
    renderer = models.CharField(_("renderer"), max_length=80, blank=True)
    render_params = models.JSONField(_("rendering parameters"), default=dict, blank=True)
    render_attempts = models.PositiveSmallIntegerField(_("rendering attempts"), default=0)
    render_error = models.TextField(_("last rendering error"), blank=True)

    tenant_path = "owner_agency"
    province_path = ("owner_jurisdiction", "owner_agency__filing_jurisdiction")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_agency__isnull=False) | ~Q(owner_jurisdiction=""),
                name="document_has_an_owner",
            ),
            models.CheckConstraint(
                condition=~Q(retention_class="paper") | ~Q(paper_location=""),
                name="paper_record_has_a_location",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | ~Q(renderer=""),
                name="pending_document_has_a_renderer",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(status="pending"), name="document_pending"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_paper(self) -> bool:
        return self.retention_class == RetentionClass.PAPER

    @property
    def is_pending(self) -> bool:
        return self.status == DocumentStatus.PENDING

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class DocumentUserObjectPermission(UserObjectPermissionBase):
    """Assignment grants on documents (direct foreign key, not guardian's generic table)."""

    content_object = models.ForeignKey(Document, on_delete=models.CASCADE)


class DocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Document, on_delete=models.CASCADE)
