"""Scores and the pass rule (Art 18, 20).

Skill and review sittings: every assigned examiner enters their own ``Mark`` for each candidate
without seeing the others'; the method score is the mean of the marks (decision 0038), and marks
further apart than ``SKILL_MARK_TOLERANCE`` are flagged for the group leader to settle with a
reason. Theory: two staff enter the scores independently (``TheoryEntry`` with ``entry`` 1 and
2, from a spreadsheet or typed); the sheet is accepted only when both entries agree for every
candidate. ``MethodScore`` is the accepted score of one method; once submitted it is locked and
changes only through a ``ScoreCorrection`` confirmed by the quality supervisor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Mark(models.Model):
    """One examiner's own mark for one candidate in one scoring sitting."""

    assignment = models.ForeignKey(
        "assessments.Assignment", on_delete=models.PROTECT, related_name="marks"
    )
    enrolment = models.ForeignKey(
        "assessments.Enrolment", on_delete=models.PROTECT, related_name="marks"
    )
    value = models.DecimalField(_("mark"), max_digits=5, decimal_places=1)
    entered_at = models.DateTimeField(_("entered at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    tenant_path = "assignment__session__agency"
    province_path = "assignment__session__site__province"

    class Meta:
        verbose_name = _("examiner's mark")
        verbose_name_plural = _("examiners' marks")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "enrolment"], name="mark_once_per_examiner"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="mark_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.value}"


class ScoreSource(models.TextChoices):
    MARKS = "marks", _("Mean of the examiners' marks")
    SETTLED = "settled", _("Settled by the group leader")
    DOUBLE_ENTRY = "double_entry", _("Double entry")
    CORRECTED = "corrected", _("Corrected")


class MethodScore(models.Model):
    """The score of one candidate in one method, out of the method's full marks."""

    enrolment = models.ForeignKey(
        "assessments.Enrolment", on_delete=models.PROTECT, related_name="scores"
    )
    method = models.CharField(_("method"), max_length=12)
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    source = models.CharField(_("source"), max_length=12, choices=ScoreSource.choices)
    flagged = models.BooleanField(_("marks too far apart"), default=False)
    settle_reason = models.TextField(_("reason for the settled score"), blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted (locked) at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    tenant_path = "enrolment__session__agency"
    province_path = "enrolment__session__site__province"

    class Meta:
        verbose_name = _("method score")
        verbose_name_plural = _("method scores")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "method"], name="score_once_per_method"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
            models.CheckConstraint(
                condition=~Q(source="settled") | ~Q(settle_reason=""),
                name="settled_score_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.method}: {self.value}"

    @property
    def is_locked(self) -> bool:
        return self.submitted_at is not None


class TheorySheet(models.Model):
    """One of the two independent entries of a theory sitting's scores: imported from a
    spreadsheet (``document``) or typed. ``accepted_at`` is set on both when they agree."""

    sitting = models.ForeignKey(
        "assessments.Sitting", on_delete=models.PROTECT, related_name="theory_sheets"
    )
    entry = models.PositiveSmallIntegerField(_("entry"), choices=[(1, "1"), (2, "2")])
    document = models.ForeignKey(
        "portal.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    tenant_path = "sitting__session__agency"
    province_path = "sitting__session__site__province"

    class Meta:
        verbose_name = _("theory score entry")
        verbose_name_plural = _("theory score entries")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "entry"], name="theory_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.sitting_id} #{self.entry}"


class TheoryEntry(models.Model):
    """One candidate's score in one entry of a theory sheet."""

    sheet = models.ForeignKey(TheorySheet, on_delete=models.CASCADE, related_name="rows")
    enrolment = models.ForeignKey(
        "assessments.Enrolment", on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "enrolment"], name="theory_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.value}"


class ScoreCorrection(models.Model):
    """A change to a locked score: asked for with a reason, effective only when the session's
    internal quality supervisor confirms it (Art 19, 21); audited with before and after."""

    score = models.ForeignKey(MethodScore, on_delete=models.PROTECT, related_name="corrections")
    before = models.DecimalField(_("before"), max_digits=5, decimal_places=1)
    after = models.DecimalField(_("after"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)

    tenant_path = "score__enrolment__session__agency"
    province_path = "score__enrolment__session__site__province"

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("score correction")
        verbose_name_plural = _("score corrections")
        constraints = [
            models.UniqueConstraint(
                fields=["score"],
                condition=Q(confirmed_at__isnull=True, refused_at__isnull=True),
                name="one_open_correction_per_score",
            )
        ]

    def __str__(self) -> str:
        return f"{self.score_id}: {self.before} → {self.after}"

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.refused_at is None
