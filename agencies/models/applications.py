"""Applications (Art 12, 13): the organisation's statement of the five conditions with
evidence, the requested scope and the sites where it will assess."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models.calls import AgencyCall
from portal.models import AgencyKind


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted: material check")
    RETURNED = "returned", _("Returned for correction")
    UNDER_REVIEW = "under_review", _("Materials accepted: technical evaluation")
    ON_NOTICE = "on_notice", _("Approved, on public notice")
    APPROVED = "approved", _("Approved: awaiting the commitment letter")
    LISTED = "listed", _("Listed in the directory")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class UsccCheck(models.TextChoices):
    VALID = "valid", _("Check character valid")
    FLAGGED = "flagged", _("Check character mismatch: to be confirmed")
    CONFIRMED = "confirmed", _("Confirmed by an official")
    REJECTED = "rejected", _("Rejected by an official")


class AgencyApplication(models.Model):
    """An organisation's application to one call (Art 12, 13), vetted under Art 14."""

    call = models.ForeignKey(
        AgencyCall, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    legal_name = models.CharField(_("legal name"), max_length=120)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    uscc_check = models.CharField(
        _("USCC check"), max_length=10, choices=UsccCheck.choices, default=UsccCheck.VALID
    )
    uscc_note = models.CharField(_("USCC confirmation note"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=1,
        choices=AgencyKind.choices,
    )
    registered_province = models.ForeignKey(
        "portal.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered province"),
    )
    address = models.CharField(_("registered address"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=60)
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    declared_years = models.PositiveSmallIntegerField(
        _("years of relevant training or evaluation work"), null=True, blank=True
    )
    declared_total_assessed = models.PositiveIntegerField(
        _("person-times assessed in total"), null=True, blank=True
    )
    pledged_at = models.DateTimeField(_("pledge of truthfulness signed at"), null=True, blank=True)
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pledge signed by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    receipt = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acceptance receipt"),
    )
    use_expert_review = models.BooleanField(_("expert review"), default=False)
    use_site_visit = models.BooleanField(_("site visit"), default=False)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    may_serve_others = models.BooleanField(
        _("may also assess other employers' staff and the public"),
        default=False,
        help_text=_("Employers only (Art 16)."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_letter = models.ForeignKey(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision letter"),
    )
    # 文号 of the decision letter, allocated by portal.counters when the decision is made
    # (decision 0028); a decision overturned after its notice gets a new letter and number.
    decision_number = models.CharField(_("document number"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    tenant_path = "agency"
    province_path = "call__jurisdiction"

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "agency"], name="one_application_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name}（{self.call.title}）"


class Condition(models.IntegerChoices):
    """The five conditions of Art 12."""

    REGISTRATION = 1, _("Lawfully registered, sound finances and management, good credit")
    INFLUENCE = 2, _("Influence and assessment experience in the declared occupations")
    CAPACITY = (
        3,
        _("Dedicated unit, staff, experts, venues and equipment (with video surveillance)"),
    )
    NON_PROFIT = 4, _("Social benefit first, stable funding; employers: training tied to pay")
    QUALITY = 5, _("Quality management measures and acceptance of supervision")


class ConditionStatement(models.Model):
    """The applicant's statement and evidence for one condition of Art 12."""

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="conditions",
        verbose_name=_("application"),
    )
    condition = models.PositiveSmallIntegerField(_("condition"), choices=Condition.choices)
    statement = models.TextField(_("statement"), blank=True)
    evidence = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("evidence")
    )

    class Meta:
        ordering = ["application", "condition"]
        verbose_name = _("condition statement")
        verbose_name_plural = _("condition statements")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "condition"], name="one_statement_per_condition"
            )
        ]

    def __str__(self) -> str:
        return self.get_condition_display()


class ScopeFields(models.Model):
    """An occupation, an optional work type and levels: requested or approved scope."""

    occupation = models.ForeignKey(
        "catalog.Occupation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation"),
    )
    work_type = models.ForeignKey(
        "catalog.WorkType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work type"),
    )
    levels = models.ManyToManyField(
        "catalog.SkillLevel", related_name="+", verbose_name=_("levels")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.occupation}" + (f"（{self.work_type}）" if self.work_type_id else "")


class RequestedScope(ScopeFields):
    """One occupation (work type) and its levels that the applicant asks to assess."""

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="scope",
        verbose_name=_("application"),
    )
    declared_assessed = models.PositiveIntegerField(
        _("person-times assessed in this occupation"), null=True, blank=True
    )
    approved_levels = models.ManyToManyField(
        "catalog.SkillLevel",
        blank=True,
        related_name="+",
        verbose_name=_("approved levels"),
        help_text=_("Set by the decision; may be narrower than requested."),
    )

    class Meta:
        ordering = ["application", "occupation__code"]
        verbose_name = _("requested scope")
        verbose_name_plural = _("requested scope")


class SiteDeclaration(models.Model):
    """A place where the applicant will assess (a nationwide agency may declare several)."""

    application = models.ForeignKey(
        AgencyApplication,
        on_delete=models.CASCADE,
        related_name="sites",
        verbose_name=_("application"),
    )
    name = models.CharField(_("name"), max_length=120)
    province = models.ForeignKey(
        "portal.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    address = models.CharField(_("address"), max_length=200)

    class Meta:
        ordering = ["application", "province", "name"]
        verbose_name = _("declared site")
        verbose_name_plural = _("declared sites")

    def __str__(self) -> str:
        return self.name
