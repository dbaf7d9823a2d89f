"""Assessment sessions (认定计划 / 批次, Art 17–18): an agency plans a session within its
approved scope, on a frozen basis, at a verified venue, one sitting per required method; it
files the plan with the authority of the site's province (备案, not approval) at least
``SESSION_PLAN_LEAD_WORKING_DAYS`` working days before the first sitting; registration opens on
its own at the window's start (``advance_sessions``, a periodic job, and at once on filing);
officials may ask a question (registration waits until the agency answers) or stop the plan;
the agency may cancel it. Candidates known by e-mail are told when a plan ends
(``register_recipients``: the candidates stage says who they are).

Every service: lock → access → state guard → validate → save with ``update_fields`` → one
audit entry → e-mails on commit. A refused plan leaves nothing behind (decision 0034)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from agencies import queries as agency_queries
from agencies.services import assessment_refusal
from assessments.models import (
    LIVE_STATUSES,
    AssessmentSession,
    Room,
    RoomKind,
    SessionQuestion,
    SessionStatus,
    Sitting,
    Venue,
)
from assessments.queries import verified_venues
from catalog.queries import basis_for
from portal import access, audit, clock
from portal.models import Audience
from portal.refusals import Refusal, refuse

# The room each method sits in (theory in a theory room, and so on); the other methods
# (work performance, process, competition) have no room of their own kind and take any room.
ROOM_FOR_METHOD = {
    "theory": RoomKind.THEORY,
    "skill": RoomKind.SKILL,
    "review": RoomKind.REVIEW,
}
PLAN_FIELDS = (
    "venue_id",
    "city",
    "occupation_id",
    "work_type_id",
    "level_id",
    "capacity",
    "registration_opens",
    "registration_closes",
    "fee",
    "how_to_register",
)

_RECIPIENTS: list[Callable[[AssessmentSession], list[str]]] = []


def register_recipients(provider: Callable[[AssessmentSession], list[str]]) -> None:
    """The candidates stage says whose e-mail addresses to tell when a session ends."""
    if provider not in _RECIPIENTS:
        _RECIPIENTS.append(provider)


def recipients(session: AssessmentSession) -> list[str]:
    found: list[str] = []
    for provider in _RECIPIENTS:
        found += [a for a in provider(session) if a and a not in found]
    return found


@dataclass
class SittingData:
    """One sitting as the agency plans it."""

    method: str
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    room: Room


def lead_days() -> int:
    return settings.SESSION_PLAN_LEAD_WORKING_DAYS


def latest_filing_day(first_sitting: dt.date) -> dt.date:
    """The last day the plan may be filed: the lead time in working days before the sitting."""
    return clock.add_working_days(first_sitting, -lead_days())


def freeze(basis) -> dict:
    """The basis as stored on the session: a copy, not a reference (decision 0034)."""
    return {
        "kind": basis.kind,
        "title": basis.title,
        "reference": basis.reference,
        "level": basis.level.display,
        "methods": [asdict(m) for m in basis.methods],
        "ratios": asdict(basis.ratios),
        "eligibility": [asdict(e) for e in basis.eligibility],
    }


def _overlapping(room: Room, sitting: SittingData, *, exclude_session=None):
    """Sittings of live or draft sessions in the same room at an overlapping time."""
    found = Sitting.objects.filter(
        room=room,
        date=sitting.date,
        starts_at__lt=sitting.ends_at,
        ends_at__gt=sitting.starts_at,
    ).exclude(session__status__in=[SessionStatus.STOPPED, SessionStatus.CANCELLED])
    if exclude_session is not None:
        found = found.exclude(session=exclude_session)
    return found


def plan_problems(
    agency, *, venue: Venue | None, occupation, work_type, level, capacity: int | None,
    sittings: list[SittingData], basis: dict | None, exclude_session=None,
) -> dict[str, list[str]]:  # fmt: skip
    """Every reason the plan cannot stand, at its field (Art 17–18); {} when it can."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    today = clock.today()
    dates = sorted({s.date for s in sittings})
    cannot = set()
    for day in dates:
        refusal = assessment_refusal(agency, on=day)
        if refusal:
            cannot.add(day)
            add("sittings", _("On %(date)s: %(reason)s") % {"date": day, "reason": refusal})
    if occupation is not None and level is not None:
        for day in [d for d in dates if d not in cannot] or ([] if dates else [today]):
            refusal = agency_queries.scope_refusal(agency, occupation, work_type, level, on=day)
            if refusal and refusal not in errors.get("level", []):
                add("level", refusal)
        if basis is None:
            add(
                "level",
                _(
                    "No national standard or filed evaluation specification covers this "
                    "occupation at this level: there is no basis to assess on (Art 17)."
                ),
            )
    if venue is not None and dates:
        verified = verified_venues(agency, on=dates[-1]).filter(pk=venue.pk).exists()
        if not verified:
            add("venue", _("This venue is not verified by the authority of its province."))
    methods = {m["method"]: m["label"] for m in (basis or {}).get("methods", [])}
    planned = [s.method for s in sittings]
    for method, label in methods.items():
        if method not in planned:
            add("sittings", _("The basis requires %(method)s: plan a sitting for it.") % {
                "method": label})  # fmt: skip
    for method in planned:
        if basis is not None and method not in methods:
            add("sittings", _("The basis does not assess by this method: remove its sitting."))
        if planned.count(method) > 1 and method in methods:
            add("sittings", _("Plan one sitting per method (%(method)s twice).") % {
                "method": methods[method]})  # fmt: skip
    for sitting in sittings:
        label = methods.get(sitting.method, sitting.method)
        if sitting.date <= today:
            add("sittings", _("%(method)s: the sitting on %(date)s is not in the future.") % {
                "method": label, "date": sitting.date})  # fmt: skip
        if sitting.ends_at <= sitting.starts_at:
            add("sittings", _("%(method)s: the sitting must end after it starts.") % {
                "method": label})  # fmt: skip
        room = sitting.room
        if venue is not None and room.venue_id != venue.pk:
            add("sittings", _("%(method)s: the room %(room)s is not in the chosen venue.") % {
                "method": label, "room": room.name})  # fmt: skip
            continue
        wanted = ROOM_FOR_METHOD.get(sitting.method)
        if wanted and room.kind != wanted:
            add("sittings", _("%(method)s: %(room)s is not a %(kind)s.") % {
                "method": label, "room": room.name, "kind": RoomKind(wanted).label})  # fmt: skip
        if capacity and room.places < capacity:
            add("sittings", _(
                "%(method)s: %(room)s has %(places)s places, fewer than the capacity %(capacity)s."
            ) % {"method": label, "room": room.name, "places": room.places,
                 "capacity": capacity})  # fmt: skip
        if (
            room.kind == RoomKind.SKILL
            and occupation is not None
            and not room.occupations.filter(pk=occupation.pk).exists()
        ):
            add("sittings", _("%(method)s: %(room)s is not equipped for %(occupation)s.") % {
                "method": label, "room": room.name, "occupation": occupation.name})  # fmt: skip
        if sitting.ends_at > sitting.starts_at:
            clash = _overlapping(room, sitting, exclude_session=exclude_session).first()
            others = [
                o for o in sittings
                if o is not sitting and o.room.pk == room.pk and o.date == sitting.date
                and o.starts_at < sitting.ends_at and o.ends_at > sitting.starts_at
            ]  # fmt: skip
            if clash is not None or others:
                add("sittings", _(
                    "%(method)s: %(room)s is already booked on %(date)s at that time."
                ) % {"method": label, "room": room.name, "date": sitting.date})  # fmt: skip
    return errors


