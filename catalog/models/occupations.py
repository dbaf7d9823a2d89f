"""Occupations and work types of the classification (Art 6), with its major categories."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    # Withdrawn by the ministry (已撤销); an agency's own withdrawal is 已撤回 (shared/GLOSSARY).
    WITHDRAWN = "withdrawn", pgettext_lazy("occupation status", "Withdrawn")


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
