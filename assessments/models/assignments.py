"""Assignment (Art 19): who examines, invigilates, reviews and supervises each session.

An ``Assignment`` puts one qualified person (an examiner record, or an internal quality
supervisor record, each with an account) on one sitting (examiners, invigilators, review
panel) or on the whole session (the internal quality supervisor). The frozen basis decides
how many are needed per room and round (decision 0036). Every assigned person declares
conflicts of interest on the list of candidates before any score or candidate detail opens;
``ConflictEntry`` rows are the declared ones and those the portal finds itself (the person
is the candidate; the same employer when that employer is not the agency itself, Art 16).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AssignmentKind(models.TextChoices):
    INVIGILATOR = "invigilator", _("Invigilator")
    EXAMINER = "examiner", _("Skill examiner")
    REVIEWER = "reviewer", _("Review panel member")
    SUPERVISOR = "supervisor", _("Internal quality supervisor")


#: The kind of assignment each method's sitting takes; other methods (work performance,
#: process, competition) are scored by examiners as a skill sitting is.
KIND_FOR_METHOD = {"theory": AssignmentKind.INVIGILATOR, "review": AssignmentKind.REVIEWER}
SCORING_KINDS = (AssignmentKind.EXAMINER, AssignmentKind.REVIEWER)


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("assignment status", "Assigned")
    STOOD_ASIDE = "stood_aside", _("Stood aside (conflict of interest)")
    REMOVED = "removed", _("Removed")


class Assignment(models.Model):
    session = models.ForeignKey(
        "assessments.AssessmentSession",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("assessment session"),
    )
    sitting = models.ForeignKey(
        "assessments.Sitting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("sitting"),
    )
    kind = models.CharField(_("assignment"), max_length=12, choices=AssignmentKind.choices)
    examiner = models.ForeignKey(
        "assessments.Examiner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("examiner"),
    )
    supervisor = models.ForeignKey(
        "assessments.QualitySupervisor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("quality supervisor"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessment_assignments",
        verbose_name=_("account"),
    )
    is_leader = models.BooleanField(_("group leader (考评组长)"), default=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ACTIVE,
    )
    declared_at = models.DateTimeField(_("conflicts declared at"), null=True, blank=True)
    # Stated on the declaration: a candidate of the same employer is a conflict unless the
    # employer is the agency itself (an employer agency assesses its own staff, Art 16).
    employer_name = models.CharField(_("the person's employer"), max_length=120, blank=True)
    employer_uscc = models.CharField(_("the employer's USCC"), max_length=18, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        ordering = ["session", "sitting__date", "kind", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="supervisor", supervisor__isnull=False, examiner__isnull=True)
                    | (~Q(kind="supervisor") & Q(examiner__isnull=False, supervisor__isnull=True))
                ),
                name="assignment_person_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="supervisor") | Q(sitting__isnull=False),
                name="assignment_sitting_unless_supervisor",
            ),
            models.UniqueConstraint(
                fields=["sitting", "examiner"],
                condition=Q(status="active", examiner__isnull=False),
                name="assignment_examiner_once_per_sitting",
            ),
            models.UniqueConstraint(
                fields=["session", "supervisor"],
                condition=Q(status="active", supervisor__isnull=False),
                name="assignment_supervisor_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["sitting"],
                condition=Q(status="active", is_leader=True),
                name="assignment_one_leader_per_sitting",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | ~Q(end_reason=""),
                name="assignment_end_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="assignment_user_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"

    @property
    def person(self):
        return self.examiner or self.supervisor

    @property
    def is_active(self) -> bool:
        return self.status == AssignmentStatus.ACTIVE

    @property
    def has_declared(self) -> bool:
        return self.declared_at is not None


class ConflictKind(models.TextChoices):
    SELF = "self", _("The candidate is the examiner")
    RELATIVE = "relative", _("A relative")
    DEPARTMENT = "department", _("Same department or reporting line")
    TRAINEE = "trainee", _("The examiner's trainee")
    EMPLOYER = "employer", _("Same employer (not the agency itself)")
    OTHER = "other", _("Other interest")


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("Declared by the person")
    FOUND = "found", _("Found by the portal")


class ConflictEntry(models.Model):
    """An assigned person may not score or see this candidate (Art 19 avoidance)."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        related_name="conflicts",
        verbose_name=_("assignment"),
    )
    enrolment = models.ForeignKey(
        "assessments.Enrolment",
        on_delete=models.PROTECT,
        related_name="conflicts",
        verbose_name=_("candidate"),
    )
    kind = models.CharField(_("conflict"), max_length=12, choices=ConflictKind.choices)
    source = models.CharField(_("source"), max_length=10, choices=ConflictSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    tenant_path = "assignment__session__agency"
    province_path = "assignment__session__site__province"

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "enrolment"], name="conflict_once_per_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} × {self.enrolment_id}: {self.kind}"


class ReviewGrant(models.Model):
    """Read access to one session's records for a reviewer from supervision (an inspector or
    an external supervisor) until a date: ``services.open_for_review``. The grant itself is a
    django-guardian object permission; this row says until when, and who opened it."""

    session = models.ForeignKey(
        "assessments.AssessmentSession",
        on_delete=models.PROTECT,
        related_name="review_grants",
        verbose_name=_("assessment session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    until = models.DateField(_("until"))
    granted_by = models.CharField(_("granted by"), max_length=150)
    granted_at = models.DateTimeField(_("granted at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        verbose_name = _("review access")
        verbose_name_plural = _("review accesses")
        indexes = [models.Index(fields=["until", "revoked_at"], name="review_grant_due_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.session_id} until {self.until}"
