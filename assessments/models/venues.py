"""Venues of an agency's sites (Art 12 (3), Art 19): the rooms where assessments take place,
owned or leased for at least a year, with video surveillance, verified by the authority of the
site's province before they take sessions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VenueStatus(models.TextChoices):
    TO_VERIFY = "to_verify", pgettext_lazy("venue status", "To verify")
    VERIFIED = "verified", pgettext_lazy("venue status", "Verified")
    REFUSED = "refused", pgettext_lazy("venue status", "Refused")


class Tenure(models.TextChoices):
    OWNED = "owned", _("Owned")
    LEASED = "leased", _("Leased")


class RoomKind(models.TextChoices):
    THEORY = "theory", _("Theory room")
    SKILL = "skill", _("Skill room")
    REVIEW = "review", _("Review room")


class Venue(models.Model):
    """A venue at an agency site: its address, tenure and video surveillance; the rooms are
    ``Room`` rows. ``status`` is what the provincial authority last decided; ``waiting_since``
    is when the venue last entered "to verify" (the officials' queue waits from there)."""

    site = models.ForeignKey(
        "portal.AgencySite",
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("agency site"),
    )
    name = models.CharField(_("venue name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    tenure = models.CharField(_("owned or leased"), max_length=8, choices=Tenure.choices)
    lease_starts = models.DateField(_("lease starts"), null=True, blank=True)
    lease_ends = models.DateField(_("lease ends"), null=True, blank=True)
    lease_document = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lease contract"),
    )
    recordings_kept_days = models.PositiveSmallIntegerField(
        _("days recordings are kept"), validators=[MinValueValidator(1)]
    )
    recordings_stored_at = models.CharField(_("where recordings are stored"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=VenueStatus.choices, default=VenueStatus.TO_VERIFY
    )
    waiting_since = models.DateTimeField(_("waiting for verification since"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_remarks = models.TextField(_("remarks"), blank=True)
    verification_record = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verification record"),
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    tenant_path = "site__agency"
    province_path = "site__province"

    class Meta:
        ordering = ["site", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(tenure="owned")
                | (Q(lease_starts__isnull=False) & Q(lease_ends__isnull=False)),
                name="leased_venue_has_lease_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | (Q(verified_by__isnull=False) & Q(verified_on__isnull=False)),
                name="verified_venue_names_verifier",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def agency(self):
        return self.site.agency

    @property
    def province_id(self) -> str:
        return self.site.province_id


class Room(models.Model):
    """A room of a venue: theory rooms count seats, skill rooms workstations and the
    occupations they are equipped for; every room has its cameras (Art 12 (3))."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("venue")
    )
    name = models.CharField(_("room"), max_length=60)
    kind = models.CharField(_("kind of room"), max_length=8, choices=RoomKind.choices)
    places = models.PositiveSmallIntegerField(
        _("seats or workstations"), validators=[MinValueValidator(1)]
    )
    cameras = models.PositiveSmallIntegerField(_("cameras"))
    occupations = models.ManyToManyField(
        "catalog.Occupation",
        blank=True,
        related_name="+",
        verbose_name=_("occupations equipped for"),
    )

    tenant_path = "venue__site__agency"
    province_path = "venue__site__province"

    class Meta:
        ordering = ["venue", "kind", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["venue", "name"], name="room_name_unique_per_venue"),
            models.CheckConstraint(condition=Q(places__gt=0), name="room_has_places"),
        ]

    def __str__(self) -> str:
        return self.name
