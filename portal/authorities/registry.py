"""Access rule, audit sentence and menu entry of the authorities' names (decision 0028).

Registered from ``PortalConfig.ready()``. National HRSS officials keep the name and the
document-number prefix of every jurisdiction's authority.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.access import national_role, register_action
from portal.roles import AuthorityRole as R
from portal.ui import navigation

AUDIT_LABELS = {
    "portal.authority.change": _("changed an authority's name or document-number prefix"),
}


def register() -> None:
    register_action(
        "portal.authority.change",
        national_role(R.MINISTRY_OFFICIAL),
        "Keep the names and document-number prefixes of the HRSS authorities",
    )
    for action, label in AUDIT_LABELS.items():
        audit.register_label(action, label)
    audit.register_object_url("portal.authority", _authority_url)
    navigation.register(
        "authorities",
        _("HRSS authorities"),
        "portal:authorities",
        area=navigation.WORKSPACE,
        order=910,
        roles={R.MINISTRY_OFFICIAL},
    )


def _authority_url(user, object_id: str) -> str | None:
    """The trail links an authority to its form for the national officials who keep it."""
    from django.urls import reverse

    from portal.access import can

    if not can(user, "portal.authority.change"):
        return None
    return reverse("portal:authority_edit", args=[object_id])
