"""The sitting (Art 18, 19): seats, admission tickets (准考证), check-in, incidents (违纪) and
the internal quality supervisor's report.

Seats (decision 0037): per sitting, the enrolled candidates are put in a documented order and
filled into the room round by round, ``room.places`` per round, seats numbered from 1 in each
round. The order is either *random from a recorded seed* (enrolments sorted by their id, then
``random.Random(seed).shuffle``: the same seed gives the same plan, so anyone can re-derive
it) or *by ID number*. Re-allocating is allowed while no one has checked in.

Tickets: one per enrolled candidate, with an unguessable code of ``TICKET_CODE_LENGTH``
characters of an alphabet without look-alikes, printed as text and as a QR code leading to the
invigilator's check-in page. The PDFs are rendered after the commit into cached Documents and
rendered anew when what they print changes (``data_hash``).

Every service: lock → access → state guard → validate → save → one audit entry → PDFs after
the commit."""

from __future__ import annotations

import hashlib
import json
import random
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    AssessmentSession,
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Incident,
    IncidentDecision,
    IncidentKind,
    Seat,
    SeatAllocation,
    SeatRule,
    SessionStatus,
    Sitting,
    SupervisionRating,
    SupervisorReport,
    Ticket,
    TicketBatch,
)
from portal import access, audit, clock, documents, pii
from portal.models import Audience, Document
from portal.refusals import refuse

TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on a phone
TICKET_CODE_LENGTH = 10  # 32**10 = 2**50 codes
TICKET_RENDERER = "assessments.ticket"
BATCH_RENDERER = "assessments.ticket_batch"
ACTIVE_STATUSES = (SessionStatus.FILED, SessionStatus.OPEN, SessionStatus.CLOSED)


# --- who acts on a sitting ---------------------------------------------------------------------


def manages(user, session: AssessmentSession) -> bool:
    return access.can(user, "assessments.session.manage", session)


def supervisor_assignment(user, session: AssessmentSession) -> Assignment | None:
    """The user's active, declared internal quality supervisor assignment on the session."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Assignment.objects.filter(
            user=user,
            session=session,
            kind=AssignmentKind.SUPERVISOR,
            status=AssignmentStatus.ACTIVE,
            declared_at__isnull=False,
        )
        .select_related("supervisor")
        .first()
    )


def acts_on(user, sitting: Sitting) -> bool:
    """Agency admin and staff, the people assigned (and declared) to the sitting and the
    session's supervisor: who checks in and records incidents (Art 19)."""
    from assessments.queries import assignment_on

    return (
        manages(user, sitting.session)
        or assignment_on(user, sitting) is not None
        or supervisor_assignment(user, sitting.session) is not None
    )


def conflicted_for(user, sitting: Sitting) -> set[int]:
    """Candidates the user declared (or was found to have) a conflict with on this sitting."""
    from assessments.queries import assignment_on, conflicted_enrolment_ids

    assignment = assignment_on(user, sitting)
    return conflicted_enrolment_ids(assignment) if assignment else set()


def _require_on(user, sitting: Sitting) -> None:
    if not acts_on(user, sitting):
        raise PermissionDenied("assessments.sitting.act")


def _record(actor, action: str, obj, session: AssessmentSession, changes: dict) -> None:
    audit.record(
        actor,
        action,
        obj,
        changes,
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
    )


def _enrolled(session: AssessmentSession):
    return Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)


# --- seats (decision 0037) ---------------------------------------------------------------------


def seat_order(enrolment_ids: Iterable[int], seed: str) -> list[int]:
    """The random rule: enrolments sorted by id, shuffled by ``random.Random(seed)``. Pure, so
    the recorded seed re-derives the plan."""
    order = sorted(enrolment_ids)
    random.Random(seed).shuffle(order)
    return order


def id_order(enrolments: Iterable[Enrolment]) -> list[int]:
    """The ID-order rule: by the (normalised) ID number, ties by enrolment id."""
    return [
        e.pk
        for e in sorted(
            enrolments,
            key=lambda e: (pii.normalise(e.candidate.id_type, e.candidate.id_number), e.pk),
        )
    ]


