"""Assessment sessions (认定计划 / 批次, Art 17–18): an agency's plan for one occupation and
level at one venue, with one sitting per method the basis requires. The basis is resolved on
the planning day and frozen on the session (``basis``), so a later edition of the standard does
not change a session already planned. Plans are filed with the authority of the site's
province (备案, not approval); the authority may ask a question or stop a plan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SessionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("session status", "Draft")
    FILED = "filed", pgettext_lazy("session status", "Filed")
    OPEN = "open", pgettext_lazy("session status", "Registration open")
    CLOSED = "closed", pgettext_lazy("session status", "Registration closed")
    STOPPED = "stopped", pgettext_lazy("session status", "Stopped")
    CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")
    ARCHIVED = "archived", pgettext_lazy("session status", "Archived")


#: States in which the plan is filed and still going ahead.
LIVE_STATUSES = (SessionStatus.FILED, SessionStatus.OPEN, SessionStatus.CLOSED)
#: States that end the plan before its sittings.
ENDED_STATUSES = (SessionStatus.STOPPED, SessionStatus.CANCELLED)


class AssessmentSession(models.Model):
    """One planned session. ``basis`` is the frozen copy of the governing standard or
    specification at the level: ``{"kind", "title", "reference", "methods": [{method, label,
    full_marks, pass_mark, duration_minutes}], "ratios": {...}, "eligibility": [{route, label,
    prior_level, years, education, description}]}``. ``first_sitting_on`` and
    ``last_sitting_on`` are kept from the sittings for the public search and the lead time."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
        verbose_name=_("agency"),
    )
    site = models.ForeignKey(
        "portal.AgencySite",
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
        verbose_name=_("agency site"),
    )
    venue = models.ForeignKey(
        "assessments.Venue",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("venue"),
    )
    city = models.CharField(_("city"), max_length=40)
    occupation = models.ForeignKey(
        "catalog.Occupation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    work_type = models.ForeignKey(
        "catalog.WorkType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work type"),
    )
    level = models.ForeignKey(
        "catalog.SkillLevel", on_delete=models.PROTECT, related_name="+", verbose_name=_("level")
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    fee = models.DecimalField(_("fee (yuan)"), max_digits=8, decimal_places=2)
    how_to_register = models.TextField(_("how to register"))
    basis = models.JSONField(_("frozen basis"))
    basis_planned_on = models.DateField(_("basis resolved on"))
    first_sitting_on = models.DateField(_("first sitting"), null=True, blank=True)
    last_sitting_on = models.DateField(_("last sitting"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    awaiting_answer = models.BooleanField(_("question awaiting the agency's answer"), default=False)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = models.TextField(_("reason"), blank=True)
    # After the sittings (Art 20, 21): results published on notice, final when the notice
    # closed without an upheld objection, certificates recorded by the certificates app
    # (``services.record_certificates_issued``), archived.
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    results_final_at = models.DateTimeField(_("results final"), null=True, blank=True)
    certificates_recorded_at = models.DateTimeField(
        _("certificates recorded"), null=True, blank=True
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("archived by"),
    )
    # Where the video recordings of the sittings are kept (Art 18, 21): stated before archiving.
    recordings_kept_at = models.CharField(
        _("where the video recordings are kept"), max_length=200, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    tenant_path = "agency"
    province_path = "site__province"

    class Meta:
        ordering = ["first_sitting_on", "pk"]
        verbose_name = _("assessment session")
        verbose_name_plural = _("assessment sessions")
        indexes = [
            models.Index(fields=["status", "registration_closes"], name="session_public_idx"),
            models.Index(fields=["agency", "status"], name="session_agency_idx"),
            # Sessions whose results are still to be published (the late-results panels).
            models.Index(
                fields=["last_sitting_on"],
                condition=Q(results_published_at__isnull=True, last_sitting_on__isnull=False),
                name="session_results_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gte=models.F("registration_opens")),
                name="session_window_ordered",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_has_capacity"),
            models.CheckConstraint(
                condition=~Q(status__in=["filed", "open", "closed"]) | Q(filed_at__isnull=False),
                name="session_filed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["stopped", "cancelled"]) | ~Q(end_reason=""),
                name="session_end_has_reason",
            ),
        ]

    def __str__(self) -> str:
        label = self.occupation.name if self.occupation_id else ""
        return f"{label} {self.level.display if self.level_id else ''}".strip()

    @property
    def province_id(self) -> str:
        return self.site.province_id

    @property
    def methods(self) -> list[dict]:
        return list(self.basis.get("methods", []))

    @property
    def eligibility(self) -> list[dict]:
        return list(self.basis.get("eligibility", []))

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def registration_open_on(self, day: dt.date) -> bool:
        """Whether registration is open on ``day``: filed, not ended, no unanswered question,
        inside the window. Computed from the dates, so it holds even before the nightly task
        moved ``status`` on."""
        if self.status not in (SessionStatus.FILED, SessionStatus.OPEN):
            return False
        if not (self.registration_opens <= day <= self.registration_closes):
            return False
        return not self.awaiting_answer


class Sitting(models.Model):
    """One method of the session on one day in one room (theory in a theory room, skill in a
    skill room equipped for the occupation, review in a review room)."""

    session = models.ForeignKey(
        AssessmentSession,
        on_delete=models.CASCADE,
        related_name="sittings",
        verbose_name=_("assessment session"),
    )
    method = models.CharField(_("method"), max_length=12)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    room = models.ForeignKey(
        "assessments.Room",
        on_delete=models.PROTECT,
        related_name="sittings",
        verbose_name=_("room"),
    )
    # A skill sitting may examine its candidates in rounds (场次) one after another in the same
    # room: 100 candidates in 10 rounds of 10 need the examiners for 10 (decision 0036).
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), default=1, validators=[MinValueValidator(1)]
    )

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        constraints = [
            models.UniqueConstraint(fields=["session", "method"], name="one_sitting_per_method"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="sitting_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["room", "date"], name="sitting_room_day_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.date}"

    @property
    def method_label(self) -> str:
        for method in self.session.methods:
            if method["method"] == self.method:
                return method["label"]
        return self.method


class SessionQuestion(models.Model):
    """A question an official asks on a filed plan; registration waits until it is answered."""

    session = models.ForeignKey(
        AssessmentSession,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("assessment session"),
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        ordering = ["asked_at", "pk"]
        verbose_name = _("question on a plan")
        verbose_name_plural = _("questions on plans")
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(answered_at__isnull=True),
                name="one_open_question_per_session",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="answered_question_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