def _record(actor, action: str, session: AssessmentSession, changes: dict, **kwargs) -> None:
    audit.record(
        actor,
        action,
        session,
        changes,
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
        **kwargs,
    )


def _sittings_summary(sittings) -> list[str]:
    return [
        f"{s.method} {s.date} {s.starts_at:%H:%M}–{s.ends_at:%H:%M} {s.room.name}" for s in sittings
    ]


@transaction.atomic
def plan_session(actor, agency, *, sittings: list[SittingData], **fields) -> AssessmentSession:
    """The agency plans a session (Art 17–18): the basis in force today is resolved and frozen
    on the session; every refusal is reported at its field and nothing is saved."""
    from portal.models import Agency

    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, "assessments.session.manage", agency)
    venue = fields.get("venue")
    occupation, work_type, level = fields.get("occupation"), fields.get("work_type"), fields.get(
        "level"
    )  # fmt: skip
    today = clock.today()
    found = (
        basis_for(occupation, level, work_type=work_type, agency=agency, on=today)
        if occupation is not None and level is not None
        else None
    )
    basis = freeze(found) if found is not None else None
    if venue is not None and venue.site.agency_id != agency.pk:
        raise ValidationError({"venue": _("Choose one of the agency's venues.")})
    session = AssessmentSession(
        agency=agency,
        site=venue.site if venue is not None else None,
        basis=basis or {},
        basis_planned_on=today,
        created_by=actor,
        status=SessionStatus.DRAFT,
        **fields,
    )
    errors: dict[str, list] = {}
    try:
        session.full_clean(exclude=["site", "basis", "created_by", "agency"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if session.registration_opens and session.registration_closes:
        if session.registration_closes < session.registration_opens:
            errors.setdefault("registration_closes", []).append(
                _("Registration must close on or after the day it opens.")
            )
        first = min((s.date for s in sittings), default=None)
        if first is not None and session.registration_closes >= first:
            errors.setdefault("registration_closes", []).append(
                _("Registration must close before the first sitting (%(date)s).") % {"date": first}
            )
    for name, messages in plan_problems(
        agency,
        venue=venue,
        occupation=occupation,
        work_type=work_type,
        level=level,
        capacity=session.capacity,
        sittings=sittings,
        basis=basis,
    ).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    session.first_sitting_on = min(s.date for s in sittings)
    session.last_sitting_on = max(s.date for s in sittings)
    session.save(force_insert=True)
    Sitting.objects.bulk_create(
        [
            Sitting(
                session=session,
                method=s.method,
                date=s.date,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                room=s.room,
            )
            for s in sittings
        ]
    )
    _record(
        actor,
        "assessments.session.plan",
        session,
        {
            "occupation": [None, str(occupation)],
            "level": [None, level.display],
            "venue": [None, venue.name],
            "capacity": [None, session.capacity],
            "basis": [None, f"{basis['title']}（{basis['reference']}）"],
            "sittings": [None, _sittings_summary(sittings)],
        },
    )
    return session


def _locked(actor, session: AssessmentSession, permission: str) -> AssessmentSession:
    session = (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("agency", "site", "venue", "occupation", "level", "work_type")
        .get(pk=session.pk)
    )
    access.require(actor, permission, session)
    return session


def _stored_sittings(session: AssessmentSession) -> list[SittingData]:
    return [
        SittingData(s.method, s.date, s.starts_at, s.ends_at, s.room)
        for s in session.sittings.select_related("room")
    ]


def filing_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    """A draft is filed at least the lead time in working days before its first sitting."""
    if session.status != SessionStatus.DRAFT:
        return Refusal(_("Only a draft plan is filed."), "not_draft")
    latest = latest_filing_day(session.first_sitting_on)
    if clock.today() > latest:
        return Refusal(
            _(
                "A plan is filed at least %(days)s working days before its first sitting "
                "(%(first)s): the last day to file it was %(latest)s. Move the sittings later."
            )
            % {"days": lead_days(), "first": session.first_sitting_on, "latest": latest},
            "lead_time",
        )
    return None


def _target_status(session: AssessmentSession, today: dt.date) -> str:
    """Where a live plan stands on ``today``: filed, registration open, or closed."""
    if today > session.registration_closes:
        return SessionStatus.CLOSED
    if session.awaiting_answer or today < session.registration_opens:
        return SessionStatus.FILED
    return SessionStatus.OPEN


@transaction.atomic
def file_session(actor, session: AssessmentSession) -> AssessmentSession:
    """The agency files the plan with the authority of the site's province (Art 18: 备案, no
    approval). The plan is checked again as on the day it was planned; registration opens at
    once if the window has begun."""
    session = _locked(actor, session, "assessments.session.manage")
    refuse(filing_refusal(session, actor))
    problems = plan_problems(
        session.agency,
        venue=session.venue,
        occupation=session.occupation,
        work_type=session.work_type,
        level=session.level,
        capacity=session.capacity,
        sittings=_stored_sittings(session),
        basis=session.basis,
        exclude_session=session,
    )
    if problems:
        raise ValidationError([m for messages in problems.values() for m in messages])
    session.status = SessionStatus.FILED
    session.filed_at, session.filed_by = clock.now(), actor
    session.status = _target_status(session, clock.today())
    session.save(update_fields=["status", "filed_at", "filed_by"])
    _record(
        actor,
        "assessments.session.file",
        session,
        {"status": [SessionStatus.DRAFT, session.status]},
    )
    return session


def question_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    """Officials ask on a filed plan, before its first sitting, one open question at a time."""
    if session.status not in LIVE_STATUSES:
        return Refusal(_("Questions are asked on filed plans only."), "not_filed")
    if session.first_sitting_on <= clock.today():
        return Refusal(_("The sittings have begun."), "begun")
    if session.awaiting_answer:
        return Refusal(_("A question is already waiting for the agency's answer."), "open")
    return None


@transaction.atomic
def ask_question(actor, session: AssessmentSession, *, text: str) -> SessionQuestion:
    """An official of the site's province asks the agency a question on the plan (Art 18);
    registration waits until the agency answers."""
    session = _locked(actor, session, "assessments.session.review")
    refuse(question_refusal(session, actor))
    if not text.strip():
        raise ValidationError({"text": _("Write the question.")})
    question = SessionQuestion.objects.create(
        session=session, text=text.strip(), asked_by=actor, asked_at=clock.now()
    )
    before = session.status
    session.awaiting_answer = True
    session.status = _target_status(session, clock.today())
    session.save(update_fields=["awaiting_answer", "status"])
    _record(
        actor,
        "assessments.session.ask",
        session,
        {"question": [None, question.text], "status": [before, session.status]},
    )
    return question


def answer_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    if not session.awaiting_answer or session.status not in LIVE_STATUSES:
        return Refusal(_("No question is waiting for an answer."), "no_question")
    return None


@transaction.atomic
def answer_question(actor, session: AssessmentSession, *, answer: str) -> SessionQuestion:
    """The agency answers the open question; registration opens if its window has begun."""
    session = _locked(actor, session, "assessments.session.manage")
    refuse(answer_refusal(session, actor))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    question = SessionQuestion.objects.select_for_update().get(
        session=session, answered_at__isnull=True
    )
    question.answer, question.answered_by, question.answered_at = answer.strip(), actor, clock.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    before = session.status
    session.awaiting_answer = False
    session.status = _target_status(session, clock.today())
    session.save(update_fields=["awaiting_answer", "status"])
    _record(
        actor,
        "assessments.session.answer",
        session,
        {"answer": [None, question.answer], "status": [before, session.status]},
    )
    return question


def _ending_refusal(session: AssessmentSession, states) -> Refusal | None:
    if session.status not in states:
        return Refusal(_("This plan has already ended or is not filed."), "state")
    if session.first_sitting_on and session.first_sitting_on <= clock.today():
        return Refusal(_("The sittings have begun: the plan can no longer end here."), "begun")
    return None


def stop_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    """The authority stops a filed plan before its first sitting."""
    return _ending_refusal(session, LIVE_STATUSES)


def cancel_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    """The agency cancels a draft or a filed plan before its first sitting."""
    return _ending_refusal(session, (SessionStatus.DRAFT, *LIVE_STATUSES))


def _tell_candidates(session: AssessmentSession, subject: str, body: str) -> None:
    addresses = recipients(session)
    if addresses:
        messages = [(subject, body, None, [address]) for address in addresses]
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def _end(actor, session, status, reason: str) -> AssessmentSession:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan ends.")})
    before = session.status
    session.status, session.end_reason = status, reason.strip()
    session.ended_at, session.ended_by = clock.now(), actor
    session.awaiting_answer = False
    session.save(update_fields=["status", "end_reason", "ended_at", "ended_by", "awaiting_answer"])
    return before


@transaction.atomic
def stop_session(actor, session: AssessmentSession, *, reason: str) -> AssessmentSession:
    """The authority of the site's province stops a filed plan with a reason (Art 18, 24);
    its candidates are told by e-mail where an address is known."""
    session = _locked(actor, session, "assessments.session.review")
    refuse(stop_refusal(session, actor))
    before = _end(actor, session, SessionStatus.STOPPED, reason)
    _record(
        actor,
        "assessments.session.stop",
        session,
        {"status": [before, SessionStatus.STOPPED], "reason": [None, session.end_reason]},
    )
    _tell_candidates(
        session,
        _("Assessment session stopped: %(session)s") % {"session": _title(session)},
        _(
            "The authority stopped the assessment session %(session)s of %(agency)s planned for "
            "%(date)s. Reason: %(reason)s. The agency will tell you what happens next."
        )
        % _mail_values(session),
    )
    return session


@transaction.atomic
def cancel_session(actor, session: AssessmentSession, *, reason: str) -> AssessmentSession:
    """The agency cancels its plan with a reason before the first sitting; its candidates are
    told by e-mail where an address is known."""
    session = _locked(actor, session, "assessments.session.manage")
    refuse(cancel_refusal(session, actor))
    before = _end(actor, session, SessionStatus.CANCELLED, reason)
    _record(
        actor,
        "assessments.session.cancel",
        session,
        {"status": [before, SessionStatus.CANCELLED], "reason": [None, session.end_reason]},
    )
    if before != SessionStatus.DRAFT:
        _tell_candidates(
            session,
            _("Assessment session cancelled: %(session)s") % {"session": _title(session)},
            _(
                "%(agency)s cancelled the assessment session %(session)s planned for %(date)s. "
                "Reason: %(reason)s."
            )
            % _mail_values(session),
        )
    return session


def _title(session: AssessmentSession) -> str:
    work_type = f"（{session.work_type.name}）" if session.work_type_id else ""
    return f"{session.occupation.name}{work_type} {session.level.display}"


def _mail_values(session: AssessmentSession) -> dict:
    return {
        "session": _title(session),
        "agency": session.agency.name,
        "date": session.first_sitting_on,
        "reason": session.end_reason,
    }


def advance_sessions() -> int:
    """Periodic: filed plans whose window has begun open registration; open ones whose window
    has ended close it (one audit entry each). Safe to run twice."""
    today = clock.today()
    done = 0
    due = AssessmentSession.objects.filter(
        Q(status=SessionStatus.FILED, awaiting_answer=False, registration_opens__lte=today)
        | Q(status__in=[SessionStatus.FILED, SessionStatus.OPEN], registration_closes__lt=today)
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            session = (
                AssessmentSession.objects.select_for_update(of=("self",))
                .select_related("agency", "site")
                .get(pk=pk)
            )
            target = _target_status(session, today)
            if session.status not in (SessionStatus.FILED, SessionStatus.OPEN):
                continue
            if target == session.status:
                continue
            before, session.status = session.status, target
            session.save(update_fields=["status"])
            action = (
                "assessments.session.registration_open"
                if target == SessionStatus.OPEN
                else "assessments.session.registration_closed"
            )
            if action == "assessments.session.registration_open":
                _record(None, "assessments.session.registration_open", session,
                        {"status": [before, target]}, actor_label="system")  # fmt: skip
            else:
                _record(None, "assessments.session.registration_closed", session,
                        {"status": [before, target]}, actor_label="system")  # fmt: skip
            done += 1
    return done
