"""Commitment letter, listing and the numbering parts of certificate numbers (Art 15, 22), and
the contact the directory publishes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.models import AgencyApplication, ApplicationStatus, DirectoryEntry, ScopeItem
from agencies.services._refusal import Refusal, refuse
from catalog import queries as catalog
from portal import access, audit, clock, counters, documents, pdf
from portal.models import Agency, AgencySite, AgencyStatus, Audience, Document, User
from portal.models.tenant import normalize_phone


def term_end(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


AGENCY_CODE_KEY = "agencies.agency_code"
AGENCY_CODE_MAX = 9999
PROVINCIAL_AGENCY_CODE = "0000"
SITE_SERIAL_MAX = 999_999


def site_serial_key(province_id: str) -> str:
    """Site serials are numbered per province: one counter each."""
    return f"agencies.site_serial:{province_id}"


def _numbered_up_to(queryset, field: str) -> int:
    """Where a counter starts: the end of the unbroken run 1, 2, 3 … among the numbers already
    given in ``field`` (0 if 1 is free). The counter then hands out the lowest free number,
    as the numbering did when it scanned the rows, and skips the ones above already taken;
    no existing number changes."""
    taken = {int(v) for v in queryset.values_list(field, flat=True) if v.isdigit()}
    last = 0
    while last + 1 in taken:
        last += 1
    return last


def next_agency_code() -> str:
    """The next free agency code 0001–9999 for an agency filed with the ministry (positions 2–5
    of its certificate numbers; ``0000`` is every province-filed agency's).

    Drawn from a gap-free counter in the caller's transaction (its row lock serialises two
    listings at once); a code already taken is skipped, never given twice.
    """

    def start() -> int:
        return _numbered_up_to(
            Agency.objects.exclude(agency_code__in=("", PROVINCIAL_AGENCY_CODE)), "agency_code"
        )

    while True:
        try:
            number = counters.allocate(AGENCY_CODE_KEY, maximum=AGENCY_CODE_MAX, start_from=start)[
                0
            ]
        except counters.CounterExhausted as exc:
            raise ValidationError(
                _("No agency code is left (0001–9999)."), code="exhausted"
            ) from exc
        code = f"{number:04d}"
        if not Agency.objects.filter(agency_code=code).exists():
            return code


def next_site_serial(province_id: str) -> str:
    """The next free 6-digit serial of a site in ``province_id`` (positions 8–13 of certificate
    numbers), from that province's gap-free counter; a serial already taken (typed in by an
    official, say) is skipped, never given twice."""

    def start() -> int:
        return _numbered_up_to(
            AgencySite.objects.filter(province_id=province_id).exclude(site_serial=""),
            "site_serial",
        )

    while True:
        number = counters.allocate(
            site_serial_key(province_id), maximum=SITE_SERIAL_MAX, start_from=start
        )[0]
        serial = f"{number:06d}"
        if not AgencySite.objects.filter(province_id=province_id, site_serial=serial).exists():
            return serial


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


COMMITMENT_RENDERER = "agencies.commitment"


def render_commitment(document: Document) -> bytes:
    """Renderer of a pending commitment letter (registered by ``agencies.registry``)."""
    params = document.render_params
    application = AgencyApplication.objects.select_related("call", "agency").get(
        pk=params["application"]
    )
    return commitment_pdf(
        application,
        signer=User.objects.get(pk=params["signer"]),
        dated=dt.datetime.fromisoformat(params["dated"]),
    )


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
    # Pending until the task renders it after the commit; the entry points at it already.
    commitment = documents.create_pending(
        actor,
        renderer=COMMITMENT_RENDERER,
        params={"application": application.pk, "signer": actor.pk, "dated": now.isoformat()},
        filename=f"commitment-{application.pk}.pdf",
        title=_("Commitment letter"),
        kind="commitment",
        owner_agency=agency,
        owner_jurisdiction=call.jurisdiction,
        subject=application,
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
    agency.agency_code = next_agency_code() if call.is_national else PROVINCIAL_AGENCY_CODE
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
    """The authority of the site's province assigns its 6-digit serial, unique there (Art 20:
    the numbering parts of certificate numbers): the one typed in, or the province's next."""
    site = (
        AgencySite.objects.select_for_update(of=("self",)).select_related("agency").get(pk=site.pk)
    )
    access.require(actor, "agencies.site.assign_serial", site)
    refuse(serial_refusal(site, actor))
    used = _("This serial is already used in the province.")
    if serial:
        if not (len(serial) == 6 and serial.isdigit()):
            raise ValidationError({"serial": _("The site serial has six digits.")})
        if AgencySite.objects.filter(province_id=site.province_id, site_serial=serial).exists():
            raise ValidationError({"serial": used})
    else:
        serial = next_site_serial(site.province_id)
    site.site_serial = serial
    try:
        with transaction.atomic():  # two officials typing the same serial at once
            site.save(update_fields=["site_serial"])
    except IntegrityError as exc:
        raise ValidationError({"serial": used}) from exc
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


# --- The published contact ---------------------------------------------------------------------

PUBLIC_CONTACT_FIELDS = ("public_contact_name", "public_phone", "public_email")


def clean_public_contact(*, name: str = "", phone: str = "", email: str = "") -> dict[str, str]:
    """The published contact as stored: an office's name, its line (normalised), its role
    mailbox; a blank value publishes nothing. Raises ValidationError per field, in Chinese."""
    values = {
        "public_contact_name": (name or "").strip(),
        "public_phone": normalize_phone(phone) if (phone or "").strip() else "",
        "public_email": (email or "").strip(),
    }
    errors = {}
    for field, value in values.items():
        try:
            Agency._meta.get_field(field).clean(value, None)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def set_public_contact(
    actor, agency: Agency, *, name: str = "", phone: str = "", email: str = ""
) -> Agency:
    """The agency chooses the contact the public directory shows (Art 15: the directory is
    published): an office, its role mailbox and line, never a member's own mobile or e-mail
    unless entered here on purpose. It takes effect at once; the audit trail keeps each
    version for the filing authority."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, "agencies.public_contact.edit", agency)
    values = clean_public_contact(name=name, phone=phone, email=email)
    before = audit.snapshot(agency, PUBLIC_CONTACT_FIELDS)
    for field, value in values.items():
        setattr(agency, field, value)
    changes = audit.diff(before, agency, PUBLIC_CONTACT_FIELDS)
    if not changes:
        raise ValidationError(_("Nothing differs from the published contact."), code="no_change")
    agency.save(update_fields=list(PUBLIC_CONTACT_FIELDS))
    audit.record(
        actor,
        "agencies.public_contact.edit",
        agency,
        changes,
        agency=agency,
        audience=Audience.AGENCY,
    )
    return agency
