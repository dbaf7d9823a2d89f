"""The sitting (Art 18, 19): seats and admission tickets (准考证), check-in, incidents
(违纪) and the internal quality supervisor's report.

Seats are allocated per room and round by a documented rule (decision 0037): at random from a
recorded seed, or in ID-number order; the allocation row keeps the rule and the seed so the
plan can be re-derived. Each enrolled candidate gets one ``Ticket`` with an unguessable code
printed as text and as a QR leading the invigilator's check-in page to this candidate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SeatRule(models.TextChoices):
    RANDOM = "random", _("At random from a recorded seed")
    ID_ORDER = "id_order", _("In order of ID number")


class SeatAllocation(models.Model):
    """How the seats of one sitting were allocated (one per sitting; re-allocating replaces
    it while no one has checked in)."""

    sitting = models.OneToOneField(
        "assessments.Sitting",
        on_delete=models.PROTECT,
        related_name="seat_allocation",
        verbose_name=_("sitting"),
    )
    rule = models.CharField(_("rule"), max_length=10, choices=SeatRule.choices)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(_("allocated at"))

    tenant_path = "sitting__session__agency"
    province_path = "sitting__session__site__province"

    class Meta:
        verbose_name = _("seat allocation")
        verbose_name_plural = _("seat allocations")

    def __str__(self) -> str:
        return f"{self.sitting_id} {self.rule}"


class Seat(models.Model):
    """One candidate's seat or workstation in one sitting, in one round."""

    sitting = models.ForeignKey(
        "assessments.Sitting", on_delete=models.PROTECT, related_name="seats"
    )
    enrolment = models.ForeignKey(
        "assessments.Enrolment", on_delete=models.PROTECT, related_name="seats"
    )
    round = models.PositiveSmallIntegerField(pgettext_lazy("seat", "round"), default=1)
    number = models.PositiveIntegerField(_("seat"))

    tenant_path = "sitting__session__agency"
    province_path = "sitting__session__site__province"

    class Meta:
        ordering = ["sitting", "round", "number"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "enrolment"], name="seat_once_per_sitting"),
            models.UniqueConstraint(
                fields=["sitting", "round", "number"], name="seat_number_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}-{self.number:03d}"

    @property
    def label(self) -> str:
        """「第2场 017号」 style label, shown on the ticket and the check-in page."""
        return f"{self.round}-{self.number:03d}"


class Ticket(models.Model):
    """The admission ticket of one enrolment. ``code`` is what the ticket prints and the QR
    carries; ``document`` is the cached PDF, re-rendered when ``data_hash`` (a digest of
    everything printed) changes."""

    enrolment = models.OneToOneField(
        "assessments.Enrolment", on_delete=models.PROTECT, related_name="ticket"
    )
    code = models.CharField(_("ticket number"), max_length=20, unique=True)
    document = models.ForeignKey(
        "portal.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data_hash = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued at"))

    tenant_path = "enrolment__session__agency"
    province_path = "enrolment__session__site__province"

    class Meta:
        verbose_name = _("admission ticket")
        verbose_name_plural = _("admission tickets")

    def __str__(self) -> str:
        return self.code


class TicketBatch(models.Model):
    """The session's tickets in one PDF for batch printing (cached like a single ticket)."""

    session = models.OneToOneField(
        "assessments.AssessmentSession", on_delete=models.PROTECT, related_name="ticket_batch"
    )
    document = models.ForeignKey(
        "portal.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data_hash = models.CharField(max_length=64, blank=True)

    tenant_path = "session__agency"
    province_path = "session__site__province"

    def __str__(self) -> str:
        return f"tickets {self.session_id}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """Check-in of one candidate at one sitting."""

    sitting = models.ForeignKey(
        "assessments.Sitting", on_delete=models.PROTECT, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        "assessments.Enrolment", on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"))

    tenant_path = "sitting__session__agency"
    province_path = "sitting__session__site__province"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "enrolment"], name="attendance_once_per_sitting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}@{self.sitting_id}: {self.status}"


class IncidentKind(models.TextChoices):
    CHEATING = "cheating", _("Cheating or copying")
    DEVICE = "device", _("Forbidden device or material")
    IMPERSONATION = "impersonation", _("Sitting for someone else")
    DISRUPTION = "disruption", _("Disturbing the sitting")
    SAFETY = "safety", _("Unsafe operation")
    OTHER = "other", _("Other")


class IncidentDecision(models.TextChoices):
    WARNING = "warning", _("Warning")
    VOID = "void", _("Score void")
    DISQUALIFIED = "disqualified", _("Disqualified")


class Incident(models.Model):
    """违纪: recorded during a sitting, decided afterwards with a reason. A candidate's results
    are withheld while an incident concerning them is undecided."""

    sitting = models.ForeignKey(
        "assessments.Sitting", on_delete=models.PROTECT, related_name="incidents"
    )
    enrolment = models.ForeignKey(
        "assessments.Enrolment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("candidate"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    description = models.TextField(_("what happened"))
    evidence = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("incident", "evidence"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"))
    decision = models.CharField(
        pgettext_lazy("incident", "decision"),
        max_length=12,
        choices=IncidentDecision.choices,
        blank=True,
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    tenant_path = "sitting__session__agency"
    province_path = "sitting__session__site__province"

    class Meta:
        ordering = ["reported_at", "pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | (~Q(decision_reason="") & Q(decided_at__isnull=False)),
                name="incident_decision_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reported_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return not self.decision


class SupervisionRating(models.TextChoices):
    GOOD = "good", _("In order")
    MINOR = "minor", _("Minor irregularities")
    SERIOUS = "serious", _("Serious irregularities")


class SupervisorReport(models.Model):
    """The internal quality supervisor's report on the session (Art 19): part of the archive,
    read by the authority."""

    session = models.OneToOneField(
        "assessments.AssessmentSession", on_delete=models.PROTECT, related_name="supervisor_report"
    )
    supervisor = models.ForeignKey(
        "assessments.QualitySupervisor", on_delete=models.PROTECT, related_name="reports"
    )
    process = models.TextField(_("how the sittings went"))
    incidents = models.TextField(_("incidents observed"), blank=True)
    rating = models.CharField(_("rating"), max_length=10, choices=SupervisionRating.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        verbose_name = _("supervisor's report")
        verbose_name_plural = _("supervisors' reports")

    def __str__(self) -> str:
        return f"report {self.session_id}"
