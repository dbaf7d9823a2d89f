"""What the agencies app registers with portal, once, from ``AgenciesConfig.ready()``: access
rules of its actions, notice kinds, audit sentences, menu entries and panels (through the
``ui_*`` modules), periodic jobs and the renderers of the PDFs generated after the commit."""

from __future__ import annotations

import datetime as dt

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal import audit, documents, notices, pagecache, slots
from portal.access import (
    agency_role,
    all_of,
    any_of,
    assigned,
    authority_role,
    in_jurisdiction,
    register_action,
)
from portal.jobs import periodic
from portal.roles import NATIONAL
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)


def _call_keeper(user, call=None) -> bool:
    """Art 11: the ministry calls nationwide, a province's HRSS department for its region."""
    if call is None:
        return authority_role(R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL)(user)
    if call.jurisdiction == NATIONAL:
        return user.jurisdiction == NATIONAL and authority_role(R.MINISTRY_OFFICIAL)(user)
    return user.jurisdiction == call.jurisdiction and authority_role(R.PROVINCIAL_OFFICIAL)(user)


def _vetting_official(user, application=None) -> bool:
    """Vetting by the HRSS authority of the call's jurisdiction (Art 14)."""
    if application is None:
        return authority_role(R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL)(user)
    return _call_keeper(user, application.call)


def _site_province_official(user, site=None) -> bool:
    """The serial is assigned by the authority of the province where the site is."""
    if site is None:
        return authority_role(R.PROVINCIAL_OFFICIAL)(user)
    return authority_role(R.PROVINCIAL_OFFICIAL)(user) and user.jurisdiction == site.province_id


def _filing_authority(user, agency=None) -> bool:
    """The authority the agency is filed with: the ministry, or that province's department."""
    if agency is None:
        return authority_role(R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL)(user)
    jurisdiction = getattr(agency, "filing_jurisdiction", "")
    if not jurisdiction:
        return False
    if jurisdiction == NATIONAL:
        return user.jurisdiction == NATIONAL and authority_role(R.MINISTRY_OFFICIAL)(user)
    return user.jurisdiction == jurisdiction and authority_role(R.PROVINCIAL_OFFICIAL)(user)


def register() -> None:
    # The directory, the calls and the occupation page's slot show agencies tables.
    pagecache.watch("agencies")
    _register_actions()
    _register_notice_kinds()
    _register_audit_labels()
    _register_menus_and_panels()
    _register_periodic_jobs()
    _register_renderers()


def _register_actions() -> None:
    register_action("agencies.staff.manage", agency_role(A.ADMIN), "Manage the agency's members")
    register_action(
        "agencies.rules.publish",
        agency_role(A.ADMIN),
        "Publish exam-affairs, quality, certificate rules and fees",
    )
    register_action(
        "agencies.public_contact.edit",
        agency_role(A.ADMIN),
        "Choose the contact the public directory shows",
    )
    register_action(
        "agencies.change.request",
        agency_role(A.ADMIN),
        "Ask for a change of details or scope, or a renewal",
    )
    register_action(
        "agencies.change.decide", _filing_authority, "Decide a listed agency's change or renewal"
    )
    register_action(
        "agencies.agency.sanction", _filing_authority, "Suspend or remove a listed agency"
    )
    register_action(
        "agencies.affiliate.declare",
        agency_role(A.ADMIN),
        "Declare or withdraw an affiliated employer (Art 16)",
    )
    register_action(
        "agencies.affiliate.decide",
        _filing_authority,
        "Confirm or refuse an agency's affiliated employer (Art 16)",
    )
    register_action(
        "agencies.change.queue",
        authority_role(R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL),
        "See the queue of listed agencies' requests",
    )
    register_action("agencies.call.manage", _call_keeper, "Draft, publish and close calls")
    register_action(
        "agencies.application.edit",
        agency_role(A.ADMIN),
        "Draft, submit or withdraw the agency's application",
    )
    register_action("agencies.application.sign", agency_role(A.ADMIN), "Sign the commitment letter")
    register_action(
        "agencies.application.view",
        any_of(
            agency_role(A.ADMIN, A.STAFF),
            in_jurisdiction(*OFFICIALS),
            assigned("view_agencyapplication"),
        ),
        "Read an application",
    )
    register_action(
        "agencies.application.vet",
        _vetting_official,
        "Check materials, assign experts, record visits, decide",
    )
    register_action(
        "agencies.application.queue", authority_role(*OFFICIALS), "See the vetting queue"
    )
    register_action(
        "agencies.application.review",
        all_of(authority_role(R.EXPERT), assigned("view_agencyapplication")),
        "Review an assigned application as an expert",
    )
    register_action(
        "agencies.expert.queue", authority_role(R.EXPERT), "See one's assigned applications"
    )
    register_action(
        "agencies.site.assign_serial", _site_province_official, "Assign a site's serial"
    )


def _register_notice_kinds() -> None:
    notices.register_kind(
        "agencies.approval",
        label=_("Selection of an evaluation agency"),
        on_stood=_stood,
        on_overturned=_overturned,
    )

    notices.register_kind(
        "agencies.scope_extension",
        label=_("Extension of an evaluation agency's scope"),
        on_stood=_scope_stood,
        on_overturned=_scope_overturned,
    )


