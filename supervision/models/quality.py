"""External quality supervision (外部质量督导, Art 26): the testing centre dispatches external
quality supervisors to sessions, drawn by a plan of kind ``quality`` the same verifiable way as
a spot check. The supervisor reads the session (``assessments.services.open_for_review``) and
files a report (process, findings, rating) that the agency and the authority read; findings can
open a rectification order (``RectificationOrder.visit``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class VisitState(models.TextChoices):
    ASSIGNED = "assigned", _("Supervision under way")
    REPORTED = "reported", _("Report filed")


class Rating(models.TextChoices):
    GOOD = "good", _("Good")
    ACCEPTABLE = "acceptable", _("Acceptable")
    POOR = "poor", _("Poor")


class QualityVisit(models.Model):
    """One drawn session of a quality plan and the external supervisors sent to it."""

    plan = models.ForeignKey(
        "supervision.SpotCheckPlan", on_delete=models.PROTECT, related_name="visits"
    )
    position = models.PositiveIntegerField(_("position in the drawn list"))
    session = models.ForeignKey(
        "assessments.AssessmentSession",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessment session"),
    )
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    state = models.CharField(
        _("state"), max_length=8, choices=VisitState.choices, default=VisitState.ASSIGNED
    )
    review_until = models.DateField(_("records open until"))
    process = models.TextField(_("how the session was run"), blank=True)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    tenant_path = "agency"
    province_path = ("plan__jurisdiction", "session__site__province")

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("external supervision visit")
        verbose_name_plural = _("external supervision visits")
        permissions = [("supervise_qualityvisit", "Supervise the session")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="visit_position"),
            models.CheckConstraint(
                condition=models.Q(state="assigned") | ~models.Q(rating=""),
                name="visit_reported_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.position}"


class QualityVisitAssignment(models.Model):
    visit = models.ForeignKey(QualityVisit, on_delete=models.CASCADE, related_name="assignments")
    supervisor = models.ForeignKey(
        "supervision.ExternalSupervisor", on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.PositiveSmallIntegerField(_("drawn as"))
    assigned_at = models.DateTimeField(_("assigned at"))

    tenant_path = "visit__agency"
    province_path = "visit__plan__jurisdiction"

    class Meta:
        ordering = ["visit", "position"]
        verbose_name = _("supervisor of a visit")
        verbose_name_plural = _("supervisors of visits")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "supervisor"], name="one_assignment_per_supervisor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.supervisor_id}"


class QualityVisitUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(QualityVisit, on_delete=models.CASCADE)


class QualityVisitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(QualityVisit, on_delete=models.CASCADE)
