"""The people who sign in: the portal's user model (``AUTH_USER_MODEL = "portal.User"``)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import pii
from portal.models.reference import validate_jurisdiction
from portal.pii import EncryptedIdField
from portal.roles import NATIONAL, AuthorityRole
from portal.validators import validate_phone


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
        validators=[validate_phone],
    )
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, blank=True)
    # Encrypted at rest with its blind index beside it (portal.pii, decision 0031).
    id_number = EncryptedIdField(_("ID number"), index_field="id_index", type_field="id_type")
    id_index = models.CharField(_("ID number index"), max_length=80, blank=True, db_index=True)
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
        return pii.mask_id(self.id_number, self.id_type)

    def authority_roles(self) -> set[str]:
        """Names of the authority groups this user belongs to (cached per instance)."""
        if not hasattr(self, "_authority_roles"):
            names = set(self.groups.values_list("name", flat=True)) if self.pk else set()
            self._authority_roles = names & set(AuthorityRole.values)
        return self._authority_roles

    def has_authority_role(self, *roles: str) -> bool:
        return bool(self.authority_roles() & set(roles))

    def save(self, *args, **kwargs):
        # EncryptedIdField normalises the number and fills id_index on save.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_index"}
        super().save(*args, **kwargs)
