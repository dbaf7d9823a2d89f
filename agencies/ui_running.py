"""Menus and dashboard panels of a listed agency's own running (members, rules, changes, term).

``register()`` is called once from ``agencies.rules.register()``.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import clock, navigation
from portal.dashboards import Panel, PanelLink, register_panel
from portal.templatetags.portal_tags import cndate

SOON_DAYS = 90
MEMBERS = {"agency:admin", "agency:staff", "agency:examiner", "agency:quality_supervisor"}


def term_text(valid_until: dt.date, today: dt.date) -> str:
    days = (valid_until - today).days
    date = cndate(valid_until)
    if days < 0:
        return gettext("The filing term ended on %(date)s.") % {"date": date}
    return gettext("The filing term ends on %(date)s, %(days)d days left.") % {
        "date": date,
        "days": days,
    }


def _term_panel(request) -> Panel | None:
    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    from agencies.models import DirectoryEntry

    entry = DirectoryEntry.objects.filter(agency=agency).first()
    if entry is None:
        return None
    today = clock.today()
    days = (entry.valid_until - today).days
    soon = days <= SOON_DAYS
    text = term_text(entry.valid_until, today)
    if soon:
        text = gettext("Renew in time: %(text)s") % {"text": text}
    links = []
    if "admin" in request.agency_roles:
        links.append(
            PanelLink(
                _("Request renewal of the filing term"),
                reverse("agencies:change_renewal", args=[agency.pk]),
            )
        )
    return Panel(
        title=_("Filing term"),
        text=text,
        links=links,
        count=max(days, 0) if soon else None,  # the badge highlights a term ending soon
        order=3,
    )


def _refusal_panel(request) -> Panel | None:
    agency = getattr(request, "agency", None)
    if agency is None or agency.status == "applicant":
        return None
    from agencies.services.running import assessment_refusal

    refusal = assessment_refusal(agency)
    if not refusal:
        return None
    return Panel(
        title=_("Warning: no new assessments"),
        text=gettext("%(reason)s The agency may not start new assessments.") % {"reason": refusal},
        order=1,
    )


def register() -> None:
    navigation.register(
        "agency_staff",
        _("Staff"),
        "agencies:staff",
        area=navigation.AGENCY,
        order=60,
        roles={"agency:admin", "agency:staff"},
    )
    navigation.register(
        "agency_rules",
        _("Published rules and fees"),
        "agencies:rules",
        area=navigation.AGENCY,
        order=62,
        roles=MEMBERS,
    )
    navigation.register(
        "agency_changes",
        _("Change requests"),
        "agencies:changes",
        area=navigation.AGENCY,
        order=64,
        roles={"agency:admin"},
    )
    register_panel("agencies.running.term", {"agency:admin", "agency:staff"}, _term_panel)
    register_panel("agencies.running.refusal", {"agency:admin", "agency:staff"}, _refusal_panel)
