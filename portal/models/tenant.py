"""The tenant: evaluation agencies, their sites and their members.

The agency is the tenant (ARCHITECTURE.md): its identity lives here so that
documents, access, audit and the catalog can refer to it without importing
``agencies``, which owns the processes around it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import codes
from portal.models.accounts import User
from portal.models.reference import Province, validate_jurisdiction
from portal.roles import NATIONAL, AgencyRole


class AgencyKind(models.TextChoices):
    """The first letter of a certificate number (national numbering rule)."""

    EMPLOYER = "Y", _("Employer")
    SOCIAL_ORG = "S", _("Social training-and-evaluation organisation")


class AgencyStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    LISTED = "listed", _("Listed")
    SUSPENDED = "suspended", _("Suspended")
    LAPSED = "lapsed", _("Lapsed")
    REMOVED = "removed", _("Removed")


# An office line: area code and number (an extension may follow), a 400/800 service number,
# or a mobile number kept for the purpose. Separators are normalised to one hyphen first.
OFFICE_PHONE = re.compile(
    r"^(0[1-9][0-9]{1,2}-[2-9][0-9]{6,7}(-[0-9]{1,6})?"  # 020-12345678, 0755-1234567-801
    r"|[48]00-?[0-9]{3}-?[0-9]{4}"  # 400-123-4567
    r"|1[3-9][0-9]-?[0-9]{4}-?[0-9]{4})$"  # 13800000000
)


def normalize_phone(value: str) -> str:
    """One written form: full-width digits made plain, separators (spaces, dashes, brackets)
    dropped, and the hyphens put back where they belong (020-87654321, 400-123-4567)."""
    value = (value or "").strip().translate(_PHONE_CHARS)
    digits = re.sub(r"[\s()\-]", "", value)
    if digits.isdigit():
        if digits.startswith("0") and 10 <= len(digits) <= 12:
            cut = 3 if digits[1] in "12" else 4  # 010 and 02x have three digits, others four
            return f"{digits[:cut]}-{digits[cut:]}"
        if digits[:3] in ("400", "800") and len(digits) == 10:
            return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        if digits.startswith("1") and len(digits) == 11:
            return digits
    # With an extension: keep the parts as typed, one hyphen between them.
    value = re.sub(r"^\((0[0-9]{2,3})\)", r"\1-", value)
    return re.sub(r"[\s-]+", "-", value).strip("-")


_PHONE_CHARS = str.maketrans(
    {**{chr(0xFF10 + d): str(d) for d in range(10)}, "－": "-", "—": "-", "（": "(", "）": ")"}
)


EMAIL_MESSAGE = _("Enter an e-mail address such as kaowu@example.org.")


def validate_office_phone(value: str) -> None:
    if value and not OFFICE_PHONE.match(normalize_phone(value)):
        raise ValidationError(
            _(
                "Enter an office phone such as 020-12345678 (an extension may follow, "
                "020-12345678-801), a 400 or 800 service number, or a mobile number."
            ),
            code="phone",
        )


class Agency(models.Model):
    """An evaluation agency (评价机构, Art 11): the tenant.

    ``filing_jurisdiction`` is the authority it is filed with: ``000000`` for the
    ministry (nationwide), or a province code. ``agency_code`` is positions 2–5 of
    its certificate numbers: ``0001``–``9999`` when filed with the ministry,
    ``0000`` when filed with a province, blank until listed.
    """

    name = models.CharField(_("name"), max_length=120)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[codes.validate_uscc],
    )
    kind = models.CharField(_("kind"), max_length=1, choices=AgencyKind.choices)
    registered_province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered province")
    )
    filing_jurisdiction = models.CharField(
        _("filing authority"), max_length=6, blank=True, validators=[validate_jurisdiction]
    )
    agency_code = models.CharField(
        _("agency code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{4}$", _("The agency code has four digits."))],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AgencyStatus.choices, default=AgencyStatus.APPLICANT
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The contact_* fields above are the person the authority deals with: never published.
    # What the directory shows is chosen on purpose: an office and its role mailbox and line.
    public_contact_name = models.CharField(
        _("published contact (office)"), max_length=60, blank=True
    )
    public_phone = models.CharField(
        _("published phone"), max_length=30, blank=True, validators=[validate_office_phone]
    )
    public_email = models.EmailField(
        _("published e-mail"), blank=True, error_messages={"invalid": EMAIL_MESSAGE}
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Where visible() finds the tenant and the province of this model.
    tenant_path = ""
    # Filed with a province, or assessing there through a site (Art 24).
    province_path = ("filing_jurisdiction", "sites__province")

    class Meta:
        ordering = ["name"]
        verbose_name = _("evaluation agency")
        verbose_name_plural = _("evaluation agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["agency_code"],
                condition=~Q(agency_code="") & ~Q(agency_code="0000"),
                name="agency_code_unique_among_ministry_filed",
            ),
            models.CheckConstraint(
                condition=Q(agency_code="")
                | (
                    Q(filing_jurisdiction=NATIONAL)
                    & Q(agency_code__regex=r"^[0-9]{4}$")
                    & ~Q(agency_code="0000")
                )
                | (
                    ~Q(filing_jurisdiction=NATIONAL)
                    & ~Q(filing_jurisdiction="")
                    & Q(agency_code="0000")
                ),
                name="agency_code_matches_filing_authority",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_nationwide(self) -> bool:
        return self.filing_jurisdiction == NATIONAL


class AgencySite(models.Model):
    """A place where an agency assesses, with the 6-digit site serial of its numbers.

    The serial is assigned by the authority of the province where the site is,
    unique within that province; a site without one cannot issue certificates.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="sites", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=120)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="sites", verbose_name=_("province")
    )
    address = models.CharField(_("address"), max_length=200)
    site_serial = models.CharField(
        _("site serial"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("The site serial has six digits."))],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    tenant_path = "agency"
    province_path = "province"

    class Meta:
        ordering = ["agency", "province", "name"]
        verbose_name = _("agency site")
        verbose_name_plural = _("agency sites")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "site_serial"],
                condition=~Q(site_serial=""),
                name="site_serial_unique_per_province",
            ),
            models.CheckConstraint(
                condition=Q(site_serial="") | Q(site_serial__regex=r"^[0-9]{6}$"),
                name="site_serial_six_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.name} · {self.name}"


class AgencyMembership(models.Model):
    """A person's role in one agency; a person may belong to several agencies."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=20, choices=AgencyRole.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    tenant_path = "agency"
    province_path = "agency__filing_jurisdiction"

    class Meta:
        ordering = ["agency", "role", "user"]
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.get_role_display()})"
