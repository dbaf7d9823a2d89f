"""Tables of public notices (公示, Art 14) and the objections filed against them.

A notice names its subject as a string key ``app_label.model:pk`` (``portal`` imports
no app), carries the kind that decides what happens when it stands or is overturned
(``portal.notices.register_kind``), and is open for objections for a period counted
in working days (``portal.clock``). Services live in ``portal.notices``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "NoticeOutcome",
    "NoticeStatus",
    "Objection",
    "ObjectionStatus",
    "PublicNotice",
    "SubjectRef",
]

# The unambiguous alphabet of tracking codes: no 0/O, 1/I/L (31 symbols, 16 of them ≈ 79 bits).
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 16


@dataclass(frozen=True)
class SubjectRef:
    """A notice's subject read from its stored key ``app_label.model:pk``.

    The key stays a string in the table (``portal`` imports no app); this is the one
    place that reads it, so no caller splits the string itself.
    """

    label: str  # the model's ``_meta.label_lower``, e.g. ``agencies.agencyapplication``
    pk: int

    @classmethod
    def parse(cls, key: str) -> SubjectRef:
        label, sep, pk = key.rpartition(":")
        if not sep or "." not in label or not pk.isdigit():
            raise ValueError(f"not a subject key (app_label.model:pk): {key!r}")
        return cls(label, int(pk))

    def __str__(self) -> str:
        return f"{self.label}:{self.pk}"


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Open for objections")
    CLOSED = "closed", _("Closed")


class NoticeOutcome(models.TextChoices):
    PENDING = "pending", _("Not decided yet")
    STOOD = "stood", _("Stands")
    OVERTURNED = "overturned", _("Overturned")


class PublicNotice(models.Model):
    """A published decision open to objections for ``period_working_days`` working days.

    ``jurisdiction`` is the authority that publishes it and decides its objections:
    ``000000`` (national officials only) or a province code.
    """

    subject = models.CharField(_("subject"), max_length=80, db_index=True)
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    jurisdiction = models.CharField(_("jurisdiction"), max_length=6, db_index=True)
    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_notices",
        verbose_name=_("agency concerned"),
    )
    published_on = models.DateField(_("published on"))
    period_working_days = models.PositiveSmallIntegerField(_("period in working days"))
    ends_on = models.DateField(_("period ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=NoticeOutcome.choices, default=NoticeOutcome.PENDING
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created at"))

    tenant_path = "agency"
    province_path = "jurisdiction"

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(jurisdiction__regex=r"^[0-9]{6}$"),
                name="notice_jurisdiction_six_digits",
            ),
            models.CheckConstraint(
                condition=Q(period_working_days__gte=1), name="notice_period_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("published_on")), name="notice_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(outcome="pending") & Q(closed_at__isnull=True))
                | (
                    Q(status="closed")
                    & Q(outcome__in=["stood", "overturned"])
                    & Q(closed_at__isnull=False)
                ),
                name="notice_outcome_matches_status",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=Q(status="open"),
                name="notice_one_open_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "ends_on"], name="notice_status_ends"),
            # The public list, newest first, filtered by kind, province or agency (decision 0039).
            models.Index(fields=["status", "published_on", "id"], name="notice_public_idx"),
            models.Index(
                fields=["kind", "status", "published_on", "id"], name="notice_public_kind_idx"
            ),
            models.Index(
                fields=["jurisdiction", "status", "published_on", "id"],
                name="notice_public_area_idx",
            ),
            models.Index(
                fields=["agency", "status", "published_on", "id"], name="notice_public_agency_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == NoticeStatus.OPEN

    @property
    def subject_ref(self) -> SubjectRef:
        """The subject as (model label, pk); ``notices.subject_object`` loads it."""
        return SubjectRef.parse(self.subject)


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("Pending decision")
    DISMISSED = "dismissed", _("Dismissed")
    UPHELD = "upheld", _("Upheld")


class Objection(models.Model):
    """An objection to a notice. The objector's identity and contact are for the authority
    only: the agency concerned reads the substance (content, status, decision reason)."""

    notice = models.ForeignKey(
        PublicNotice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("notice")
    )
    objector_name = models.CharField(_("objector's name"), max_length=60)
    objector_contact = models.CharField(_("objector's contact"), max_length=100)
    content = models.TextField(_("objection"))
    evidence = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence"),
    )
    tracking_code = models.CharField(_("tracking code"), max_length=TRACKING_LENGTH, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    tenant_path = "notice__agency"
    province_path = "notice__jurisdiction"

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_at__isnull=True))
                | (~Q(status="pending") & Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="objection_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(tracking_code__regex=r"^[2-9A-HJKMNP-Z]{16}$"),
                name="objection_tracking_code_form",
            ),
        ]
        indexes = [models.Index(fields=["notice", "status"], name="objection_notice_status")]

    def __str__(self) -> str:
        # Never the objector's name: this text lands in audit entries the agency may read.
        return str(_("Objection no. %(pk)s") % {"pk": self.pk})