def _register_audit_labels() -> None:
    for action, label in {
        "agencies.staff.add": _("added a member to the agency"),
        "agencies.staff.change": _("changed a member's role"),
        "agencies.staff.remove": _("removed a member from the agency"),
        "agencies.rules.publish": _("published rules or fees"),
        "agencies.public_contact.edit": _("changed the published contact"),
        "agencies.change.request": _("asked for a change"),
        "agencies.change.decide": _("decided on a change request"),
        "agencies.change.withdraw": _("withdrew a change request"),
        "agencies.change.stands": _("confirmed a scope extension after its public notice"),
        "agencies.change.overturned": _("overturned a scope extension after an upheld objection"),
        "agencies.agency.suspend": _("suspended an agency"),
        "agencies.agency.remove": _("removed an agency from the directory"),
        "agencies.agency.suspension_ended": _("ended a suspension at its term"),
        "agencies.agency.lapse": _("recorded the end of a filing term"),
        "agencies.call.create": _("drafted a call for agencies"),
        "agencies.call.change": _("changed a call for agencies"),
        "agencies.call.publish": _("published a call for agencies"),
        "agencies.call.close": _("closed a call for agencies"),
        "agencies.organisation.register": _("registered an organisation"),
        "agencies.application.start": _("started an application"),
        "agencies.application.change": _("changed an application"),
        "agencies.application.condition": _("stated a condition of Art 12"),
        "agencies.application.evidence_removed": _("removed an evidence document"),
        "agencies.application.scope": _("set the requested scope"),
        "agencies.application.sites": _("declared the sites"),
        "agencies.application.submit": _("submitted an application"),
        "agencies.application.withdraw": _("withdrew an application"),
        "agencies.application.uscc": _("decided on a flagged credit code"),
        "agencies.application.accept": _("accepted an application's materials"),
        "agencies.application.return": _("returned an application for correction"),
        "agencies.application.assign_experts": _("assigned experts to an application"),
        "agencies.application.declare": _("declared on conflicts of interest"),
        "agencies.application.expert_review": _("submitted an expert review"),
        "agencies.application.site_visit": _("recorded a site visit"),
        "agencies.application.decide": _("decided on an application"),
        "agencies.application.approval_stands": _("confirmed an approval after its public notice"),
        "agencies.application.approval_overturned": _(
            "overturned an approval after an upheld objection"
        ),
        "agencies.agency.list": _("listed an agency in the directory"),
        "agencies.site.serial": _("assigned a site serial"),
        "agencies.affiliate.declare": _("declared an affiliated employer"),
        "agencies.affiliate.withdraw": _("withdrew an affiliated employer"),
        "agencies.affiliate.decide": _("decided on an affiliated employer"),
    }.items():
        audit.register_label(action, label, summary=SUMMARIES.get(action, ("status",)))
    audit.display.register_change_labels(
        {
            "member": _("member"),
            "new_account": _("new account"),
            "until": _("until"),
            "note": _("note"),
            "experts": _("experts"),
            "expert_review": _("expert review"),
            "site_visit": _("site visit"),
            "reasons": _("reasons"),
            "scope": _("Scope"),
            "sites": _("Sites"),
        },
        values={"role": dict(A.choices)},
    )


# Which changes an action's sentence restates (the status unless named here).
SUMMARIES = {
    "agencies.staff.add": ("member",),
    "agencies.staff.change": ("role",),
    "agencies.staff.remove": ("member",),
    "agencies.application.uscc": ("uscc_check",),
    "agencies.affiliate.declare": ("name",),
}


def _register_menus_and_panels() -> None:
    from agencies import navigation

    navigation.register()
    slots.register(
        "catalog.occupation",
        _occupation_agencies,
        template="agencies/listing/occupation_agencies.html",
        order=10,
    )


def _occupation_agencies(request, occupation) -> dict:
    """The catalogue's occupation page lists the listed agencies that may assess it."""
    from agencies import queries

    return {"groups": queries.agencies_for_occupation(occupation)}


def _register_periodic_jobs() -> None:
    from agencies.services import running

    day = dt.timedelta(days=1)
    periodic.register(
        "agencies.lapse_ended_terms",
        running.lapse_ended_terms,
        schedule=crontab(minute=5, hour=0),
        every=day,
        description="Mark agencies whose filing term ended as lapsed",
    )
    periodic.register(
        "agencies.lift_ended_suspensions",
        running.lift_ended_suspensions,
        schedule=crontab(minute=6, hour=0),
        every=day,
        description="Lift suspensions whose period has passed",
    )
    periodic.register(
        "agencies.send_term_reminders",
        running.send_term_reminders,
        schedule=crontab(minute=0, hour=8),
        every=day,
        description="Remind agencies 90 and 30 days before their term ends",
    )


def _scope_stood(notice) -> None:
    from agencies.services.changes import on_scope_notice_stood

    on_scope_notice_stood(notice)


def _scope_overturned(notice, objection) -> None:
    from agencies.services.changes import on_scope_notice_overturned

    on_scope_notice_overturned(notice, objection)


def _stood(notice) -> None:
    from agencies.services.vetting import on_notice_stood

    on_notice_stood(notice)


def _overturned(notice, objection) -> None:
    from agencies.services.vetting import on_notice_overturned

    on_notice_overturned(notice, objection)


def _register_renderers() -> None:
    """The PDFs the services create pending and portal's task renders after the commit."""
    from agencies.services import applications, listing, vetting

    documents.register_renderer(applications.RECEIPT_RENDERER, applications.render_receipt)
    documents.register_renderer(vetting.DECISION_LETTER_RENDERER, vetting.render_decision_letter)
    documents.register_renderer(listing.COMMITMENT_RENDERER, listing.render_commitment)
