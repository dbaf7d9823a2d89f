"""One list and two pools (Art 25; 国办发〔2015〕58号 "一单两库"): the check-item list of a
jurisdiction, the inspector pool and the pool of external quality supervisors (Art 26), and the
conflict tags that make a person stand aside when drawn for an agency.

The inspection-object pool is not a table: it is the listed agencies (and their sessions) of
the jurisdiction, each with a risk tier computed by ``supervision.risk`` from registered facts
at the moment a plan is sealed (adjustments before sealing are ``RiskAdjustment`` rows).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import validate_jurisdiction


class RiskTier(models.IntegerChoices):
    """Risk tiers of the inspection-object pool; a plan draws a proportion per tier
    (e.g. 30/10/2/1 %). 1 is the highest risk."""

    HIGH = 1, _("High risk")
    RAISED = 2, _("Raised risk")
    NORMAL = 3, _("Normal risk")
    LOW = 4, _("Low risk")


class CheckMethod(models.TextChoices):
    DOCUMENT = "document", _("Document review")
    ON_SITE = "on_site", _("On-site inspection")


class CheckItem(models.Model):
    """An item of the check-item list (抽查事项清单) of one jurisdiction."""

    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=6, validators=[validate_jurisdiction]
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("item"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    method = models.CharField(_("method"), max_length=8, choices=CheckMethod.choices)
    records = models.TextField(_("what the inspector records"))
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    province_path = "jurisdiction"

    class Meta:
        ordering = ["jurisdiction", "code"]
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="check_item_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PoolMember(models.Model):
    """What an inspector and an external supervisor have in common: a user of the right
    group, the jurisdiction whose pool they are in, organisation, specialities and how many
    objects one plan may send them to."""

    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=6, validators=[validate_jurisdiction]
    )
    organisation = models.CharField(_("organisation"), max_length=120)
    specialities = models.CharField(_("specialities"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("objects per plan at most"),
        default=5,
        help_text=_("How many objects one plan may send this person to."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added at"))

    province_path = "jurisdiction"

    class Meta:
        abstract = True


class Inspector(PoolMember):
    """An entry of the inspector pool (执法检查人员名录库) for a user of the ``inspector``
    group."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspector_entry",
        verbose_name=_("user"),
    )

    class Meta:
        ordering = ["jurisdiction", "pk"]
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")

    def __str__(self) -> str:
        return self.user.real_name or self.user.username


class ExternalSupervisor(PoolMember):
    """An external quality supervisor (外督, Art 26): a user of the ``expert`` group in the
    testing centre's pool."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="external_supervisor_entry",
        verbose_name=_("user"),
    )

    class Meta:
        ordering = ["jurisdiction", "pk"]
        verbose_name = _("external quality supervisor")
        verbose_name_plural = _("external quality supervisors")

    def __str__(self) -> str:
        return self.user.real_name or self.user.username


class ConflictKind(models.TextChoices):
    FORMER_EMPLOYER = "former_employer", _("Former employer")
    WORKED_FOR = "worked_for", _("Has worked for the agency")
    RELATION = "relation", _("Declared relation")
    SAME_ORGANISATION = "same_organisation", _("Same organisation")


class ConflictTag(models.Model):
    """A person of a pool must stand aside when drawn for ``agency``. Never published: the
    sealed snapshot only says which pool objects a pseudonymous person avoids."""

    inspector = models.ForeignKey(
        Inspector, on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    supervisor = models.ForeignKey(
        ExternalSupervisor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
    )
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConflictKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspector__isnull=False, supervisor__isnull=True)
                | Q(inspector__isnull=True, supervisor__isnull=False),
                name="conflict_tag_one_person",
            ),
            models.UniqueConstraint(
                fields=["inspector", "agency", "kind"], name="conflict_tag_inspector_agency"
            ),
            models.UniqueConstraint(
                fields=["supervisor", "agency", "kind"], name="conflict_tag_supervisor_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.agency_id}"
