"""Commitment letter, listing and the numbering parts of certificate numbers (Art 15, 22)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import AgencyApplication, ApplicationStatus, DirectoryEntry, ScopeItem
from agencies.services._refusal import Refusal, refuse
from catalog import queries as catalog
from portal import access, audit, clock, documents, pdf
from portal.audit_models import Audience
from portal.models import Agency, AgencySite, AgencyStatus
from portal.roles import NATIONAL


def term_end(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def next_agency_code() -> str:
    """The next free code 0001–9999 among agencies filed with the ministry."""
    used = set(
        Agency.objects.select_for_update()
        .filter(filing_jurisdiction=NATIONAL)
        .exclude(agency_code="")
        .values_list("agency_code", flat=True)
    )
    for number in range(1, 10000):
        code = f"{number:04d}"
        if code not in used:
            return code
    raise ValidationError(_("No agency code is left (0001–9999)."))


def add_scope(
    entry: DirectoryEntry, occupation, work_type, levels, *, on: dt.date | None = None
) -> None:
    """Approved scope rows for one occupation (work type), one row per basis in force on
    ``on``: level 1 may rest on a filed spec while levels 2–5 rest on a standard."""
    groups: dict[tuple, list] = {}
    for level in levels:
        basis = catalog.basis_for(
            occupation, level, work_type=work_type, agency=entry.agency, on=on
        )
        key = (basis.kind, basis.source.pk) if basis else (None, None)
        groups.setdefault(key, [basis, []])[1].append(level)
    for basis, group in groups.values():
        row = ScopeItem.objects.create(
            entry=entry,
            occupation=occupation,
            work_type=work_type,
            standard=basis.source if basis and basis.is_standard else None,
            spec=basis.source if basis and not basis.is_standard else None,
        )
        row.levels.set(group)


def signing_refusal(application: AgencyApplication, actor=None) -> str | None:
    """The commitment letter is signed once the approval stands (after any notice, Art 15)."""
    if application.status != ApplicationStatus.APPROVED:
        return Refusal(_("Only an approved application can be signed for."))
    return None


def commitment_pdf(application: AgencyApplication, *, signer, dated: dt.datetime) -> bytes:
    """The commitment letter (承诺书, Art 15) in the call's words, signed by ``signer``."""
    return pdf.render_pdf(
        "agencies/pdf/commitment.html",
        {
            "application": application,
            "text": application.call.commitment_text,
            "signer": signer,
            "now": dated,
            "is_demo": application.agency.is_demo,
        },
    )


@transaction.atomic
def sign_commitment(actor, application: AgencyApplication) -> DirectoryEntry:
    """The agency signs the commitment letter (Art 15); then it is listed in the directory.

    Listing sets the filing authority and term, the approved scope with the basis in
    force at approval, the agency code (next free 0001–9999 for the ministry, 0000 for a
    province), and the sites, each awaiting its serial from its province.
    """
    application = (
        AgencyApplication.objects.select_for_update(of=("self",))
        .select_related("call", "agency")
        .get(pk=application.pk)
    )
    access.require(actor, "agencies.application.sign", application)
    refuse(signing_refusal(application, actor))
    call, now = application.call, clock.now()
    agency = Agency.objects.select_for_update().get(pk=application.agency_id)
    commitment = documents.store_generated(
        actor,
        commitment_pdf(application, signer=actor, dated=now),
        f"commitment-{application.pk}.pdf",
        title=_("Commitment letter"),
        kind="commitment",
        owner_agency=agency,
        subject=application,
        allowed=("pdf",),
    )
    today = clock.today()
    entry = DirectoryEntry.objects.create(
        agency=agency,
        application=application,
        filing_jurisdiction=call.jurisdiction,
        valid_from=today,
        valid_until=term_end(today, call.filing_term_years),
        may_serve_others=application.may_serve_others,
        commitment=commitment,
        commitment_signed_by=actor,
        commitment_signed_at=now,
        listed_at=now,
    )
    approved_on = application.decided_at.date() if application.decided_at else today
    for item in application.scope.select_related("occupation", "work_type").prefetch_related(
        "approved_levels"
    ):
        add_scope(
            entry, item.occupation, item.work_type, list(item.approved_levels.all()), on=approved_on
        )
    before = audit.snapshot(agency, ("status", "filing_jurisdiction", "agency_code", "name"))
    agency.name = application.legal_name
    agency.address, agency.legal_representative = (
        application.address,
        application.legal_representative,
    )
    agency.contact_name, agency.contact_phone = application.contact_name, application.contact_phone
    agency.contact_email = application.contact_email
    agency.filing_jurisdiction = call.jurisdiction
    agency.agency_code = next_agency_code() if call.is_national else "0000"
    agency.status = AgencyStatus.LISTED
    agency.save(
        update_fields=[
            "name",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
            "filing_jurisdiction",
            "agency_code",
            "status",
        ]
    )
    for site in application.sites.all():
        AgencySite.objects.get_or_create(
            agency=agency,
            province=site.province,
            name=site.name,
            defaults={"address": site.address},
        )
    application.status = ApplicationStatus.LISTED
    application.save(update_fields=["status", "updated_at"])
    documents.start_retention(application)
    audit.record(
        actor,
        "agencies.agency.list",
        agency,
        {
            **audit.diff(before, agency, ("status", "filing_jurisdiction", "agency_code", "name")),
            "valid_until": [None, entry.valid_until],
        },
        agency=agency,
        audience=Audience.AGENCY,
    )
    return entry


def serial_refusal(site: AgencySite, actor=None) -> str | None:
    """A site's serial is assigned once: certificate numbers already carry it (Art 20)."""
    if site.site_serial:
        return Refusal(_("This site already has its serial."))
    return None


@transaction.atomic
def assign_site_serial(actor, site: AgencySite, serial: str = "") -> AgencySite:
    """The authority of the site's province assigns its 6-digit serial, unique there."""
    site = (
        AgencySite.objects.select_for_update(of=("self",)).select_related("agency").get(pk=site.pk)
    )
    access.require(actor, "agencies.site.assign_serial", site)
    refuse(serial_refusal(site, actor))
    taken = set(
        AgencySite.objects.select_for_update()
        .filter(province=site.province)
        .exclude(site_serial="")
        .values_list("site_serial", flat=True)
    )
    if serial:
        if not (len(serial) == 6 and serial.isdigit()):
            raise ValidationError({"serial": _("The site serial has six digits.")})
        if serial in taken:
            raise ValidationError({"serial": _("This serial is already used in the province.")})
    else:
        serial = next(f"{n:06d}" for n in range(1, 1_000_000) if f"{n:06d}" not in taken)
    site.site_serial = serial
    site.save(update_fields=["site_serial"])
    audit.record(
        actor,
        "agencies.site.serial",
        site,
        {"site_serial": ["", serial]},
        agency=site.agency,
        province=site.province_id,
        audience=Audience.AGENCY,
    )
    return site
