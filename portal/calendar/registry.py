"""Access rules, audit sentences and menu entry of the working-day calendar.

Registered from ``PortalConfig.ready()``. Officials read the calendar that the working-day
rules count with (``portal.clock``); national HRSS officials keep it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.access import authority_role, national_role, register_action
from portal.roles import AuthorityRole as R
from portal.ui import navigation

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)

AUDIT_LABELS = {
    "portal.calendar.add": _("added a date to the working-day calendar"),
    "portal.calendar.remove": _("removed a date from the working-day calendar"),
}


def register() -> None:
    register_action(
        "portal.calendar.view", authority_role(*OFFICIALS), "See the working-day calendar"
    )
    register_action(
        "portal.calendar.change",
        national_role(R.MINISTRY_OFFICIAL),
        "Keep the national calendar of holidays and make-up working days",
    )
    for action, label in AUDIT_LABELS.items():
        audit.register_label(action, label)
    navigation.register(
        "calendar",
        _("Working-day calendar"),
        "portal:calendar",
        area=navigation.WORKSPACE,
        order=900,
        roles={
            R.MINISTRY_OFFICIAL,
            R.PROVINCIAL_OFFICIAL,
            R.OSTA_STAFF,
        },
    )
