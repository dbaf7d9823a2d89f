"""The catalog: occupations and work types (Art 6), skill levels (Art 9), national
standards (Art 7, 8, 17) and agencies' evaluation specifications filed with the
ministry (Art 8, 17).

Standards and specifications share one structure: a ``LevelRequirement`` per
level covered, with its assessment methods, staffing ratios and eligibility
rules, owned by exactly one of the two.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import codes


class MajorCategory(models.Model):
    """One of the eight major categories of the 2022 classification (大类)."""

    code = models.CharField(_("code"), max_length=1, primary_key=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("major category")
        verbose_name_plural = _("major categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_skill(self) -> bool:
        # Category 2 is professional-technical: titles, not skill levels (Art 6).
        return self.code != "2"


class OccupationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OccupationSource(models.TextChoices):
    CLASSIFICATION_2022 = "classification_2022", _("2022 occupational classification")
    PUBLISHED_LATER = "published_later", _("Published or filed later")


class Occupation(models.Model):
    """An occupation of the classification (职业分类大典), code ``D-DD-DD-DD`` (Art 6)."""

    code = models.CharField(
        _("occupation code"),
        max_length=10,
        unique=True,
        validators=[codes.validate_occupation_code],
    )
    name = models.CharField(_("name"), max_length=80)
    major_category = models.ForeignKey(
        MajorCategory,
        on_delete=models.PROTECT,
        related_name="occupations",
        verbose_name=_("major category"),
    )
    is_digital = models.BooleanField(_("digital occupation (S)"), default=False)
    is_green = models.BooleanField(_("green occupation (L)"), default=False)
    is_skill = models.BooleanField(
        _("skill occupation"),
        default=True,
        help_text=_("Professional-technical occupations cannot be assessed here (Art 6)."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OccupationStatus.choices,
        default=OccupationStatus.ACTIVE,
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=OccupationSource.choices,
        default=OccupationSource.CLASSIFICATION_2022,
    )
    work_type_count = models.PositiveIntegerField(
        _("number of work types in the classification"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        indexes = [models.Index(fields=["name"], name="occupation_name")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def markers(self) -> str:
        return ("S" if self.is_digital else "") + ("L" if self.is_green else "")

    @property
    def is_active(self) -> bool:
        return self.status == OccupationStatus.ACTIVE


class WorkType(models.Model):
    """A named subdivision of an occupation (工种); the classification gives no codes."""

    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        related_name="work_types",
        verbose_name=_("occupation"),
    )
    name = models.CharField(_("name"), max_length=80)
    code = models.CharField(_("code"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OccupationStatus.choices,
        default=OccupationStatus.ACTIVE,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["occupation", "name"]
        verbose_name = _("work type")
        verbose_name_plural = _("work types")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "name"], name="work_type_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SkillLevel(models.Model):
    """A skill level (Art 9): 五级/初级工 … 一级/高级技师, and the employer-only tiers.

    ``code`` is the digit of the certificate number for the five levels;
    ``rank`` orders all levels from lowest (1) to highest.
    """

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    grade_name = models.CharField(_("grade"), max_length=10, blank=True)  # 三级
    title = models.CharField(_("title"), max_length=20)  # 高级工
    employer_only = models.BooleanField(_("employer agencies only"), default=False)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("skill level")
        verbose_name_plural = _("skill levels")

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """``三级/高级工``, as certificates and the directory write it."""
        return f"{self.grade_name}/{self.title}" if self.grade_name else self.title


class NationalStandard(models.Model):
    """An edition of a national vocational skill standard (Art 7, 8, 17).

    An edition governs from ``effective_from`` until an edition that supersedes
    it takes effect; superseded editions stay, and whatever used them keeps
    pointing at them. With ``work_types`` empty it covers the whole occupation.
    """

    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        related_name="standards",
        verbose_name=_("occupation"),
    )
    title = models.CharField(_("title"), max_length=120)
    edition_year = models.PositiveSmallIntegerField(
        _("edition"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    document_number = models.CharField(_("issuing document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    work_types = models.ManyToManyField(
        WorkType, blank=True, related_name="standards", verbose_name=_("work types covered")
    )
    document = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("standard (PDF)"),
    )
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Invented figures (document number, durations, work types) are marked demo."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["occupation__code", "-effective_from"]
        verbose_name = _("national standard")
        verbose_name_plural = _("national standards")
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "title", "edition_year"], name="standard_edition_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.edition_year}年版）"


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


class Method(models.TextChoices):
    """Assessment methods (Art 18)."""

    THEORY = "theory", _("Theory exam")
    SKILL = "skill", _("Skill operation assessment")
    REVIEW = "review", _("Comprehensive review")
    PERFORMANCE = "performance", _("Work-performance review")
    PROCESS = "process", _("Process assessment")
    COMPETITION = "competition", _("Competition selection")


class LevelRequirement(models.Model):
    """What a standard or a specification requires at one level: ratios; methods and
    eligibility rules hang off it."""

    standard = models.ForeignKey(
        NationalStandard,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="levels",
        verbose_name=_("national standard"),
    )
    spec = models.ForeignKey(
        EvaluationSpec,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="levels",
        verbose_name=_("evaluation specification"),
    )
    level = models.ForeignKey(
        SkillLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("level")
    )
    theory_candidates_per_invigilator = models.PositiveSmallIntegerField(
        _("theory: candidates per invigilator"), default=15
    )
    theory_min_invigilators_per_room = models.PositiveSmallIntegerField(
        _("theory: minimum invigilators per room"), default=2
    )
    skill_candidates_per_examiner = models.PositiveSmallIntegerField(
        _("skill: candidates per examiner"), default=5
    )
    skill_min_examiners = models.PositiveSmallIntegerField(_("skill: minimum examiners"), default=3)
    skill_examiners_odd = models.BooleanField(_("skill: odd number of examiners"), default=True)
    review_panel_min = models.PositiveSmallIntegerField(_("review panel: minimum"), default=3)
    review_panel_odd = models.BooleanField(_("review panel: odd number"), default=True)

    class Meta:
        ordering = ["-level__rank"]
        verbose_name = _("level requirement")
        verbose_name_plural = _("level requirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(standard__isnull=False, spec__isnull=True)
                | Q(standard__isnull=True, spec__isnull=False),
                name="level_requirement_has_one_owner",
            ),
            models.UniqueConstraint(
                fields=["standard", "level"],
                condition=Q(standard__isnull=False),
                name="standard_level_unique",
            ),
            models.UniqueConstraint(
                fields=["spec", "level"], condition=Q(spec__isnull=False), name="spec_level_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.level)


class MethodRequirement(models.Model):
    """One assessment method at one level, scored out of ``full_marks``, passed at ``pass_mark``."""

    requirement = models.ForeignKey(
        LevelRequirement,
        on_delete=models.CASCADE,
        related_name="methods",
        verbose_name=_("level requirement"),
    )
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    full_marks = models.PositiveSmallIntegerField(_("full marks"), default=100)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=60)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )

    class Meta:
        ordering = ["requirement", "method"]
        verbose_name = _("method requirement")
        verbose_name_plural = _("method requirements")
        constraints = [
            models.UniqueConstraint(fields=["requirement", "method"], name="method_once_per_level"),
            models.CheckConstraint(
                condition=Q(pass_mark__lte=models.F("full_marks")), name="pass_mark_within_full"
            ),
        ]

    def __str__(self) -> str:
        return self.get_method_display()


class EligibilityRoute(models.TextChoices):
    PRIOR_LEVEL = "prior_level", _("Holds the level below, plus years since")
    TOTAL_YEARS = "total_years", _("Years of work in the occupation")
    EDUCATION = "education", _("Education route")


class EligibilityRule(models.Model):
    """One way to be eligible for a level (申报条件); any one rule suffices."""

    requirement = models.ForeignKey(
        LevelRequirement,
        on_delete=models.CASCADE,
        related_name="eligibility",
        verbose_name=_("level requirement"),
    )
    route = models.CharField(_("route"), max_length=12, choices=EligibilityRoute.choices)
    prior_level = models.ForeignKey(
        SkillLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("level held"),
    )
    years = models.PositiveSmallIntegerField(_("years"), default=0)
    education = models.CharField(_("education"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["requirement", "id"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(route="prior_level") | Q(prior_level__isnull=False),
                name="prior_level_route_names_a_level",
            ),
            models.CheckConstraint(
                condition=~Q(route="education") | ~Q(education=""),
                name="education_route_names_education",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.get_route_display()
