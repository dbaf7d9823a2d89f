"""Agencies' evaluation specifications and the rounds of their filing with the ministry
(Art 8, 17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models.occupations import Occupation, WorkType


class SpecStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for filing")
    RETURNED = "returned", _("Returned for revision")
    FILED = "filed", _("Filed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EvaluationSpec(models.Model):
    """An evaluation specification made by an agency and filed with the ministry (Art 8, 17).

    It may cover only what no national standard in force covers: an occupation
    without a standard, a work type, or levels a standard leaves out.
    """

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="evaluation_specs",
        verbose_name=_("agency"),
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="specs", verbose_name=_("occupation")
    )
    work_type = models.ForeignKey(
        WorkType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="specs",
        verbose_name=_("work type"),
    )
    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SpecStatus.choices, default=SpecStatus.DRAFT
    )
    filing_number = models.CharField(_("filing number"), max_length=40, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    document = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("specification (PDF)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("evaluation specification")
        verbose_name_plural = _("evaluation specifications")
        constraints = [
            models.UniqueConstraint(
                fields=["filing_number"],
                condition=~Q(filing_number=""),
                name="spec_filing_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="filed") | (~Q(filing_number="") & Q(filed_on__isnull=False)),
                name="filed_spec_has_number_and_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SpecReview(models.Model):
    """One round of a specification's filing: submission and the reviewer's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETURNED = "returned", _("Returned for revision")
        FILED = "filed", _("Filed")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn by the agency")

    spec = models.ForeignKey(
        EvaluationSpec,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("evaluation specification"),
    )
    round = models.PositiveSmallIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submission_note = models.TextField(_("note from the agency"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comments = models.TextField(_("comments"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["spec", "round"]
        verbose_name = _("specification review")
        verbose_name_plural = _("specification reviews")
        constraints = [
            models.UniqueConstraint(fields=["spec", "round"], name="spec_review_round_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.spec} #{self.round}"
