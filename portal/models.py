"""The portal's own tables: users, provinces, the agency tenant and the calendar.

The agency is the tenant (ARCHITECTURE.md): its identity lives here so that
documents, access, audit and the catalog can refer to it without importing
``agencies``, which owns the processes around it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import codes
from portal.roles import NATIONAL, AgencyRole, AuthorityRole


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


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hk_macao", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN = "taiwan", _("Mainland travel permit for Taiwan residents")
    FOREIGN_PR = "foreign_pr", _("Foreign permanent resident ID card")


class PortalUserManager(UserManager):
    pass


class User(AbstractUser):
    """A person who signs in: an authority user (groups + jurisdiction) or an agency member.

    ``jurisdiction`` is empty for people who hold no authority role.
    """

    real_name = models.CharField(_("real name"), max_length=60, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9\- ]{5,20}$", _("Enter a valid phone number."))],
    )
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=6,
        blank=True,
        validators=[validate_jurisdiction],
        help_text=_("000000 for the whole country, or a province code such as 440000."),
    )
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(jurisdiction="") | Q(jurisdiction__regex=r"^[0-9]{6}$"),
                name="user_jurisdiction_six_digits",
            )
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def is_national(self) -> bool:
        return self.jurisdiction == NATIONAL

    @property
    def masked_id_number(self) -> str:
        return codes.mask_resident_id(self.id_number) if self.id_number else ""

    def authority_roles(self) -> set[str]:
        """Names of the authority groups this user belongs to (cached per instance)."""
        if not hasattr(self, "_authority_roles"):
            names = set(self.groups.values_list("name", flat=True)) if self.pk else set()
            self._authority_roles = names & set(AuthorityRole.values)
        return self._authority_roles

    def has_authority_role(self, *roles: str) -> bool:
        return bool(self.authority_roles() & set(roles))

    def save(self, *args, **kwargs):
        if self.id_number and self.id_type == IdType.RESIDENT_ID:
            self.id_number = codes.normalize_code(self.id_number)
        super().save(*args, **kwargs)


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


class PeriodicRun(models.Model):
    """One run of a periodic job, by beat or by ``manage.py run_periodic``."""

    job = models.CharField(_("job"), max_length=80, db_index=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"


from portal.audit_models import *  # noqa: E402,F401,F403 - the audit trail
from portal.counters import Counter  # noqa: E402,F401 - gap-free numbering (portal.counters)
from portal.document_models import *  # noqa: E402,F401,F403 - documents and their grants
from portal.notice_models import *  # noqa: E402,F401,F403 - public notices
from portal.security_models import *  # noqa: E402,F401,F403 - rate-limit buckets
