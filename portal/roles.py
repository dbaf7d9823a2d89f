"""The nine roles of the portal (ARCHITECTURE.md "One permission model").

Authority roles are Django groups; agency roles live on ``AgencyMembership``.
Jurisdiction codes: ``NATIONAL`` for the whole country, or a GB/T 2260 province code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL = "000000"


class AuthorityRole(models.TextChoices):
    MINISTRY_OFFICIAL = "ministry_official", _("HRSS official")
    PROVINCIAL_OFFICIAL = "provincial_official", _("Provincial HRSS official")
    OSTA_STAFF = "osta_staff", _("Skill testing centre staff")
    EXPERT = "expert", _("Expert")
    INSPECTOR = "inspector", _("Inspector")


class AgencyRole(models.TextChoices):
    ADMIN = "admin", _("Agency administrator")
    STAFF = "staff", _("Agency staff")
    EXAMINER = "examiner", _("Examiner")
    QUALITY_SUPERVISOR = "quality_supervisor", _("Quality supervisor")


AUTHORITY_ROLES: tuple[str, ...] = tuple(AuthorityRole.values)
OFFICIAL_ROLES: frozenset[str] = frozenset(
    {AuthorityRole.MINISTRY_OFFICIAL, AuthorityRole.PROVINCIAL_OFFICIAL, AuthorityRole.OSTA_STAFF}
)

# Model permissions each authority group holds, as "app_label.codename". Apps extend
# this in their AppConfig.ready(); a post_migrate handler keeps the groups in step.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    AuthorityRole.MINISTRY_OFFICIAL: {
        "portal.view_agency",
        "portal.change_agency",
        "portal.view_agencysite",
        "portal.change_agencysite",
        "portal.view_user",
        "portal.add_user",
        "portal.change_user",
        "portal.view_calendarday",
        "portal.add_calendarday",
        "portal.change_calendarday",
        "portal.delete_calendarday",
    },
    AuthorityRole.PROVINCIAL_OFFICIAL: {
        "portal.view_agency",
        "portal.change_agency",
        "portal.view_agencysite",
        "portal.change_agencysite",
        "portal.view_user",
        "portal.add_user",
        "portal.change_user",
        "portal.view_calendarday",
    },
    AuthorityRole.OSTA_STAFF: {
        "portal.view_agency",
        "portal.view_agencysite",
        "portal.view_calendarday",
    },
    AuthorityRole.EXPERT: set(),
    AuthorityRole.INSPECTOR: {"portal.view_agency", "portal.view_agencysite"},
}


def grant_role_permissions(role: str, *perms: str) -> None:
    """Let an app add model permissions to an authority role (call from ready())."""
    ROLE_PERMISSIONS.setdefault(role, set()).update(perms)


# The tenth role (decision 0051): members of an approved verifying organisation, who verify
# certificates in bulk (Art 22). Neither a group nor an agency role: the membership lives in
# certificates (``VerifierMembership``), whose access rules decide; the name is here so that
# menus and the demo can name it.
VERIFIER = "verifier"
