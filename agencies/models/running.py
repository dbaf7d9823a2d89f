"""Running a listed agency (Art 16, 19, 22, 27, 28): published rules and fees, change
requests, suspension and removal, and the reminders before the filing term ends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models.listing import DirectoryEntry


class RulesKind(models.TextChoices):
    """The management rules an agency must publish (Art 19)."""

    EXAM_AFFAIRS = "exam_affairs", _("Exam-affairs rules")
    QUALITY = "quality", _("Quality management rules")
    CERTIFICATES = "certificates", _("Certificate management rules")
    FEES = "fees", _("Fee schedule")


class PublishedRules(models.Model):
    """One published version of an agency's rules or fees; earlier versions are kept."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="published_rules",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=14, choices=RulesKind.choices)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["agency", "kind", "-version"]
        verbose_name = _("published rules")
        verbose_name_plural = _("published rules")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "version"], name="rules_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class ChangeKind(models.TextChoices):
    DETAILS = "details", _("Change of details")
    SCOPE = "scope", _("Change of scope")
    SERVE_OTHERS = "serve_others", _("Assessing other employers' staff and the public (Art 16)")
    RENEWAL = "renewal", _("Renewal of the filing term")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the filing authority")
    ON_NOTICE = "on_notice", _("Approved, on public notice")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeRequest(models.Model):
    """A listed agency asks its filing authority to change its details, scope, the employer's
    right to serve others, or to renew its term. History is kept: rows are never deleted."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=14, choices=ChangeKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    payload = models.JSONField(_("requested change"), default=dict)
    before = models.JSONField(_("before the change"), default=dict, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    evidence = models.ManyToManyField(
        "portal.Document", blank=True, related_name="+", verbose_name=_("evidence")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    decision_reason = models.TextField(_("reasons of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()}"


class SanctionKind(models.TextChoices):
    SUSPENSION = "suspension", _("Suspension")
    REMOVAL = "removal", _("Removal from the directory")


class Sanction(models.Model):
    """A suspension (with its period) or a removal from the directory (Art 27, 28)."""

    agency = models.ForeignKey(
        "portal.Agency",
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("agency"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SanctionKind.choices)
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    follow_up_plan = models.TextField(
        _("follow-up plan"),
        blank=True,
        help_text=_(
            "Art 28: what happens to planned sessions and candidates; certificates "
            "already issued stay valid."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=SanctionKind.SUSPENSION) | Q(ends_on__isnull=False),
                name="suspension_has_an_end",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SanctionKind.REMOVAL) | ~Q(follow_up_plan=""),
                name="removal_has_a_follow_up_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.get_kind_display()}"


class TermReminder(models.Model):
    """A reminder sent before the filing term ends (90 and 30 days); one per term and step."""

    entry = models.ForeignKey(
        DirectoryEntry,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("directory entry"),
    )
    valid_until = models.DateField(_("term ends on"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("term reminder")
        verbose_name_plural = _("term reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "valid_until", "days_before"], name="one_reminder_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} −{self.days_before}"
