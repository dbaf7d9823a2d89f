"""Access rules of the portal app's own actions, registered from PortalConfig.ready()."""

from __future__ import annotations

from portal.access import authority_role, national_role, register_action
from portal.roles import AuthorityRole as R

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)


def register() -> None:
    register_action(
        "portal.calendar.view",
        authority_role(*OFFICIALS),
        "See the working-day calendar",
    )
    register_action(
        "portal.calendar.change",
        national_role(R.MINISTRY_OFFICIAL),
        "Keep the national calendar of holidays and make-up working days",
    )
