"""Skill levels (Art 9) and what a standard or a specification requires at each level.

Standards and specifications share one structure: a ``LevelRequirement`` per
level covered, with its assessment methods (Art 18), staffing ratios and
eligibility rules, owned by exactly one of the two.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models.specs import EvaluationSpec
from catalog.models.standards import NationalStandard


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


class EducationLevel(models.TextChoices):
    """The education an education route asks for, lowest first (申报条件的学历)."""

    JUNIOR_MIDDLE = "junior_middle", _("Junior middle school")
    SENIOR_MIDDLE = (
        "senior_middle",
        _("Senior middle school, secondary vocational or technical school"),
    )
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")

    @classmethod
    def rank(cls, value: str) -> int:
        """0 for the lowest; compare a candidate's education with the rule's."""
        return cls.values.index(value)


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
    education_level = models.CharField(
        _("education"), max_length=16, choices=EducationLevel.choices, blank=True
    )
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
                condition=~Q(route="education") | ~Q(education_level=""),
                name="education_route_names_education",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.get_route_display()
