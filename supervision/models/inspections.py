"""Inspections of a drawn plan, their records and findings, and rectification orders
(Art 25, 26, 27).

Each drawn object becomes an ``Inspection`` for the inspectors drawn for it
(``InspectionAssignment``; the assignment is an object grant, ``supervision.inspect_inspection``,
for that inspection only). Inspectors read the agency's records through the lower apps'
``open_for_review`` services, record document reviews and on-site visits, findings per check
item, and conclude. Findings lead to a ``RectificationOrder`` with a deadline that the agency
answers in its workspace; the inspector accepts the answer or reopens the order. Results are
published (一公开) through ``portal.notices`` within ``SPOT_CHECK_PUBLISH_WORKING_DAYS`` of the
conclusion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from supervision.models.pools import RiskTier


class InspectionState(models.TextChoices):
    ASSIGNED = "assigned", _("Being inspected")
    CONCLUDED = "concluded", _("Concluded")
    PUBLISHED = "published", _("Result published")


class Conclusion(models.TextChoices):
    NO_PROBLEM = "no_problem", _("No problem found")
    PROBLEMS_FOUND = "problems_found", _("Problems found")
    NOT_FOUND = "not_found", _("Not found at the registered address")
    REFUSED = "refused", _("Refused the inspection")


class Inspection(models.Model):
    """One drawn object of a spot-check plan: an agency (and, for a plan over sessions, one
    of its sessions)."""

    plan = models.ForeignKey(
        "supervision.SpotCheckPlan", on_delete=models.PROTECT, related_name="inspections"
    )
    position = models.PositiveIntegerField(_("position in the drawn list"))
    tier = models.PositiveSmallIntegerField(_("risk tier"), choices=RiskTier.choices)
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    session = models.ForeignKey(
        "assessments.AssessmentSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessment session"),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=InspectionState.choices,
        default=InspectionState.ASSIGNED,
    )
    review_until = models.DateField(_("records open until"))
    conclusion = models.CharField(
        _("conclusion"), max_length=16, choices=Conclusion.choices, blank=True
    )
    conclusion_note = models.TextField(_("conclusion in words"), blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concluded by"),
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    publish_due = models.DateField(_("result to be published by"), null=True, blank=True)
    published_at = models.DateTimeField(_("result published at"), null=True, blank=True)
    notice = models.ForeignKey(
        "portal.PublicNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("result notice"),
    )
    created_at = models.DateTimeField(_("created at"))

    tenant_path = "agency"
    province_path = ("plan__jurisdiction", "agency__filing_jurisdiction")

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        permissions = [("inspect_inspection", "Carry out the inspection")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="inspection_position"),
            models.CheckConstraint(
                condition=Q(state="assigned") | ~Q(conclusion=""), name="inspection_concluded"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "publish_due"], name="inspection_publish_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.position}"


class InspectionAssignment(models.Model):
    """An inspector drawn for an inspection (in the order drawn)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="assignments")
    inspector = models.ForeignKey(
        "supervision.Inspector", on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.PositiveSmallIntegerField(_("drawn as"))
    assigned_at = models.DateTimeField(_("assigned at"))

    tenant_path = "inspection__agency"
    province_path = "inspection__plan__jurisdiction"

    class Meta:
        ordering = ["inspection", "position"]
        verbose_name = _("inspector of an inspection")
        verbose_name_plural = _("inspectors of inspections")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "inspector"], name="one_assignment_per_inspector"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.inspector_id}"


class InspectionUserObjectPermission(UserObjectPermissionBase):
    """Assignment grants on inspections (an inspector drawn for one)."""

    content_object = models.ForeignKey(Inspection, on_delete=models.CASCADE)


class InspectionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Inspection, on_delete=models.CASCADE)


class RecordKind(models.TextChoices):
    DOCUMENT = "document", _("Document review")
    ON_SITE = "on_site", _("On-site visit")


class InspectionRecord(models.Model):
    """A document review or an on-site visit of an inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=8, choices=RecordKind.choices)
    visited_on = models.DateField(_("date"))
    people_present = models.TextField(_("people present"), blank=True)
    notes = models.TextField(_("what was checked and seen"))
    documents = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("photos and documents")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    tenant_path = "inspection__agency"
    province_path = "inspection__plan__jurisdiction"

    class Meta:
        ordering = ["inspection", "visited_on", "pk"]
        verbose_name = _("inspection record")
        verbose_name_plural = _("inspection records")

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.visited_on}"


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    SERIOUS = "serious", _("Serious")


class Finding(models.Model):
    """A problem found, per check item, by an inspection or an external supervisor's visit."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="findings"
    )
    visit = models.ForeignKey(
        "supervision.QualityVisit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
    )
    check_item = models.ForeignKey(
        "supervision.CheckItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("check item"),
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("finding"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    tenant_path = ("inspection__agency", "visit__agency")
    province_path = ("inspection__plan__jurisdiction", "visit__plan__jurisdiction")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=False, visit__isnull=True)
                | Q(inspection__isnull=True, visit__isnull=False),
                name="finding_one_source",
            ),
            models.CheckConstraint(condition=~Q(description=""), name="finding_description"),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.pk}"


class OrderState(models.TextChoices):
    OPEN = "open", _("Waiting for the agency")
    ANSWERED = "answered", _("Answered, waiting for review")
    ACCEPTED = "accepted", _("Rectified")


class RectificationOrder(models.Model):
    """A rectification order (整改通知) from an inspection's or a visit's findings."""

    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    visit = models.ForeignKey(
        "supervision.QualityVisit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    findings = models.ManyToManyField(Finding, related_name="orders", verbose_name=_("findings"))
    requirements = models.TextField(_("what must be put right"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=8, choices=OrderState.choices, default=OrderState.OPEN
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    answer = models.TextField(_("the agency's answer"), blank=True)
    answer_documents = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("evidence")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decision_note = models.TextField(_("review note"), blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    tenant_path = "agency"
    province_path = (
        "inspection__plan__jurisdiction",
        "visit__plan__jurisdiction",
        "agency__filing_jurisdiction",
    )

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=False, visit__isnull=True)
                | Q(inspection__isnull=True, visit__isnull=False),
                name="order_one_source",
            ),
            models.CheckConstraint(condition=~Q(requirements=""), name="order_requirements"),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="order_state_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.deadline}"


class FollowUpKind(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension of the agency")
    REMOVAL = "removal", _("Removal from the directory")
    REVOCATION = "revocation", _("Revocation of a certificate")


class FollowUp(models.Model):
    """What followed a serious finding: a suspension or removal started through the agencies
    service, or a certificate revoked through the certificates service. ``target`` names the
    object it led to (``app_label.model:pk``) so the inspection links to it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=10, choices=FollowUpKind.choices)
    target = models.CharField(_("what followed"), max_length=80)
    note = models.TextField(_("reason"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))

    tenant_path = "inspection__agency"
    province_path = "inspection__plan__jurisdiction"

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"
