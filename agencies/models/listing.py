"""Listing (Art 15, 22): the directory entry an agency gets once it signs the commitment
letter, with its approved scope and the basis in force at approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models.applications import AgencyApplication, ScopeFields


class DirectoryEntry(models.Model):
    """An agency's listing in the public directory (评价机构目录, Art 15, 22)."""

    agency = models.OneToOneField(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="directory_entry",
        verbose_name=_("agency"),
    )
    application = models.ForeignKey(
        AgencyApplication, on_delete=models.PROTECT, related_name="+", verbose_name=_("application")
    )
    filing_jurisdiction = models.CharField(_("filing authority"), max_length=6)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    may_serve_others = models.BooleanField(
        _("may also assess other employers' staff and the public"), default=False
    )
    commitment = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commitment letter"),
    )
    commitment_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    commitment_signed_at = models.DateTimeField(_("signed at"))
    listed_at = models.DateTimeField(_("listed at"))

    tenant_path = "agency"
    province_path = ("filing_jurisdiction", "agency__sites__province")

    class Meta:
        ordering = ["agency__name"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="term_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return str(self.agency)


class ScopeItem(ScopeFields):
    """Approved scope: an occupation (work type) and levels, with the basis in force at approval."""

    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.CASCADE,
        related_name="scope",
        verbose_name=_("directory entry"),
    )
    standard = models.ForeignKey(
        "catalog.NationalStandard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("national standard"),
    )
    spec = models.ForeignKey(
        "catalog.EvaluationSpec",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluation specification"),
    )

    class Meta:
        ordering = ["entry", "occupation__code"]
        verbose_name = _("scope item")
        verbose_name_plural = _("scope items")

    @property
    def basis_label(self) -> str:
        if self.standard_id:
            return str(self.standard)
        if self.spec_id:
            return f"{self.spec.title}（{self.spec.filing_number}）"
        return ""
