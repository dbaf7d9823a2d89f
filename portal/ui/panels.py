"""The portal's own dashboard panels: what each of the nine roles is for.

They come last (order 900): the dashboard opens on what waits for the user now
(docs/decisions/0027); what the role is for is there to read once.

Later items register panels with their pending work (applications to vet,
sessions to staff, certificates to issue) beside these.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.roles import AgencyRole, AuthorityRole
from portal.ui.dashboards import Panel, PanelLink, register_panel

_ROLE_TEXT = {
    AuthorityRole.MINISTRY_OFFICIAL: _(
        "Policy, calls for agencies, the agency directory and supervision for your jurisdiction "
        "(Art 3, 11, 15, 25)."
    ),
    AuthorityRole.PROVINCIAL_OFFICIAL: _(
        "Calls, vetting and the directory of agencies filed with your province, and supervision "
        "of every assessment held there (Art 11, 14, 24)."
    ),
    AuthorityRole.OSTA_STAFF: _(
        "National standards, filing of evaluation specifications, exam-affairs guidance, "
        "certificate data and quality supervision (Art 3, 8, 21, 22)."
    ),
    AuthorityRole.EXPERT: _(
        "Review the applications assigned to you: declare any conflict of interest, score each "
        "condition and give your opinion (Art 14)."
    ),
    AuthorityRole.INSPECTOR: _(
        "Carry out the spot checks and inspections assigned to you, and record findings (Art 25)."
    ),
}

_AGENCY_TEXT = {
    AgencyRole.ADMIN: _(
        "Manage your agency: its application and listing, staff, published rules and fees "
        "(Art 12, 15, 19)."
    ),
    AgencyRole.STAFF: _(
        "Run exam affairs: sessions, candidates, results and certificates (Art 19, 20)."
    ),
    AgencyRole.EXAMINER: _("Score the candidates of the sessions you are assigned to (Art 19)."),
    AgencyRole.QUALITY_SUPERVISOR: _(
        "Watch the sittings you are assigned to and report on their quality (Art 19)."
    ),
}


def _role_panel(role: str):
    def factory(request) -> Panel:
        links = []
        if role in {
            AuthorityRole.MINISTRY_OFFICIAL,
            AuthorityRole.PROVINCIAL_OFFICIAL,
            AuthorityRole.OSTA_STAFF,
        }:
            links.append(PanelLink(_("Working-day calendar"), reverse("portal:calendar")))
        return Panel(title=AuthorityRole(role).label, text=_ROLE_TEXT[role], links=links, order=900)

    return factory


def _agency_panel(role: str):
    def factory(request) -> Panel | None:
        return Panel(title=AgencyRole(role).label, text=_AGENCY_TEXT[role], order=900)

    return factory


def register() -> None:
    for role in AuthorityRole.values:
        register_panel(f"portal.role.{role}", {role}, _role_panel(role))
    for role in AgencyRole.values:
        register_panel(f"portal.agency_role.{role}", {f"agency:{role}"}, _agency_panel(role))
