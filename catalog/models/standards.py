"""National vocational skill standards (Art 7, 8, 17): editions that supersede one another."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models.occupations import Occupation, WorkType


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
