"""Venues (Art 12 (3), Art 19): an agency declares the venues of its sites with their rooms,
tenure and video surveillance; the authority of the site's province verifies or refuses them.

Only a verified venue takes sessions (``assessments.queries.verified_venues``). A verified
venue whose rooms, address, tenure, lease or surveillance change, or whose lease ends
(``reset_ended_leases``, a daily job), returns to "to verify" with an audit entry saying why.

Every service here: lock → access → state guard → validate (``full_clean``) → save with
``update_fields`` → one audit entry; the rooms are saved in the same transaction, so a refused
venue leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.services._refusal import Refusal, refuse
from assessments.models import Room, RoomKind, Tenure, Venue, VenueStatus
from portal import access, audit, clock, documents
from portal.models import AgencySite, Audience

LEASE_KIND = "assessments.venue_lease"
RECORD_KIND = "assessments.venue_verification"
DOCUMENT_TYPES = ("pdf", "png", "jpeg")
# The venue's own fields whose change sends a verified venue back to "to verify".
MATERIAL_FIELDS = (
    "name",
    "address",
    "tenure",
    "lease_starts",
    "lease_ends",
    "lease_document_id",
    "recordings_kept_days",
    "recordings_stored_at",
)


@dataclass
class RoomData:
    """One room as the agency declares it (the occupations: catalog ``Occupation`` rows)."""

    name: str
    kind: str
    places: int
    cameras: int
    occupations: list = field(default_factory=list)

    def key(self) -> tuple:
        codes = sorted(o.code for o in self.occupations) if self.kind == RoomKind.SKILL else []
        return (self.name.strip(), self.kind, self.places, self.cameras, tuple(codes))


def one_year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for a lease starting on 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def lease_problems(tenure: str, starts: dt.date | None, ends: dt.date | None) -> dict:
    """Field errors of a lease (Art 12 (3): a leased venue is leased for at least a year)."""
    if tenure != Tenure.LEASED:
        return {}
    problems = {}
    if starts is None:
        problems["lease_starts"] = _("Enter the date the lease starts.")
    if ends is None:
        problems["lease_ends"] = _("Enter the date the lease ends.")
    if problems:
        return problems
    if ends < one_year_after(starts):
        problems["lease_ends"] = _(
            "The lease must run for at least one year: from %(starts)s it must last at least "
            "until %(until)s."
        ) % {"starts": starts.isoformat(), "until": one_year_after(starts).isoformat()}
    elif ends < clock.today():
        problems["lease_ends"] = _("This lease has already ended; upload the current lease.")
    return problems


def room_problems(rooms: list[RoomData]) -> list[str]:
    """What is wrong with the rooms as a whole (each room's own fields: ``Room.full_clean``)."""
    if not rooms:
        return [_("Declare at least one room.")]
    problems = []
    names = [r.name.strip() for r in rooms]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(
            _("Two rooms are called “%(name)s”: give each room its own name.") % {"name": name}
        )
    for room in rooms:
        if room.kind == RoomKind.SKILL and not room.occupations:
            problems.append(
                _("Skill room “%(name)s”: name the occupations it is equipped for.")
                % {"name": room.name}
            )
        if room.cameras < 1:
            problems.append(
                _("Room “%(name)s”: every room has at least one surveillance camera (Art 12).")
                % {"name": room.name}
            )
    return problems


def _rooms_of(venue: Venue) -> list[RoomData]:
    return [
        RoomData(r.name, r.kind, r.places, r.cameras, list(r.occupations.all()))
        for r in venue.rooms.prefetch_related("occupations").order_by("pk")
    ]


def _room_keys(rooms: list[RoomData]) -> list[tuple]:
    return sorted(r.key() for r in rooms)


def _validate(venue: Venue, rooms: list[RoomData], *, new_lease: bool = False) -> None:
    """``full_clean`` of the venue and of each room, the lease and the rooms as a whole; one
    ``ValidationError`` with every problem at its field (the rooms under ``rooms``)."""
    errors: dict[str, list] = {}
    try:
        venue.full_clean(
            exclude=["waiting_since", "status", "lease_document", "verification_record"]
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for name, message in lease_problems(venue.tenure, venue.lease_starts, venue.lease_ends).items():
        errors.setdefault(name, []).append(message)
    if venue.tenure == Tenure.LEASED and venue.lease_document_id is None and not new_lease:
        errors.setdefault("lease_document", []).append(_("Upload the lease contract."))
    room_errors = room_problems(rooms)
    for data in rooms:
        try:
            Room(
                venue=venue,
                name=data.name.strip(),
                kind=data.kind,
                places=data.places,
                cameras=data.cameras,
            ).full_clean(exclude=["venue"], validate_unique=False)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                room_errors += [f"{data.name}：{m}" for m in messages]
    if room_errors:
        errors["rooms"] = room_errors
    if errors:
        raise ValidationError(errors)


def _save_rooms(venue: Venue, rooms: list[RoomData]) -> None:
    """The rooms as declared: a room keeps its row while its name stays, others come and go."""
    kept = {r.name: r for r in venue.rooms.all()}
    wanted = {data.name.strip(): data for data in rooms}
    venue.rooms.exclude(name__in=list(wanted)).delete()
    for name, data in wanted.items():
        room = kept.get(name) or Room(venue=venue, name=name)
        room.kind, room.places, room.cameras = data.kind, data.places, data.cameras
        if room.pk:
            room.save(update_fields=["kind", "places", "cameras"])
        else:
            room.save(force_insert=True)
        room.occupations.set(data.occupations if data.kind == RoomKind.SKILL else [])


def _store_lease(actor, site: AgencySite, venue: Venue, upload):
    return documents.store_document(
        actor,
        upload,
        title=_("Lease contract of %(venue)s") % {"venue": venue.name},
        kind=LEASE_KIND,
        owner_agency=site.agency,
        owner_jurisdiction=site.province_id,  # the site's province reaches it (Art 24)
        subject=venue,
        allowed=DOCUMENT_TYPES,
    )


def _room_summary(rooms: list[RoomData]) -> list[str]:
    return [f"{r.name}（{RoomKind(r.kind).label}，{r.places}，{r.cameras}）" for r in rooms]


def _record(actor, action: str, venue: Venue, changes: dict, **kwargs) -> None:
    audit.record(
        actor,
        action,
        venue,
        changes,
        agency=venue.site.agency,
        province=venue.site.province_id,
        audience=Audience.AGENCY,
        **kwargs,
    )


def _lease_upload_problem(upload) -> None:
    """A lease file that is not a PDF or picture is refused at its field, before anything."""
    if upload is None:
        return
    try:
        documents.validate_upload(upload, allowed=DOCUMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError({"lease_document": exc.messages}) from exc


@transaction.atomic
def create_venue(
    actor, site: AgencySite, *, rooms: list[RoomData], lease_upload=None, **fields
) -> Venue:
    """The agency declares a venue of one of its sites with its rooms (Art 12 (3), Art 19); it
    waits for the verification of the site's province."""
    site = (
        AgencySite.objects.select_for_update(of=("self",)).select_related("agency").get(pk=site.pk)
    )
    access.require(actor, "assessments.venue.manage", site)
    _lease_upload_problem(lease_upload)
    venue = Venue(site=site, status=VenueStatus.TO_VERIFY, waiting_since=clock.now(), **fields)
    if venue.tenure != Tenure.LEASED:
        venue.lease_starts = venue.lease_ends = None
    _validate(venue, rooms, new_lease=lease_upload is not None)
    venue.save(force_insert=True)
    if venue.tenure == Tenure.LEASED:
        venue.lease_document = _store_lease(actor, site, venue, lease_upload)
        venue.save(update_fields=["lease_document"])
    _save_rooms(venue, rooms)
    _record(
        actor,
        "assessments.venue.create",
        venue,
        {
            "site": [None, site.name],
            "address": [None, venue.address],
            "tenure": [None, venue.tenure],
            "lease_ends": [None, venue.lease_ends],
            "rooms": [None, _room_summary(rooms)],
        },
    )
    return venue


@transaction.atomic
def update_venue(
    actor, venue: Venue, *, rooms: list[RoomData], lease_upload=None, **fields
) -> Venue:
    """The agency changes a venue or its rooms. A verified venue that changes in substance, and a
    refused one corrected, return to "to verify" (Art 12 (3))."""
    venue = (
        Venue.objects.select_for_update(of=("self",))
        .select_related("site__agency")
        .get(pk=venue.pk)
    )
    access.require(actor, "assessments.venue.manage", venue)
    _lease_upload_problem(lease_upload)
    before = audit.snapshot(venue, MATERIAL_FIELDS)
    old_rooms = _rooms_of(venue)
    for name, value in fields.items():
        setattr(venue, name, value)
    if venue.tenure != Tenure.LEASED:
        venue.lease_starts = venue.lease_ends = venue.lease_document = None
    _validate(venue, rooms, new_lease=lease_upload is not None)
    if venue.tenure == Tenure.LEASED and lease_upload is not None:
        venue.lease_document = _store_lease(actor, venue.site, venue, lease_upload)
    changes = audit.diff(before, venue, MATERIAL_FIELDS)
    rooms_changed = _room_keys(old_rooms) != _room_keys(rooms)
    if rooms_changed:
        changes["rooms"] = [_room_summary(old_rooms), _room_summary(rooms)]
    if not changes:
        return venue
    update = [f.removesuffix("_id") for f in MATERIAL_FIELDS]
    if venue.status != VenueStatus.TO_VERIFY:
        reason = _("the rooms changed") if rooms_changed else _("the venue's details changed")
        changes["status"] = [venue.status, VenueStatus.TO_VERIFY]
        changes["reason"] = [None, reason]
        venue.status, venue.waiting_since = VenueStatus.TO_VERIFY, clock.now()
        update += ["status", "waiting_since"]
    venue.save(update_fields=update)
    _save_rooms(venue, rooms)
    _record(actor, "assessments.venue.change", venue, changes)
    return venue


def decision_refusal(venue: Venue, actor=None) -> str | None:
    """Only a venue waiting for verification is verified or refused."""
    if venue.status != VenueStatus.TO_VERIFY:
        return Refusal(_("This venue is not waiting for verification."))
    return None


def verification_refusal(venue: Venue, actor=None) -> str | None:
    """A venue is verified while it waits and while its lease still runs."""
    if refusal := decision_refusal(venue, actor):
        return refusal
    if venue.tenure == Tenure.LEASED and venue.lease_ends < clock.today():
        return Refusal(
            _("The lease ended on %(date)s: the agency must upload the current lease first.")
            % {"date": venue.lease_ends.isoformat()},
            "lease_ended",
        )
    return None


def _locked_for_decision(actor, venue: Venue, refusal) -> Venue:
    venue = (
        Venue.objects.select_for_update(of=("self",))
        .select_related("site__agency")
        .get(pk=venue.pk)
    )
    access.require(actor, "assessments.venue.verify", venue)
    refuse(refusal(venue, actor))
    return venue


@transaction.atomic
def verify_venue(actor, venue: Venue, *, remarks: str = "", record_upload=None) -> Venue:
    """The authority of the site's province verifies the venue (Art 12 (3), Art 24): who, when,
    remarks and, if any, the record of the visit (a document of the site's province)."""
    venue = _locked_for_decision(actor, venue, verification_refusal)
    if record_upload is not None:
        try:
            documents.validate_upload(record_upload, allowed=DOCUMENT_TYPES)
        except ValidationError as exc:
            raise ValidationError({"record": exc.messages}) from exc
    venue.status = VenueStatus.VERIFIED
    venue.verified_by, venue.verified_on = actor, clock.today()
    venue.verification_remarks, venue.refusal_reason = remarks.strip(), ""
    venue.full_clean(exclude=["lease_document", "verification_record"])
    update = ["status", "verified_by", "verified_on", "verification_remarks", "refusal_reason"]
    if record_upload is not None:
        venue.verification_record = documents.store_document(
            actor,
            record_upload,
            title=_("Verification record of %(venue)s") % {"venue": venue.name},
            kind=RECORD_KIND,
            owner_agency=venue.site.agency,
            owner_jurisdiction=venue.site.province_id,
            subject=venue,
            allowed=DOCUMENT_TYPES,
        )
        update.append("verification_record")
    venue.save(update_fields=update)
    _record(
        actor,
        "assessments.venue.verify",
        venue,
        {
            "status": [VenueStatus.TO_VERIFY, VenueStatus.VERIFIED],
            "remarks": [None, venue.verification_remarks],
        },
    )
    return venue


@transaction.atomic
def refuse_venue(actor, venue: Venue, *, reason: str) -> Venue:
    """The authority of the site's province refuses the venue with a reason; the agency corrects
    it and it waits again."""
    venue = _locked_for_decision(actor, venue, decision_refusal)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the venue is refused.")})
    venue.status, venue.refusal_reason = VenueStatus.REFUSED, reason.strip()
    venue.verified_by = venue.verified_on = None
    venue.verification_remarks = ""
    venue.full_clean(exclude=["lease_document", "verification_record"])
    venue.save(
        update_fields=[
            "status",
            "refusal_reason",
            "verified_by",
            "verified_on",
            "verification_remarks",
        ]
    )
    _record(
        actor,
        "assessments.venue.refuse",
        venue,
        {
            "status": [VenueStatus.TO_VERIFY, VenueStatus.REFUSED],
            "reason": [None, venue.refusal_reason],
        },
    )
    return venue


def reset_ended_leases() -> int:
    """Daily: a verified venue whose lease has ended returns to "to verify" (one audit entry
    each, saying why). Safe to run twice: the second run finds nothing."""
    today = clock.today()
    done = 0
    ids = Venue.objects.filter(
        status=VenueStatus.VERIFIED, tenure=Tenure.LEASED, lease_ends__lt=today
    ).values_list("pk", flat=True)
    for pk in list(ids):
        with transaction.atomic():
            venue = (
                Venue.objects.select_for_update(of=("self",))
                .select_related("site__agency")
                .filter(pk=pk, status=VenueStatus.VERIFIED, lease_ends__lt=today)
                .first()
            )
            if venue is None:
                continue
            venue.status, venue.waiting_since = VenueStatus.TO_VERIFY, clock.now()
            venue.save(update_fields=["status", "waiting_since"])
            _record(
                None,
                "assessments.venue.lease_ended",
                venue,
                {
                    "status": [VenueStatus.VERIFIED, VenueStatus.TO_VERIFY],
                    "reason": [
                        None,
                        _("the lease ended on %(date)s") % {"date": venue.lease_ends.isoformat()},
                    ],
                },
                actor_label="system",
            )
            done += 1
    return done
