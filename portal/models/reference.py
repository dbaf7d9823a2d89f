"""Reference tables: the provinces (GB/T 2260), the HRSS authority of each jurisdiction and the
working-day calendar (调休).

Jurisdiction codes are ``NATIONAL`` (``000000``) or a province code; the helpers that
check and name them live beside ``Province``.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import codes
from portal.roles import NATIONAL


class Province(models.Model):
    """A GB/T 2260 province-level division (31 provinces + XPCC, ``660000`` assumed)."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[:2]


def jurisdiction_label(code: str) -> str:
    """全国 for the national level, else the province's name; empty for no jurisdiction."""
    if not code:
        return ""
    if code == NATIONAL:
        return str(_("Nationwide"))
    return codes.PROVINCES.get(code, code)


def validate_jurisdiction(value: str) -> None:
    if value and value != NATIONAL:
        codes.validate_province_code(value)


class Authority(models.Model):
    """The HRSS authority (人社部门) of a jurisdiction: the ministry (``000000``) or a province's
    department. Its name heads and signs the letters it decides (the decision letter, Art 14);
    its prefix (代字) begins their document numbers (文号), ``粤人社认定〔2027〕12号``
    (decision 0028). One row per jurisdiction, seeded by migration; national officials keep them.
    """

    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=6, primary_key=True, validators=[validate_jurisdiction]
    )
    name = models.CharField(
        _("name of the authority"),
        max_length=60,
        help_text=_("As it signs its letters, e.g. 广东省人力资源和社会保障厅."),
    )
    letter_prefix = models.CharField(
        _("prefix of document numbers"),
        max_length=12,
        validators=[
            RegexValidator(
                r"^[\u4e00-\u9fff]{2,12}$",
                _("The prefix is 2 to 12 Chinese characters, e.g. 粤人社认定."),
            )
        ],
        help_text=_("The characters before 〔year〕number号, e.g. 粤人社认定."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["jurisdiction"]
        verbose_name = _("HRSS authority")
        verbose_name_plural = _("HRSS authorities")

    def __str__(self) -> str:
        return self.name

    def letter_number(self, year: int, number: int) -> str:
        """The document number of a letter: ``粤人社认定〔2027〕12号``."""
        return f"{self.letter_prefix}〔{year}〕{number}号"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (rest day)")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a holiday or a make-up working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()
