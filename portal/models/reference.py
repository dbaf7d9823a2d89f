"""Reference tables: the provinces (GB/T 2260) and the working-day calendar (调休).

Jurisdiction codes are ``NATIONAL`` (``000000``) or a province code; the helpers that
check and name them live beside ``Province``.
"""

from __future__ import annotations

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
