"""Data submission to the testing centre (Art 21; decision 0052).

An agency's certificate events (a certificate issued, revoked, replaced by a corrected one,
its paper reissued) are submitted in numbered ``SubmissionBatch`` es: 1, 2, 3… per agency,
gap-free through ``portal.counters``. ``SubmissionItem`` says which batch holds which event;
its unique constraint ``(certificate, event, serial)`` is what makes every event go into
exactly one batch (none missed: a batch takes every event not yet in a batch; none twice:
the constraint). A batch's files (JSON Lines and CSV with full ID numbers, for the testing
centre only) are ``SubmissionFile`` rows, encrypted at rest with AES-GCM under
``SUBMISSION_ENCRYPTION_KEYS``; the manifest (no personal data) gives the SHA-256 of each
file's plain content.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SubmissionEvent(models.TextChoices):
    NEW = "new", _("Issued")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced by a corrected certificate")
    REISSUED = "reissued", _("Paper certificate reissued")


#: The order of events of one certificate within a batch: its issue always comes first.
EVENT_ORDER = {
    SubmissionEvent.NEW: 0,
    SubmissionEvent.REISSUED: 1,
    SubmissionEvent.REPLACED: 2,
    SubmissionEvent.REVOKED: 3,
}


class FileKind(models.TextChoices):
    JSONL = "jsonl", _("JSON Lines")
    CSV = "csv", _("CSV")


class SubmissionBatch(models.Model):
    """One submission of an agency's certificate events to the testing centre (Art 21)."""

    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    sequence = models.PositiveIntegerField(_("batch number"))
    # The testing centre that receives it: the agency's filing authority (000000: national).
    jurisdiction = models.CharField(_("testing centre"), max_length=6)
    period_from = models.DateTimeField(_("period from"), null=True, blank=True)
    period_to = models.DateTimeField(_("period to"))
    new_count = models.PositiveIntegerField(_("issued"), default=0)
    revoked_count = models.PositiveIntegerField(_("revoked"), default=0)
    replaced_count = models.PositiveIntegerField(_("replaced"), default=0)
    reissued_count = models.PositiveIntegerField(_("reissued"), default=0)
    manifest = models.JSONField(_("manifest"), default=dict)
    created_at = models.DateTimeField(_("submitted at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledgement_note = models.TextField(_("acknowledgement note"), blank=True)

    tenant_path = "agency"
    province_path = "jurisdiction"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data submission")
        verbose_name_plural = _("data submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "sequence"], name="submission_sequence_once_per_agency"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="submission_acknowledged_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}-{self.sequence}"

    @property
    def total(self) -> int:
        return self.new_count + self.revoked_count + self.replaced_count + self.reissued_count

    @property
    def manifest_text(self) -> str:
        """The manifest as the testing centre downloads it (no personal data)."""
        import json

        return json.dumps(self.manifest, ensure_ascii=False, indent=2, sort_keys=True)

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class SubmissionItem(models.Model):
    """One certificate event in one batch. ``serial`` tells a paper certificate's reissues
    apart (its ``reissue_count``); it is 0 for the other events."""

    batch = models.ForeignKey(
        SubmissionBatch, on_delete=models.PROTECT, related_name="items", verbose_name=_("batch")
    )
    certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        related_name="submission_items",
        verbose_name=_("certificate"),
    )
    event = models.CharField(_("event"), max_length=8, choices=SubmissionEvent.choices)
    serial = models.PositiveSmallIntegerField(_("occurrence"), default=0)
    event_at = models.DateTimeField(_("event time"))

    class Meta:
        ordering = ["batch", "event_at", "pk"]
        verbose_name = _("submitted event")
        verbose_name_plural = _("submitted events")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "event", "serial"], name="submission_event_once"
            ),
        ]
        indexes = [models.Index(fields=["batch", "event_at"], name="submission_item_batch_idx")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.certificate_id}:{self.event}"


class SubmissionFile(models.Model):
    """A batch's file, encrypted at rest (AES-GCM, ``nonce + ciphertext`` in ``content``).

    Kept in the database, in the same transaction as the batch and its items, so a batch is
    never half there (decision 0052). ``sha256`` is of the plain content (what the testing
    centre downloads and checks against the manifest), ``stored_sha256`` of the stored bytes.
    """

    batch = models.ForeignKey(
        SubmissionBatch, on_delete=models.PROTECT, related_name="files", verbose_name=_("batch")
    )
    kind = models.CharField(_("format"), max_length=5, choices=FileKind.choices)
    key_id = models.CharField(_("key"), max_length=40)
    content = models.BinaryField(_("encrypted content"))
    size = models.PositiveBigIntegerField(_("size"))
    rows = models.PositiveIntegerField(_("rows"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored_sha256 = models.CharField(_("SHA-256 of the stored bytes"), max_length=64)

    class Meta:
        ordering = ["batch", "kind"]
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")
        constraints = [
            models.UniqueConstraint(fields=["batch", "kind"], name="submission_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}.{self.kind}"
