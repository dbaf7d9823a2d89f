"""Results, their publicity and the archive (Art 20, 21).

``Result`` is one candidate's outcome, computed from the locked scores by the pass rule
(every method required at the level at or above its pass mark; absent, void or disqualified
fail with that reason). Results go on public notice (``ResultPublication``, one per round of
publication: an upheld objection sends the named candidates back to correction and the
corrected list is published anew) and become final when the notice closes without an upheld
objection. Certificates are issued only from final passing results
(``queries.final_passed_results``); the certificates app tells the session the numbers back
(``services.record_certificates_issued``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResultOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Below the pass mark")
    ABSENT = "absent", _("Absent")
    VOID = "void", _("Score void")
    DISQUALIFIED = "disqualified", _("Disqualified")


class ResultStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    ON_NOTICE = "on_notice", _("On public notice")
    CORRECTION = "correction", pgettext_lazy("result status", "Returned for correction")
    FINAL = "final", _("Final")


class Result(models.Model):
    enrolment = models.OneToOneField(
        "assessments.Enrolment", on_delete=models.PROTECT, related_name="result"
    )
    session = models.ForeignKey(
        "assessments.AssessmentSession", on_delete=models.PROTECT, related_name="results"
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=ResultOutcome.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ResultStatus.choices, default=ResultStatus.PROVISIONAL
    )
    # {method: score} as computed, for the notice rows and the statistics.
    scores = models.JSONField(_("scores"), default=dict)
    publication = models.ForeignKey(
        "assessments.ResultPublication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
    )
    computed_at = models.DateTimeField(_("computed at"))
    final_at = models.DateTimeField(_("final at"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=22, blank=True)

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        indexes = [models.Index(fields=["session", "status", "outcome"], name="result_session_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="final") | Q(final_at__isnull=False),
                name="final_result_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.outcome}"

    @property
    def passed(self) -> bool:
        return self.outcome == ResultOutcome.PASSED


class ResultPublication(models.Model):
    """One publication of a session's results on public notice (``portal.notices``)."""

    session = models.ForeignKey(
        "assessments.AssessmentSession", on_delete=models.PROTECT, related_name="publications"
    )
    round = models.PositiveSmallIntegerField(_("publication"), default=1)
    notice = models.OneToOneField(
        "portal.PublicNotice", on_delete=models.PROTECT, related_name="result_publication"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))

    tenant_path = "session__agency"
    province_path = "session__site__province"

    class Meta:
        ordering = ["session", "round"]
        verbose_name = _("publication of results")
        verbose_name_plural = _("publications of results")
        constraints = [
            models.UniqueConstraint(fields=["session", "round"], name="publication_round_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.round}"


class ScoreReview(models.Model):
    """复核: the candidate asks for their scores to be checked again, within
    ``SCORE_REVIEW_WORKING_DAYS`` of the publication; the agency answers with a reason."""

    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="reviews")
    request = models.TextField(_("request"))
    contact = models.CharField(_("contact"), max_length=100)
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    requested_at = models.DateTimeField(_("requested at"))
    answer = models.TextField(_("answer"), blank=True)
    changed = models.BooleanField(_("the score was changed"), default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    tenant_path = "result__session__agency"
    province_path = "result__session__site__province"

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("score review")
        verbose_name_plural = _("score reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["result"],
                condition=Q(answered_at__isnull=True),
                name="one_open_review_per_result",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="answered_review_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class ArchiveExport(models.Model):
    """The digest of the session's archive ZIP when archived; the export is rebuilt byte for
    byte from the stored documents, so this is what a later export must match."""

    session = models.OneToOneField(
        "assessments.AssessmentSession", on_delete=models.PROTECT, related_name="archive_export"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    files = models.PositiveIntegerField(_("files"))
    built_at = models.DateTimeField(_("built at"))

    tenant_path = "session__agency"
    province_path = "session__site__province"

    def __str__(self) -> str:
        return self.sha256[:12]


class ContestedResult(models.Model):
    """A candidate an official named when upholding an objection to a results notice (Art 20):
    that candidate's result returns to correction; the others stay on the list, which is
    published anew once the corrected scores are computed (decision 0039)."""

    objection = models.ForeignKey(
        "portal.Objection", on_delete=models.PROTECT, related_name="contested_results"
    )
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="contested")

    tenant_path = "result__session__agency"
    province_path = "result__session__site__province"

    class Meta:
        verbose_name = _("result named in an upheld objection")
        verbose_name_plural = _("results named in upheld objections")
        constraints = [
            models.UniqueConstraint(fields=["objection", "result"], name="contested_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.objection_id}: {self.result_id}"
