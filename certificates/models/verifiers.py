"""Bulk verification (Art 22; decision 0051): organisations (employers, subsidy offices, HR
systems) that verify certificates in bulk, their members (the tenth role, ``verifier``),
their API tokens, the tokens' daily usage and the record of each uploaded spreadsheet.

No ID number is stored here: an upload keeps its counts, the answers file is built in the
request that received the spreadsheet and never kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VerifierState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    SUSPENDED = "suspended", _("Suspended")


class LegalBasis(models.TextChoices):
    """Under what the organisation processes the holders' data (PIPL Art 13)."""

    CONSENT = "consent", _("The holder's consent")
    CONTRACT = "contract", _("Needed to conclude or perform an employment contract")
    DUTY = "duty", _("A legal duty (e.g. checking a subsidy claim)")


class VerifierOrganisation(models.Model):
    """An organisation that applied for (and may hold) bulk verification access (Art 22)."""

    name = models.CharField(_("organisation name"), max_length=100)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    # The province of the USCC's registration authority (characters 3–8): whose officials
    # decide the application (Art 24); "" when the code names no province (ministry only).
    province = models.CharField(_("province"), max_length=6, blank=True)
    purpose = models.TextField(_("purpose of verification"), max_length=1000)
    legal_basis = models.CharField(_("legal basis"), max_length=10, choices=LegalBasis.choices)
    basis_detail = models.TextField(_("how the basis is met"), max_length=1000)
    contact_name = models.CharField(_("contact person"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact e-mail"), max_length=254)
    state = models.CharField(
        _("state"), max_length=10, choices=VerifierState.choices, default=VerifierState.PENDING
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    province_path = "province"

    class Meta:
        ordering = ["-applied_at", "-pk"]
        verbose_name = _("verifying organisation")
        verbose_name_plural = _("verifying organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=Q(state__in=["pending", "approved", "suspended"]),
                name="one_live_verifier_per_uscc",
            ),
            models.CheckConstraint(
                condition=Q(state="pending")
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="decided_verifier_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.state == VerifierState.APPROVED


class VerifierMembership(models.Model):
    """A user who verifies for the organisation (role ``verifier``); ``is_admin`` members
    add and remove members and manage the API tokens."""

    organisation = models.ForeignKey(
        VerifierOrganisation, on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifier_memberships"
    )
    is_admin = models.BooleanField(_("administrator"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ["-is_admin", "pk"]
        verbose_name = _("verifier membership")
        verbose_name_plural = _("verifier memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_verifier_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class ApiToken(models.Model):
    """A machine credential of an organisation: ``prefix`` is shown to tell tokens apart,
    only the SHA-256 of the whole secret is kept (the secret is shown once, at creation)."""

    organisation = models.ForeignKey(
        VerifierOrganisation, on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("token name"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True)
    daily_quota = models.PositiveIntegerField(_("items per day"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiTokenUsage(models.Model):
    """Items a token verified on one day (Asia/Shanghai): the daily quota's exact counter."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField(_("day"))
    items = models.PositiveIntegerField(_("items"), default=0)
    calls = models.PositiveIntegerField(_("calls"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("API token usage")
        verbose_name_plural = _("API token usage")
        constraints = [models.UniqueConstraint(fields=["token", "day"], name="one_usage_per_day")]

    def __str__(self) -> str:
        return f"{self.token} {self.day}: {self.items}"


class VerificationUpload(models.Model):
    """One spreadsheet a member verified: counts only, never the names or ID numbers."""

    organisation = models.ForeignKey(
        VerifierOrganisation, on_delete=models.CASCADE, related_name="uploads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    row_count = models.PositiveIntegerField(_("rows"))
    found_count = models.PositiveIntegerField(_("found"))
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    created_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verification upload")
        verbose_name_plural = _("verification uploads")

    def __str__(self) -> str:
        return self.file_name
