"""Access rules and menu entries of the audit trail, registered from ``PortalConfig.ready()``.

Officials read the trail of their jurisdiction (Art 24); an agency's administrators read the
entries addressed to their agency.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.access import agency_role, authority_role, register_action
from portal.audit import display as audit_display
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)
JURISDICTION_CHANGES = ("jurisdiction", "filing_jurisdiction", "province")


def register() -> None:
    register_action(
        "portal.audit.view",
        authority_role(*OFFICIALS),
        "Read the audit trail of one's jurisdiction",
    )
    register_action(
        "portal.audit.view_agency",
        agency_role(A.ADMIN),
        "Read the audit entries addressed to one's agency",
    )
    # Jurisdiction codes in changes read as the province's name (440000 → 广东省).
    audit_display.register_change_labels(
        {},
        values=dict.fromkeys(JURISDICTION_CHANGES, _jurisdiction_label),
    )
    navigation.register(
        "audit",
        _("Audit trail"),
        "portal:audit",
        area=navigation.WORKSPACE,
        order=950,
        roles={
            R.MINISTRY_OFFICIAL,
            R.PROVINCIAL_OFFICIAL,
            R.OSTA_STAFF,
        },
    )
    navigation.register(
        "agency_audit",
        _("Audit trail"),
        "portal:agency_audit",
        area=navigation.AGENCY,
        order=990,
        roles={"agency:admin"},
    )


def _jurisdiction_label(code) -> str:
    from portal.models import jurisdiction_label

    return jurisdiction_label(str(code)) or "—"