def seat_plan(order: list[int], places: int) -> list[tuple[int, int, int]]:
    """(enrolment id, round, seat) for ``order`` filled into rounds of ``places`` seats."""
    return [(pk, i // places + 1, i % places + 1) for i, pk in enumerate(order)]


def rounds_needed(candidates: int, places: int) -> int:
    return max(1, -(-candidates // places))


def allocation_refusal(sitting: Sitting, actor=None) -> str | None:
    """Why the seats of this sitting cannot be (re-)allocated now, or None."""
    if actor is not None and not manages(actor, sitting.session):
        return _("Only the agency's administrator and staff allocate seats.")
    if sitting.session.status not in ACTIVE_STATUSES:
        return _("Seats are allocated for a filed session only.")
    if sitting.attendances.exists():
        return _("Check-in has started: the seats can no longer be changed.")
    count = _enrolled(sitting.session).count()
    if not count:
        return _("No candidate is enrolled yet.")
    places = sitting.room.places
    if count > places * sitting.rounds:
        return _(
            "%(count)s candidates do not fit: %(room)s has %(places)s places in each of "
            "%(rounds)s rounds."
        ) % {"count": count, "room": sitting.room.name, "places": places, "rounds": sitting.rounds}
    return None


@transaction.atomic
def allocate_seats(actor, sitting: Sitting, *, rule: str, seed: str = "") -> SeatAllocation:
    """Allocate the seats of one sitting by ``rule`` (Art 18, decision 0037), replacing an
    earlier plan while no one has checked in; the seed is recorded."""
    sitting = (
        Sitting.objects.select_for_update()
        .select_related("room", "session__site")
        .get(pk=sitting.pk)
    )
    session = sitting.session
    access.require(actor, "assessments.session.manage", session)
    refuse(allocation_refusal(sitting))
    if rule not in SeatRule.values:
        raise ValidationError({"rule": _("Choose how the seats are allocated.")})
    enrolments = list(_enrolled(session).select_related("candidate"))
    if rule == SeatRule.RANDOM:
        seed = seed or secrets.token_hex(16)
        order = seat_order([e.pk for e in enrolments], seed)
    else:
        seed = ""
        order = id_order(enrolments)
    before = getattr(sitting, "seat_allocation", None) if _has_allocation(sitting) else None
    Seat.objects.filter(sitting=sitting).delete()
    Seat.objects.bulk_create(
        Seat(sitting=sitting, enrolment_id=pk, round=r, number=n)
        for pk, r, n in seat_plan(order, sitting.room.places)
    )
    allocation, _created = SeatAllocation.objects.update_or_create(
        sitting=sitting,
        defaults={
            "rule": rule,
            "seed": seed,
            "allocated_by": actor,
            "allocated_at": clock.now(),
        },
    )
    _record(
        actor,
        "assessments.sitting.seats_allocated",
        sitting,
        session,
        {
            "rule": [before.rule if before else None, rule],
            "seed": [before.seed if before else None, seed],
            "seats": [None, len(order)],
        },
    )
    refresh_tickets(actor, session)
    return allocation


def _has_allocation(sitting: Sitting) -> bool:
    return SeatAllocation.objects.filter(sitting=sitting).exists()


# --- tickets -----------------------------------------------------------------------------------


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _i in range(TICKET_CODE_LENGTH))


def normalise_code(value: str) -> str:
    """What a person typed: spaces and dashes dropped, capitals; O→0 is not guessed."""
    return "".join(c for c in (value or "").upper() if c.isalnum())


def format_code(code: str) -> str:
    """``ABCDE-FGHJK``: easier to read aloud and to type."""
    return f"{code[:5]}-{code[5:]}" if len(code) == TICKET_CODE_LENGTH else code


def checkin_url(code: str) -> str:
    """The absolute URL the ticket's QR carries: the invigilator's check-in of this ticket."""
    return settings.SITE_URL + reverse("assessments:checkin_scan", args=[code])


def issue_refusal(session: AssessmentSession, actor=None) -> str | None:
    if actor is not None and not manages(actor, session):
        return _("Only the agency's administrator and staff issue tickets.")
    if session.status not in ACTIVE_STATUSES:
        return _("Tickets are issued for a filed session only.")
    sittings = list(session.sittings.all())
    if not sittings:
        return _("The session has no sitting.")
    enrolled = _enrolled(session).count()
    if not enrolled:
        return _("No candidate is enrolled yet.")
    for sitting in sittings:
        seated = Seat.objects.filter(
            sitting=sitting, enrolment__status=EnrolmentStatus.ENROLLED
        ).count()
        if seated < enrolled:
            return _("Allocate the seats of every sitting first (%(sitting)s).") % {
                "sitting": sitting_label(sitting)
            }
    return None


def sitting_label(sitting: Sitting) -> str:
    return f"{sitting.date:%Y-%m-%d} {sitting.starts_at:%H:%M} {sitting.room.name}"


@transaction.atomic
def issue_tickets(actor, session: AssessmentSession) -> int:
    """A ticket for every enrolled candidate without one (Art 18); every ticket whose printed
    data changed is rendered anew, and the batch PDF. The number of new tickets."""
    session = (
        AssessmentSession.objects.select_for_update().select_related("site").get(pk=session.pk)
    )
    access.require(actor, "assessments.session.manage", session)
    refuse(issue_refusal(session))
    missing = list(_enrolled(session).filter(ticket__isnull=True))
    now = clock.now()
    used = set()
    new = []
    for enrolment in missing:
        code = new_ticket_code()
        while code in used or Ticket.objects.filter(code=code).exists():
            code = new_ticket_code()
        used.add(code)
        new.append(Ticket(enrolment=enrolment, code=code, issued_at=now))
    Ticket.objects.bulk_create(new)
    _record(
        actor,
        "assessments.session.tickets_issued",
        session,
        session,
        {"tickets": [None, len(new)]},
    )
    refresh_tickets(actor, session)
    return len(new)


def _photo_sha(enrolment: Enrolment) -> str:
    return enrolment.photo.sha256 if enrolment.photo_id and enrolment.photo else ""


def ticket_data(ticket: Ticket, sittings: list[Sitting], seats: dict) -> dict:
    """Everything the ticket prints (its hash decides when it is rendered anew)."""
    enrolment = ticket.enrolment
    session = enrolment.session
    return {
        "code": ticket.code,
        "name": enrolment.real_name,
        "masked_id": enrolment.candidate.masked_id,
        "photo": _photo_sha(enrolment),
        "agency": session.agency.name,
        "occupation": session.occupation.name,
        "work_type": session.work_type.name if session.work_type_id else "",
        "level": str(session.level),
        "session": session.pk,
        "sittings": [
            {
                "method": s.method,
                "date": s.date.isoformat(),
                "starts_at": s.starts_at.strftime("%H:%M"),
                "ends_at": s.ends_at.strftime("%H:%M"),
                "venue": s.room.venue.name,
                "address": s.room.venue.address,
                "room": s.room.name,
                "round": seats.get((s.pk, enrolment.pk), (None, None))[0],
                "seat": seats.get((s.pk, enrolment.pk), (None, None))[1],
            }
            for s in sittings
        ],
        "is_demo": bool(session.agency.is_demo),
    }


def data_hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _tickets_with_data(
    session: AssessmentSession, only: Ticket | None = None
) -> list[tuple[Ticket, dict]]:
    from assessments.queries import sittings_of

    sittings = list(sittings_of(session))
    for s in sittings:
        s.room.venue  # noqa: B018 - one query per sitting, not per ticket
    seat_rows = Seat.objects.filter(sitting__session=session)
    if only is not None:
        seat_rows = seat_rows.filter(enrolment_id=only.enrolment_id)
    seats = {(seat.sitting_id, seat.enrolment_id): (seat.round, seat.number) for seat in seat_rows}
    tickets = (
        Ticket.objects.filter(
            enrolment__session=session, enrolment__status=EnrolmentStatus.ENROLLED
        )
        .select_related(
            "enrolment__candidate",
            "enrolment__photo",
            "enrolment__session__agency",
            "enrolment__session__occupation",
            "enrolment__session__work_type",
            "enrolment__session__level",
        )
        .order_by("code")
    )
    if only is not None:
        tickets = tickets.filter(pk=only.pk)
    return [(t, ticket_data(t, sittings, seats)) for t in tickets]


def _pending(actor, session: AssessmentSession, *, renderer: str, params: dict, title: str,
             filename: str) -> Document:  # fmt: skip
    return documents.create_pending(
        actor,
        renderer=renderer,
        params=params,
        title=title,
        kind="admission_ticket",
        filename=filename,
        owner_agency=session.agency,
        owner_jurisdiction=session.site.province_id,
        subject=session,
    )


def refresh_tickets(actor, session: AssessmentSession) -> int:
    """Render anew (after the commit) every ticket whose printed data changed, and the batch
    PDF when any did; the number of tickets queued. Called by the services above and before a
    download, so an edited name or a moved sitting never prints stale."""
    queued = 0
    rows = _tickets_with_data(session)
    with transaction.atomic():
        for ticket, data in rows:
            digest = data_hash(data)
            if ticket.document_id and ticket.data_hash == digest:
                continue
            ticket.document = _pending(
                actor,
                session,
                renderer=TICKET_RENDERER,
                params={"ticket": ticket.pk, "hash": digest},
                title=_("Admission ticket %(code)s") % {"code": ticket.code},
                filename=f"准考证-{ticket.code}.pdf",
            )
            ticket.data_hash = digest
            ticket.save(update_fields=["document", "data_hash"])
            queued += 1
        if rows:
            digest = data_hash([d for _t, d in rows])
            batch, _created = TicketBatch.objects.get_or_create(session=session)
            if not batch.document_id or batch.data_hash != digest:
                batch.document = _pending(
                    actor,
                    session,
                    renderer=BATCH_RENDERER,
                    params={"session": session.pk, "hash": digest},
                    title=_("Admission tickets of session %(session)s") % {"session": session.pk},
                    filename=f"准考证-{session.pk}.pdf",
                )
                batch.data_hash = digest
                batch.save(update_fields=["document", "data_hash"])
    return queued


def _ticket_context(ticket: Ticket, data: dict) -> dict:
    from assessments.services.ticket_pdf import photo_data_uri, qr_svg

    return {
        **data,
        "code_display": format_code(ticket.code),
        "qr": qr_svg(checkin_url(ticket.code)),
        "photo_uri": photo_data_uri(ticket.enrolment.photo),
        "ticket": ticket,
    }


def tickets_pdf(contexts: list[dict], *, is_demo: bool = False) -> bytes:
    from portal import pdf

    return pdf.render_pdf(
        "assessments/pdf/tickets.html",
        {"tickets": contexts, "is_demo": is_demo, "rules": CANDIDATE_RULES},
    )


def render_ticket(document: Document) -> bytes:
    """Renderer of one ticket (registered by ``assessments.registry``)."""
    ticket = Ticket.objects.select_related("enrolment__session").get(
        pk=document.render_params["ticket"]
    )
    for t, data in _tickets_with_data(ticket.enrolment.session, only=ticket):
        return tickets_pdf([_ticket_context(t, data)], is_demo=data["is_demo"])
    raise LookupError(f"ticket {ticket.pk} is no longer printed")


def render_batch(document: Document) -> bytes:
    """Renderer of the session's tickets in one PDF for batch printing."""
    session = AssessmentSession.objects.get(pk=document.render_params["session"])
    rows = _tickets_with_data(session)
    rows.sort(key=lambda row: _print_order(row[1]))
    return tickets_pdf(
        [_ticket_context(t, d) for t, d in rows], is_demo=bool(session.agency.is_demo)
    )


def _print_order(data: dict):
    """The batch is printed in seat order of the first sitting (handed out at the door)."""
    first = data["sittings"][0] if data["sittings"] else {}
    return (first.get("round") or 0, first.get("seat") or 0, data["code"])


CANDIDATE_RULES = [
    "考生须凭本准考证和有效身份证件原件，在开考前30分钟到达考场，经核验后入场。",
    "考生按准考证所列场次、考场和座位号（工位号）就座，并将准考证和身份证件放在桌面左上角。",
    "除规定的文具外，严禁携带手机、智能手表等通讯和存储设备及任何资料进入考场。",
    "开考15分钟后不得入场；考试开始30分钟内不得交卷离场。",
    "考试期间保持安静，不得交头接耳、抄袭、传递物品，不得由他人代考。",
    "技能操作须遵守安全操作规程，服从考评人员指挥；发现安全隐患立即停止操作并报告。",
    "违反考场纪律的，按规定作警告、成绩无效或取消资格处理，并记入档案。",
]


# --- check-in ----------------------------------------------------------------------------------


def ticket_for_code(value: str) -> Ticket | None:
    code = normalise_code(value)
    if len(code) != TICKET_CODE_LENGTH:
        return None
    return (
        Ticket.objects.filter(code=code)
        .select_related("enrolment__candidate", "enrolment__photo", "enrolment__session")
        .first()
    )


def checkin_refusal(sitting: Sitting, ticket: Ticket | None, actor=None) -> str | None:
    """Why this ticket cannot be checked in at this sitting now, or None."""
    if actor is not None and not acts_on(actor, sitting):
        return _("You are not assigned to this sitting.")
    if ticket is None:
        return _("No ticket has this number. Check the number on the ticket.")
    session = sitting.session
    if ticket.enrolment.session_id != session.pk:
        return _(
            "This ticket is for another session, not for this sitting: send the candidate "
            "to the session printed on the ticket."
        )
    if session.status not in ACTIVE_STATUSES:
        return _("The session is not running.")
    if clock.today() < sitting.date:
        return _("Check-in opens on the day of the sitting (%(date)s).") % {"date": sitting.date}
    if ticket.enrolment.status != EnrolmentStatus.ENROLLED:
        return _("The candidate has withdrawn from the session.")
    if actor is not None and ticket.enrolment_id in conflicted_for(actor, sitting):
        return _("You declared a conflict of interest with this candidate: ask a colleague.")
    if not Seat.objects.filter(sitting=sitting, enrolment_id=ticket.enrolment_id).exists():
        return _("The candidate has no seat in this sitting.")
    done = Attendance.objects.filter(sitting=sitting, enrolment_id=ticket.enrolment_id).first()
    if done is not None:
        if done.status == AttendanceStatus.PRESENT:
            return _("Already checked in at %(time)s.") % {
                "time": timezone.localtime(done.marked_at).strftime("%H:%M")
            }
        return _("Marked absent at the end of check-in.")
    return None


@transaction.atomic
def check_in(actor, sitting: Sitting, ticket: Ticket) -> Attendance:
    """The invigilator checks a candidate in (Art 19): present at this sitting."""
    sitting = (
        Sitting.objects.select_for_update()
        .select_related("session__site", "room")
        .get(pk=sitting.pk)
    )
    _require_on(actor, sitting)
    ticket = Ticket.objects.select_related("enrolment__session").get(pk=ticket.pk)
    refuse(checkin_refusal(sitting, ticket, actor))
    attendance = Attendance.objects.create(
        sitting=sitting,
        enrolment=ticket.enrolment,
        status=AttendanceStatus.PRESENT,
        marked_by=actor,
        marked_at=clock.now(),
    )
    _record(
        actor,
        "assessments.sitting.checked_in",
        sitting,
        sitting.session,
        {"ticket": [None, ticket.code], "attendance": [None, AttendanceStatus.PRESENT]},
    )
    return attendance


def absentees(sitting: Sitting):
    """Seated, enrolled candidates of the sitting not checked in (yet)."""
    return (
        Seat.objects.filter(sitting=sitting, enrolment__status=EnrolmentStatus.ENROLLED)
        .exclude(enrolment__attendances__sitting=sitting)
        .select_related("enrolment")
    )


def absentees_refusal(sitting: Sitting, actor=None) -> str | None:
    if actor is not None and not acts_on(actor, sitting):
        return _("You are not assigned to this sitting.")
    if sitting.session.status not in ACTIVE_STATUSES:
        return _("The session is not running.")
    if clock.today() < sitting.date:
        return _("Check-in opens on the day of the sitting (%(date)s).") % {"date": sitting.date}
    if not absentees(sitting).exists():
        return _("Every candidate of the sitting is marked already.")
    return None


@transaction.atomic
def mark_absentees(actor, sitting: Sitting) -> int:
    """At the end of check-in, everyone not checked in is marked absent (Art 19)."""
    sitting = Sitting.objects.select_for_update().select_related("session__site").get(pk=sitting.pk)
    _require_on(actor, sitting)
    refuse(absentees_refusal(sitting))
    now = clock.now()
    rows = [
        Attendance(
            sitting=sitting,
            enrolment_id=seat.enrolment_id,
            status=AttendanceStatus.ABSENT,
            marked_by=actor,
            marked_at=now,
        )
        for seat in absentees(sitting)
    ]
    Attendance.objects.bulk_create(rows)
    _record(
        actor,
        "assessments.sitting.absentees_marked",
        sitting,
        sitting.session,
        {"absent": [None, len(rows)]},
    )
    return len(rows)


# --- incidents (违纪) ---------------------------------------------------------------------------


def incident_refusal(sitting: Sitting, actor=None) -> str | None:
    if actor is not None and not acts_on(actor, sitting):
        return _("You are not assigned to this sitting.")
    if sitting.session.status not in ACTIVE_STATUSES:
        return _("The session is not running.")
    if clock.today() < sitting.date:
        return _("Incidents are recorded from the day of the sitting (%(date)s).") % {
            "date": sitting.date
        }
    return None


@transaction.atomic
def record_incident(
    actor, sitting: Sitting, *, kind: str, description: str, enrolment: Enrolment | None = None,
    evidence=None,
) -> Incident:  # fmt: skip
    """An incident (违纪) during the sitting, with an optional candidate and evidence (Art 19);
    the candidate's result is withheld until the agency decides it."""
    sitting = Sitting.objects.select_for_update().select_related("session__site").get(pk=sitting.pk)
    _require_on(actor, sitting)
    refuse(incident_refusal(sitting))
    errors = {}
    if kind not in IncidentKind.values:
        errors["kind"] = _("Choose the kind of incident.")
    if not (description or "").strip():
        errors["description"] = _("Describe what happened.")
    if enrolment is not None and (
        enrolment.session_id != sitting.session_id or enrolment.status != EnrolmentStatus.ENROLLED
    ):
        errors["enrolment"] = _("The candidate is not enrolled in this session.")
    if errors:
        raise ValidationError(errors)
    incident = Incident.objects.create(
        sitting=sitting,
        enrolment=enrolment,
        kind=kind,
        description=description.strip(),
        reported_by=actor,
        reported_at=clock.now(),
    )
    if evidence is not None:
        incident.evidence = documents.store_document(
            actor,
            evidence,
            title=_("Evidence of an incident"),
            kind="incident_evidence",
            owner_agency=sitting.session.agency,
            owner_jurisdiction=sitting.session.site.province_id,
            subject=sitting.session,
        )
        incident.save(update_fields=["evidence"])
    _record(
        actor,
        "assessments.incident.record",
        incident,
        sitting.session,
        {
            "kind": [None, kind],
            "candidate": [None, enrolment.real_name if enrolment else None],
            "evidence": [None, bool(incident.evidence_id)],
        },
    )
    return incident


def decision_refusal(incident: Incident, actor=None) -> str | None:
    if actor is not None and not manages(actor, incident.sitting.session):
        return _("Only the agency's administrator and staff decide incidents.")
    if incident.decision:
        return _("The incident is decided already.")
    if incident.sitting.session.results_published_at:
        return _("The results are published: the incident can no longer be decided here.")
    return None


@transaction.atomic
def decide_incident(actor, incident: Incident, *, decision: str, reason: str) -> Incident:
    """The agency decides an incident after the sitting (warning, score void, disqualification),
    always with a reason (Art 19)."""
    incident = (
        Incident.objects.select_for_update()
        .select_related("sitting__session__site")
        .get(pk=incident.pk)
    )
    access.require(actor, "assessments.session.manage", incident.sitting.session)
    refuse(decision_refusal(incident))
    errors = {}
    if decision not in IncidentDecision.values:
        errors["decision"] = _("Choose the decision.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the decision.")
    if decision in (IncidentDecision.VOID, IncidentDecision.DISQUALIFIED) and not (
        incident.enrolment_id
    ):
        errors["decision"] = _("An incident without a candidate can only be a warning.")
    if errors:
        raise ValidationError(errors)
    incident.decision = decision
    incident.decision_reason = reason.strip()
    incident.decided_by = actor
    incident.decided_at = clock.now()
    incident.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    _record(
        actor,
        "assessments.incident.decide",
        incident,
        incident.sitting.session,
        {"decision": [None, decision], "reason": [None, incident.decision_reason]},
    )
    return incident


# --- the internal quality supervisor's report --------------------------------------------------


def report_refusal(session: AssessmentSession, actor=None) -> str | None:
    if actor is not None and supervisor_assignment(actor, session) is None:
        return _("Only the session's internal quality supervisor files the report.")
    if session.status not in ACTIVE_STATUSES:
        return _("The session is not running.")
    if SupervisorReport.objects.filter(session=session).exists():
        return _("The report is filed already.")
    last = session.last_sitting_on or session.first_sitting_on
    if last is None or clock.today() < last:
        return _("The report is filed after the last sitting.")
    return None


@transaction.atomic
def file_supervisor_report(
    actor, session: AssessmentSession, *, process: str, incidents: str, rating: str
) -> SupervisorReport:
    """The internal quality supervisor's report on the session (Art 19): how the sittings went,
    the incidents observed and a rating; part of the archive, read by the authority."""
    session = (
        AssessmentSession.objects.select_for_update().select_related("site").get(pk=session.pk)
    )
    assignment = supervisor_assignment(actor, session)
    if assignment is None:
        raise PermissionDenied("assessments.session.supervise")
    refuse(report_refusal(session))
    errors = {}
    if not (process or "").strip():
        errors["process"] = _("Say how the sittings went.")
    if rating not in SupervisionRating.values:
        errors["rating"] = _("Choose the rating.")
    if errors:
        raise ValidationError(errors)
    report = SupervisorReport.objects.create(
        session=session,
        supervisor=assignment.supervisor,
        process=process.strip(),
        incidents=(incidents or "").strip(),
        rating=rating,
        submitted_by=actor,
        submitted_at=clock.now(),
    )
    _record(
        actor,
        "assessments.session.supervisor_report",
        report,
        session,
        {"rating": [None, rating]},
    )
    return report


# --- the worker's own tickets (public, after a human check) ------------------------------------

TICKET_LINK_SALT = "assessments.ticket.download"


def tickets_of_worker(real_name: str, id_type: str, id_number: str) -> list[Ticket]:
    """The worker's tickets for sessions whose last sitting is today or later, when the name
    matches the enrolment; [] alike for an unknown ID and a wrong name (nothing is told)."""
    from assessments.models import Candidate

    try:
        indexes = pii.index_candidates(id_type, pii.normalise(id_type, id_number))
    except Exception:  # noqa: BLE001 - a malformed number finds nobody, like an unknown one
        return []
    candidate = Candidate.objects.filter(id_index__in=indexes).first() if indexes else None
    if candidate is None:
        return []
    name = "".join((real_name or "").split())
    return [
        t
        for t in Ticket.objects.filter(
            enrolment__candidate=candidate,
            enrolment__status=EnrolmentStatus.ENROLLED,
            enrolment__session__status__in=ACTIVE_STATUSES,
            enrolment__session__last_sitting_on__gte=clock.today(),
        )
        .select_related("enrolment__session__occupation", "enrolment__session__level", "document")
        .order_by("enrolment__session__first_sitting_on")
        if "".join(t.enrolment.real_name.split()) == name
    ]


def ticket_link_token(ticket: Ticket) -> str:
    from django.core import signing

    return signing.dumps({"t": ticket.pk}, salt=TICKET_LINK_SALT)


def ticket_from_token(token: str) -> Ticket | None:
    """The ticket of a download link given after the look-up (valid TICKET_LINK_MINUTES)."""
    from django.core import signing

    try:
        data = signing.loads(
            token, salt=TICKET_LINK_SALT, max_age=settings.TICKET_LINK_MINUTES * 60
        )
    except signing.BadSignature:
        return None
    return Ticket.objects.filter(pk=data.get("t")).select_related("enrolment__session").first()
