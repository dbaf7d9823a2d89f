"""The certificate and its issuance (Art 20, 21; decisions 0041, 0042).

``Certificate`` is issued once per final passing result (a unique constraint on the source
result makes issuing twice issue nothing new). Everything printed on it is **frozen** at
issue: the holder's name, ID (encrypted through ``portal.pii``) and photo, the occupation,
work type (「--」 when none), level, agency name exactly as filed, site, basis and date; later
edits of the candidate, the session or the agency never change an issued certificate.
Certificates are kept permanently (no retention end).

The number (22 characters, national numbering rule) comes from ``portal.counters`` in the
issuing transaction, per key ``services.numbering.counter_key`` (decision 0041). The public
``token`` is random and unguessable: the certificate's page is ``CERTIFICATE_BASE_URL`` +
``/c/<token>/``. Each certificate owns one bit of a ``StatusList`` (at random, decision 0042).

``IssuanceBatch`` is one issuing run (one or several sessions): who, what, how far, the
numbers it took, and the error if it stopped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import IdType
from portal.pii import EncryptedIdField, mask_name

#: Entries of one status list: at least 131,072 (16 KiB of bits) so that fetching a list
#: says nothing about which of its certificates is being checked (W3C Bitstring Status List).
STATUS_LIST_SIZE = 131_072

NO_WORK_TYPE = "--"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    # Corrected (更正): superseded by a new certificate with a new number (``replaced_by``).
    REPLACED = "replaced", _("Replaced by a corrected certificate")


#: Statuses whose status-list bit is set: the credential no longer stands (Art 27, 更正).
ENDED_STATUSES = (CertificateStatus.REVOKED, CertificateStatus.REPLACED)


class CertificateVariant(models.TextChoices):
    ZH = "zh", _("Chinese")
    ZH_EN = "zh-en", _("Chinese and English")


class IssuanceState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Issuing")
    DONE = "done", _("Issued")
    FAILED = "failed", _("Stopped")


class StatusList(models.Model):
    """One bitstring status list (``/certificates/status/<pk>/``): ``size`` entries, of
    which ``allocated`` are owned by certificates at random indexes."""

    size = models.PositiveIntegerField(_("size"), default=STATUS_LIST_SIZE)
    allocated = models.PositiveIntegerField(_("entries allocated"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=STATUS_LIST_SIZE), name="status_list_min_size"
            ),
            models.CheckConstraint(
                condition=Q(allocated__lte=models.F("size")), name="status_list_not_overfull"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} ({self.allocated}/{self.size})"

    @property
    def free(self) -> int:
        return self.size - self.allocated


class IssuanceBatch(models.Model):
    """One issuing run (Art 20): the sessions it covers, its progress and the numbers it
    took. A batch that stops leaves no certificate behind (one transaction)."""

    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    sessions = models.ManyToManyField(
        "assessments.AssessmentSession", related_name="issuance_batches", verbose_name=_("sessions")
    )
    variant = models.CharField(
        _("language"),
        max_length=5,
        choices=CertificateVariant.choices,
        default=CertificateVariant.ZH,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(
        _("state"), max_length=8, choices=IssuanceState.choices, default=IssuanceState.QUEUED
    )
    total = models.PositiveIntegerField(_("certificates to issue"), default=0)
    done = models.PositiveIntegerField(_("certificates issued"), default=0)
    skipped = models.PositiveIntegerField(_("already issued"), default=0)
    # The numbers taken, per counter key: {key: [first, last]}; first and last number overall.
    ranges = models.JSONField(_("number ranges"), default=dict)
    first_number = models.CharField(_("first number"), max_length=22, blank=True)
    last_number = models.CharField(_("last number"), max_length=22, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    tenant_path = "agency"
    province_path = "sessions__site__province"

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("issuing batch")
        verbose_name_plural = _("issuing batches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_state_display()}"

    @property
    def progress(self) -> int:
        """Per cent done, for the progress bar."""
        if self.state in (IssuanceState.DONE, IssuanceState.FAILED):
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (IssuanceState.DONE, IssuanceState.FAILED)


class Certificate(models.Model):
    """A skill-level certificate (职业技能等级证书, Art 20), frozen at issue."""

    number = models.CharField(_("certificate number"), max_length=22, unique=True)
    token = models.CharField(_("public token"), max_length=43, unique=True, editable=False)
    # The final passing result it was issued from. A corrected certificate (更正) has none:
    # its origin is the certificate it replaces (``replaces``), whose result keeps pointing
    # at the first certificate, so "issued for this result" stays true and unique.
    result = models.OneToOneField(
        "assessments.Result",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate",
        verbose_name=_("result"),
    )
    batch = models.ForeignKey(
        IssuanceBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("issuing batch"),
    )
    # The holder, frozen.
    holder_name = models.CharField(_("holder"), max_length=60)
    id_type = models.CharField(
        _("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    id_number = EncryptedIdField(_("ID number"), index_field="id_index", type_field="id_type")
    id_index = models.CharField(_("ID number index"), max_length=80, db_index=True)
    photo = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    # What was assessed, frozen.
    occupation_code = models.CharField(_("occupation code"), max_length=12)
    occupation_name = models.CharField(_("occupation"), max_length=80)
    work_type_name = models.CharField(_("work type"), max_length=80, default=NO_WORK_TYPE)
    level_code = models.CharField(_("level code"), max_length=1)
    level_display = models.CharField(_("level"), max_length=30)
    agency_name = models.CharField(_("agency name as filed"), max_length=120)
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    site = models.ForeignKey(
        "portal.AgencySite", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    basis = models.JSONField(_("basis"), default=dict)
    session = models.ForeignKey(
        "assessments.AssessmentSession",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("assessment session"),
    )
    issued_on = models.DateField(_("issue date"))
    variant = models.CharField(
        _("language"),
        max_length=5,
        choices=CertificateVariant.choices,
        default=CertificateVariant.ZH,
    )
    # Status (Art 27): revoked or replaced certificates keep their number, never reused.
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    # 补发: the paper certificate was reissued (same number, same facts) on this day.
    reissued_on = models.DateField(_("paper reissued on"), null=True, blank=True)
    reissue_count = models.PositiveSmallIntegerField(_("paper reissues"), db_default=0)
    status_list = models.ForeignKey(
        StatusList,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("status list"),
    )
    status_index = models.PositiveIntegerField(_("status list index"))
    # The signed verifiable credential (decision 0044), signed after the issuing transaction.
    credential = models.JSONField(_("verifiable credential"), null=True, blank=True)
    credential_signed_at = models.DateTimeField(_("credential signed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    tenant_path = "agency"
    province_path = "site__province"

    class Meta:
        ordering = ["number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["agency", "number"], name="cert_agency_number_idx"),
            models.Index(fields=["session"], name="cert_session_idx"),
            # The statistics recount a key from an agency's certificates of one month (0053).
            models.Index(fields=["agency", "issued_on"], name="cert_agency_issued_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="certificate_status_entry_once"
            ),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[YS][0-9]{4}[0-9]{2}[0-9]{6}[0-9]{2}[1-5][0-9]{6}$"),
                name="certificate_number_format",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="revoked_certificate_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="replaced")
                | Q(replaced_at__isnull=False, replaced_by__isnull=False),
                name="replaced_certificate_has_successor",
            ),
            models.CheckConstraint(condition=~Q(work_type_name=""), name="work_type_never_blank"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("certificates:public", args=[self.token])

    @property
    def masked_id(self) -> str:
        from portal import pii

        return pii.mask_id(self.id_number, self.id_type)

    @property
    def masked_name(self) -> str:
        """张*三, for pages meant for others."""
        return mask_name(self.holder_name)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    @property
    def is_replaced(self) -> bool:
        return self.status == CertificateStatus.REPLACED

    @property
    def public_url(self) -> str:
        """The address printed in the QR code: stable for decades (decision 0042)."""
        return settings.CERTIFICATE_BASE_URL.rstrip("/") + f"/c/{self.token}/"
