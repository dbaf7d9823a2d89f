"""Spot-check plans and their publicly verifiable draw (Art 25, 26; decision 0055).

A plan is drafted, then approved: approving seals its pools as a canonical snapshot (RFC 8785
JSON) whose SHA-256 is the **sealed digest**, and publishes that digest with the digest of a
secret the system generated and the public randomness source and date to be used. At the
draw the public numbers are entered; ``seed = H(version ‖ digest ‖ secret ‖ numbers)`` and
``supervision.draw`` picks the objects per risk tier and the people for each object. The
drawn list is frozen: a plan is drawn once.

A plan of kind ``quality`` is the testing centre's dispatch of external quality supervisors
(Art 26) to sessions, drawn the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import validate_jurisdiction
from supervision.models.pools import RiskTier


class PlanKind(models.TextChoices):
    SPOT_CHECK = "spot_check", _("Double-random spot check")
    QUALITY = "quality", _("External quality supervision")


class ObjectKind(models.TextChoices):
    AGENCY = "agency", _("Agencies")
    SESSION = "session", _("Assessment sessions")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SEALED = "sealed", _("Approved, pools sealed")
    DRAWN = "drawn", _("Drawn")
    CLOSED = "closed", _("Closed")


class SpotCheckPlan(models.Model):
    """A spot-check plan (抽查计划) of one jurisdiction, or a dispatch of external quality
    supervisors (``kind`` quality)."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=PlanKind.choices, default=PlanKind.SPOT_CHECK
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=6, validators=[validate_jurisdiction]
    )
    title = models.CharField(_("title"), max_length=200)
    object_kind = models.CharField(
        _("objects"), max_length=8, choices=ObjectKind.choices, default=ObjectKind.AGENCY
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    check_items = models.ManyToManyField(
        "supervision.CheckItem", blank=True, related_name="plans", verbose_name=_("check items")
    )
    # Per risk tier ("1".."4"): {"percent": "30"} or {"count": 3}; see supervision.draw.quotas.
    tier_rules = models.JSONField(_("proportion or count per risk tier"), default=dict)
    inspectors_per_object = models.PositiveSmallIntegerField(_("inspectors per object"), default=2)
    max_objects_per_inspector = models.PositiveSmallIntegerField(
        _("objects per inspector at most"), default=5
    )
    state = models.CharField(
        _("state"), max_length=8, choices=PlanState.choices, default=PlanState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    # Sealing (on approval).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved and sealed at"), null=True, blank=True)
    algorithm_version = models.CharField(_("algorithm"), max_length=40, blank=True)
    snapshot = models.TextField(_("sealed snapshot (RFC 8785 JSON)"), blank=True)
    sealed_digest = models.CharField(_("sealed digest (SHA-256)"), max_length=64, blank=True)
    # Kept from the public until the draw; published afterwards so anyone can re-run it.
    secret = models.CharField(_("secret"), max_length=64, blank=True)
    secret_digest = models.CharField(_("digest of the secret"), max_length=64, blank=True)
    # Never published: turns people into pseudonymous ids and salts their digests.
    pseudonym_key = models.CharField(_("pseudonym key"), max_length=64, blank=True)
    randomness_source = models.CharField(_("public randomness source"), max_length=200, blank=True)
    randomness_date = models.DateField(_("date of the public numbers"), null=True, blank=True)
    # The draw.
    public_numbers = models.CharField(_("public numbers"), max_length=200, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    result = models.JSONField(_("drawn list"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    province_path = "jurisdiction"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("spot-check plan")
        verbose_name_plural = _("spot-check plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspectors_per_object__gte=2), name="plan_two_inspectors"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | ~Q(sealed_digest=""), name="plan_sealed_digest"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["drawn", "closed"]) | ~Q(seed=""), name="plan_drawn_seed"
            ),
        ]
        indexes = [models.Index(fields=["jurisdiction", "state"], name="plan_jur_state_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """Plans are public from sealing on (the digest must be out before the draw)."""
        return self.state != PlanState.DRAFT


class RiskAdjustment(models.Model):
    """An official moved an object to another tier before the pools were sealed; published
    with the plan."""

    plan = models.ForeignKey(SpotCheckPlan, on_delete=models.CASCADE, related_name="adjustments")
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    computed_tier = models.PositiveSmallIntegerField(_("computed tier"), choices=RiskTier.choices)
    tier = models.PositiveSmallIntegerField(_("adjusted tier"), choices=RiskTier.choices)
    reason = models.TextField(_("reason"))
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    adjusted_at = models.DateTimeField(_("adjusted at"))

    province_path = "plan__jurisdiction"

    class Meta:
        ordering = ["plan", "agency"]
        verbose_name = _("risk tier adjustment")
        verbose_name_plural = _("risk tier adjustments")
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="one_adjustment_per_agency"),
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.computed_tier} → {self.tier}"
