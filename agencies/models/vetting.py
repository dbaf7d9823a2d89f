"""Vetting (技术评估, Art 14): material check rounds, expert review, site visits, and the
assignment grants that let an expert read one application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from agencies.models.applications import AgencyApplication


class MaterialReview(models.Model):
    """One round of the material check (材料核验): accepted, or returned with comments."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for correction")
        WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="material_reviews",
        verbose_name=_("application"),
    )
    round = models.PositiveSmallIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted at"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comments = models.JSONField(_("comments per item"), default=dict, blank=True)
    general_comment = models.TextField(_("general comment"), blank=True)
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
        ordering = ["application", "round"]
        verbose_name = _("material check round")
        verbose_name_plural = _("material check rounds")
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="material_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.round}"


class ExpertAssignment(models.Model):
    """An expert assigned to review one application (专家论证). The identity of the
    expert is never shown to the applicant."""

    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("Not yet declared")
        NONE = "none", _("No conflict of interest")
        WITHDRAWN = "withdrawn", _("Conflict declared: withdrew")

    class Recommendation(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="expert_assignments",
        verbose_name=_("application"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expert_assignments",
        verbose_name=_("expert"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    conflict = models.CharField(
        _("conflict of interest"),
        max_length=10,
        choices=Conflict.choices,
        default=Conflict.UNDECLARED,
    )
    conflict_note = models.CharField(_("conflict note"), max_length=300, blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    scores = models.JSONField(_("scores per condition"), default=dict, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, blank=True, choices=Recommendation.choices
    )
    submitted_at = models.DateTimeField(_("review submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "assigned_at"]
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="expert_once_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application_id}"


class SiteVisit(models.Model):
    """A site visit (现场考察): date, people, findings and photos."""

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="site_visits",
        verbose_name=_("application"),
    )
    visited_on = models.DateField(_("date of the visit"))
    people = models.CharField(_("people who visited"), max_length=300)
    findings = models.TextField(_("findings"))
    photos = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("photos")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["application", "visited_on"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")

    def __str__(self) -> str:
        return f"{self.application_id} {self.visited_on}"


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    """Assignment grants on applications (an expert assigned to review one)."""

    content_object = models.ForeignKey(AgencyApplication, on_delete=models.CASCADE)


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(AgencyApplication, on_delete=models.CASCADE)
