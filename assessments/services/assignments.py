"""Assignment (Art 19): the agency puts qualified examiners, invigilators, a review panel (one
of them the group leader, 考评组长) and at least one internal quality supervisor on a session,
in the numbers its frozen basis asks for per room and round (decision 0036); every assigned
person declares conflicts of interest before any candidate detail or score opens to them; a
person is never booked in two places at once. An assignment grants read access to that
session only (``portal.access.grant``), taken away when the last assignment there ends, when
the person leaves the agency and when the session is archived (``revoke_session_access``).

``open_for_review`` gives a reviewer from supervision read access to one session until a
date, through the same grant; ``expire_review_grants`` (a periodic job) takes it away again,
and the read rule refuses an expired grant even before the job ran (``grant_in_force``).

Every service: lock → access → state guard → validate → save with ``update_fields`` → one
audit entry."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import (
    KIND_FOR_METHOD,
    LIVE_STATUSES,
    SCORING_KINDS,
    AssessmentSession,
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    ConflictEntry,
    ConflictKind,
    ConflictSource,
    Engagement,
    Enrolment,
    EnrolmentStatus,
    Examiner,
    QualifiedPerson,
    QualitySupervisor,
    ReviewGrant,
    SessionStatus,
    Sitting,
)
from assessments.models.people import HIGHEST_RANK
from assessments.services.people import serving_refusal
from portal import access, audit, clock, codes
from portal.models import AgencyMembership, Audience, User
from portal.refusals import Refusal, refuse
from portal.roles import AgencyRole

GRANT = "view_assessmentsession"
#: Sessions whose staff may still change: filed and going ahead (a draft's sittings may move).
ASSIGNABLE = LIVE_STATUSES
ENDED = (SessionStatus.STOPPED, SessionStatus.CANCELLED)
#: The agency role a person's account must hold for each kind (Art 19: the agency's own people).
ROLE_FOR_KIND = {
    AssignmentKind.INVIGILATOR: AgencyRole.EXAMINER,
    AssignmentKind.EXAMINER: AgencyRole.EXAMINER,
    AssignmentKind.REVIEWER: AgencyRole.EXAMINER,
    AssignmentKind.SUPERVISOR: AgencyRole.QUALITY_SUPERVISOR,
}


# --- How many are needed (decision 0036) --------------------------------------------------------


def kind_for(sitting: Sitting) -> str:
    """Theory sittings take invigilators, review sittings a review panel, every other method
    (skill, work performance, process, competition) examiners."""
    return KIND_FOR_METHOD.get(sitting.method, AssignmentKind.EXAMINER)


def _odd_up(n: int) -> int:
    return n if n % 2 else n + 1


def _ratios(session: AssessmentSession) -> dict:
    ratios = (session.basis or {}).get("ratios") or {}
    return {
        "theory_candidates_per_invigilator": int(
            ratios.get("theory_candidates_per_invigilator") or 30
        ),
        "theory_min_invigilators_per_room": int(
            ratios.get("theory_min_invigilators_per_room") or 2
        ),
        "skill_candidates_per_examiner": int(ratios.get("skill_candidates_per_examiner") or 5),
        "skill_min_examiners": int(ratios.get("skill_min_examiners") or 3),
        "skill_examiners_odd": bool(ratios.get("skill_examiners_odd", True)),
        "review_panel_min": int(ratios.get("review_panel_min") or 3),
        "review_panel_odd": bool(ratios.get("review_panel_odd", True)),
    }


def required(kind: str, per_round: int, ratios: dict) -> tuple[int, bool]:
    """(how many, whether the number must be odd) for one room and round of ``per_round``."""
    if kind == AssignmentKind.INVIGILATOR:
        per = max(1, ratios["theory_candidates_per_invigilator"])
        return max(ratios["theory_min_invigilators_per_room"], math.ceil(per_round / per)), False
    if kind == AssignmentKind.REVIEWER:
        odd = ratios["review_panel_odd"]
        n = max(ratios["review_panel_min"], 1)
        return (_odd_up(n) if odd else n), odd
    per = max(1, ratios["skill_candidates_per_examiner"])
    odd = ratios["skill_examiners_odd"]
    n = max(ratios["skill_min_examiners"], math.ceil(per_round / per), 1)
    return (_odd_up(n) if odd else n), odd


@dataclass
class Need:
    """What one sitting (or, for the internal quality supervisor, the session) needs of one
    kind, and how far the active assignments go."""

    sitting: Sitting | None
    kind: str
    needed: int
    assigned: int
    odd: bool = False
    enrolled: int = 0
    per_round: int = 0
    leader_needed: bool = False
    has_leader: bool = False
    assignments: list = field(default_factory=list)

    @property
    def missing(self) -> int:
        """How many more to assign: the shortfall, or one more to make an even count odd."""
        if self.assigned < self.needed:
            return self.needed - self.assigned
        return 1 if self.odd and self.assigned % 2 == 0 else 0

    @property
    def uneven(self) -> bool:
        return self.odd and self.assigned >= self.needed and self.assigned % 2 == 0

    @property
    def leader_missing(self) -> bool:
        return self.leader_needed and not self.has_leader

    @property
    def complete(self) -> bool:
        return self.missing == 0 and not self.leader_missing

    @property
    def kind_label(self) -> str:
        return AssignmentKind(self.kind).label


def enrolled_count(session: AssessmentSession) -> int:
    return Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED).count()


def staffing(session: AssessmentSession) -> list[Need]:
    """Per sitting the people its kind needs (candidates per round = ceil(enrolled / rounds),
    decision 0036) and one internal quality supervisor for the session (Art 19)."""
    ratios = _ratios(session)
    enrolled = enrolled_count(session)
    active = list(
        Assignment.objects.filter(session=session, status=AssignmentStatus.ACTIVE).select_related(
            "examiner", "supervisor", "user"
        )
    )
    needs = []
    for sitting in Sitting.objects.filter(session=session).select_related("room"):
        kind = kind_for(sitting)
        per_round = math.ceil(enrolled / max(1, sitting.rounds or 1))
        needed, odd = required(kind, per_round, ratios)
        mine = [a for a in active if a.sitting_id == sitting.pk]
        needs.append(
            Need(
                sitting=sitting,
                kind=kind,
                needed=needed,
                assigned=len(mine),
                odd=odd,
                enrolled=enrolled,
                per_round=per_round,
                leader_needed=kind in SCORING_KINDS,
                has_leader=any(a.is_leader for a in mine),
                assignments=mine,
            )
        )
    needs.sort(key=lambda n: (n.sitting.date, n.sitting.starts_at))
    supervisors = [a for a in active if a.kind == AssignmentKind.SUPERVISOR]
    needs.append(
        Need(
            sitting=None,
            kind=AssignmentKind.SUPERVISOR,
            needed=1,
            assigned=len(supervisors),
            enrolled=enrolled,
            assignments=supervisors,
        )
    )
    return needs


def staffing_complete(session: AssessmentSession) -> bool:
    """Every sitting fully staffed with its leader, and a supervisor: what tickets may wait for."""
    return all(need.complete for need in staffing(session))


# --- Assigning ------------------------------------------------------------------------------


def _record(actor, action: str, assignment: Assignment, changes: dict) -> None:
    session = assignment.session
    audit.record(
        actor,
        action,
        assignment,
        changes,
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
    )


def _locked_session(actor, session: AssessmentSession) -> AssessmentSession:
    session = (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("agency", "site", "occupation", "level")
        .get(pk=session.pk)
    )
    access.require(actor, "assessments.session.manage", session)
    return session


def staffing_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    """Staff change while the plan is filed and going ahead."""
    if session.status not in ASSIGNABLE:
        return Refusal(
            _("Staff are assigned to filed sessions that are going ahead."), "wrong_state"
        )
    return None


def _slots(assignment_or_sitting) -> list[tuple[dt.date, dt.time, dt.time]]:
    """When a person is busy: the sitting's time, or every sitting of the session for the
    internal quality supervisor (who follows the whole session)."""
    if isinstance(assignment_or_sitting, Sitting):
        s = assignment_or_sitting
        return [(s.date, s.starts_at, s.ends_at)]
    session = assignment_or_sitting
    return [(s.date, s.starts_at, s.ends_at) for s in Sitting.objects.filter(session=session)]


def _clash(user, slots, *, exclude_session_kind=None) -> Assignment | None:
    """Another active assignment of ``user`` (any agency) at an overlapping time."""
    if not slots:
        return None
    others = (
        Assignment.objects.filter(user=user, status=AssignmentStatus.ACTIVE)
        .exclude(session__status__in=[*ENDED, SessionStatus.ARCHIVED])
        .select_related("sitting", "session__agency")
    )
    dates = {d for d, _s, _e in slots}
    for other in others:
        if other.sitting_id:
            theirs = [(other.sitting.date, other.sitting.starts_at, other.sitting.ends_at)]
        else:
            theirs = [
                (s.date, s.starts_at, s.ends_at)
                for s in Sitting.objects.filter(session_id=other.session_id, date__in=dates)
            ]
        for d, start, end in slots:
            for od, ostart, oend in theirs:
                if d == od and start < oend and ostart < end:
                    return other
    return None


def _person_problems(
    session: AssessmentSession, kind: str, person: QualifiedPerson | None, dates: list[dt.date]
) -> str | None:
    """Why ``person`` may not take ``kind`` in ``session`` (None: they may)."""
    if person is None:
        return _("Choose a person.")
    wanted = QualitySupervisor if kind == AssignmentKind.SUPERVISOR else Examiner
    if not isinstance(person, wanted):
        return (
            _("The internal quality supervisor must be a recorded quality supervisor.")
            if kind == AssignmentKind.SUPERVISOR
            else _("Examiners, invigilators and reviewers must be recorded examiners.")
        )
    field_name = "supervisor" if kind == AssignmentKind.SUPERVISOR else "examiner"
    if not Engagement.objects.filter(
        agency=session.agency, retired_on__isnull=True, **{field_name: person}
    ).exists():
        return _("This person is not among the agency's examiners and supervisors.")
    if person.user_id is None:
        return _("This person has no sign-in account and cannot declare conflicts.")
    role = ROLE_FOR_KIND[kind]
    if not AgencyMembership.objects.filter(
        user_id=person.user_id, agency=session.agency, role=role
    ).exists():
        return _("The person's account is not a member of the agency with the role %(role)s.") % {
            "role": AgencyRole(role).label
        }
    if isinstance(person, Examiner) and session.level.rank > HIGHEST_RANK.get(person.grade, 0):
        return _(
            "An assessor (考评员) assesses levels 5 to 3 only; this level needs a senior assessor."
        )
    for day in dates:
        refusal = serving_refusal(
            person, on=day, occupation=session.occupation, level=session.level
        )
        if refusal:
            return refusal
    return None


@transaction.atomic
def assign(
    actor, target: Sitting | AssessmentSession, *, kind: str, person, is_leader: bool = False
) -> Assignment:
    """Put ``person`` on a sitting (examiner, invigilator, reviewer) or on the session (the
    internal quality supervisor), Art 19: an engaged, qualified member of the agency, not
    booked elsewhere at the same time; the assignment grants read access to the session."""
    sitting = target if isinstance(target, Sitting) else None
    session = _locked_session(actor, sitting.session if sitting else target)
    refuse(staffing_refusal(session, actor))
    errors: dict[str, list[str]] = {}
    if kind not in AssignmentKind.values:
        raise ValidationError({"kind": _("Choose the kind of assignment.")})
    if kind == AssignmentKind.SUPERVISOR:
        if sitting is not None:
            raise ValidationError(
                {"kind": _("The internal quality supervisor is assigned to the whole session.")}
            )
        dates = sorted(set(Sitting.objects.filter(session=session).values_list("date", flat=True)))
        slots = _slots(session)
    else:
        if sitting is None:
            raise ValidationError({"kind": _("Choose the sitting.")})
        if kind != kind_for(sitting):
            raise ValidationError(
                {
                    "kind": _("This sitting takes: %(kind)s.")
                    % {"kind": AssignmentKind(kind_for(sitting)).label}
                }
            )
        dates = [sitting.date]
        slots = _slots(sitting)
    problem = _person_problems(session, kind, person, dates)
    if problem:
        raise ValidationError({"person": problem})
    # One person at a time: two agencies assigning the same account wait for each other, so
    # the double-booking check below sees the other's assignment.
    User.objects.select_for_update().filter(pk=person.user_id).first()
    field_name = "supervisor" if kind == AssignmentKind.SUPERVISOR else "examiner"
    same = Assignment.objects.filter(status=AssignmentStatus.ACTIVE, **{field_name: person})
    same = same.filter(session=session) if sitting is None else same.filter(sitting=sitting)
    if same.exists():
        errors["person"] = [_("This person is already assigned here.")]
    clash = _clash(person.user, slots)
    if clash is not None and not errors:
        errors["person"] = [
            _("Booked at the same time elsewhere: %(session)s (%(agency)s).")
            % {"session": clash.session, "agency": clash.session.agency.name}
        ]
    if is_leader:
        if kind not in SCORING_KINDS:
            errors["is_leader"] = [
                _("The group leader is one of the examiners or reviewers of a scoring sitting.")
            ]
        elif Assignment.objects.filter(
            sitting=sitting, status=AssignmentStatus.ACTIVE, is_leader=True
        ).exists():
            errors["is_leader"] = [_("This sitting already has a group leader.")]
    if errors:
        raise ValidationError(errors)
    assignment = Assignment.objects.create(
        session=session,
        sitting=sitting,
        kind=kind,
        user=person.user,
        is_leader=is_leader,
        assigned_by=actor,
        assigned_at=clock.now(),
        **{field_name: person},
    )
    access.grant(person.user, GRANT, session)
    _record(
        actor,
        "assessments.assignment.add",
        assignment,
        {
            "person": [None, person.real_name],
            "kind": [None, kind],
            "sitting": [None, str(sitting) if sitting else None],
            "is_leader": [None, is_leader],
        },
    )
    return assignment


def _locked_assignment(actor, assignment: Assignment, permission: str) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("session__agency", "session__site", "sitting", "examiner", "supervisor")
        .get(pk=assignment.pk)
    )
    access.require(actor, permission, assignment.session)
    return assignment


def _release(assignment: Assignment) -> None:
    """Take the grant away when nothing else holds it: no other active assignment of the
    person in the session and no review grant in force."""
    others = Assignment.objects.filter(
        session_id=assignment.session_id, user_id=assignment.user_id, status=AssignmentStatus.ACTIVE
    ).exclude(pk=assignment.pk)
    reviewing = ReviewGrant.objects.filter(
        session_id=assignment.session_id,
        user_id=assignment.user_id,
        revoked_at__isnull=True,
        until__gte=clock.today(),
    )
    if not others.exists() and not reviewing.exists():
        access.revoke(assignment.user, GRANT, assignment.session)
    _rescore(assignment)


def _rescore(assignment: Assignment) -> None:
    """An examiner who leaves a scoring sitting, or declares a conflict, is no longer expected
    to mark those candidates: the scores of the marks already submitted by the others are made
    now rather than at the next submission (decision 0038)."""
    if assignment.sitting_id and assignment.kind in SCORING_KINDS:
        from assessments.services.scores import make_mark_scores

        make_mark_scores(assignment.sitting)


def removal_refusal(assignment: Assignment, actor=None) -> Refusal | None:
    if not assignment.is_active:
        return Refusal(_("This assignment has already ended."), "wrong_state")
    return staffing_refusal(assignment.session, actor)


@transaction.atomic
def remove_assignment(actor, assignment: Assignment, *, reason: str) -> Assignment:
    """The agency takes a person off a sitting or the session, with a reason (Art 19)."""
    assignment = _locked_assignment(actor, assignment, "assessments.session.manage")
    refuse(removal_refusal(assignment, actor))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("State the reason.")})
    assignment.status = AssignmentStatus.REMOVED
    assignment.ended_at = clock.now()
    assignment.end_reason = reason
    was_leader, assignment.is_leader = assignment.is_leader, False
    assignment.save(update_fields=["status", "ended_at", "end_reason", "is_leader"])
    _release(assignment)
    _record(
        actor,
        "assessments.assignment.remove",
        assignment,
        {
            "person": [assignment.person.real_name, None],
            "is_leader": [was_leader, False],
            "reason": [None, reason],
        },
    )
    return assignment


def leader_refusal(assignment: Assignment, actor=None) -> Refusal | None:
    if not assignment.is_active:
        return Refusal(_("This assignment has already ended."), "wrong_state")
    if assignment.kind not in SCORING_KINDS:
        return Refusal(
            _("The group leader is one of the examiners or reviewers of a scoring sitting."),
            "not_scoring",
        )
    if assignment.is_leader:
        return Refusal(_("This person is already the group leader."), "wrong_state")
    return staffing_refusal(assignment.session, actor)


@transaction.atomic
def set_leader(actor, assignment: Assignment) -> Assignment:
    """Make this examiner or reviewer the group leader (考评组长) of their sitting; the former
    leader stays on as a member."""
    assignment = _locked_assignment(actor, assignment, "assessments.session.manage")
    refuse(leader_refusal(assignment, actor))
    former = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(sitting_id=assignment.sitting_id, status=AssignmentStatus.ACTIVE, is_leader=True)
        .select_related("examiner")
        .first()
    )
    if former is not None:
        former.is_leader = False
        former.save(update_fields=["is_leader"])
    assignment.is_leader = True
    assignment.save(update_fields=["is_leader"])
    _record(
        actor,
        "assessments.assignment.leader",
        assignment,
        {"leader": [former.person.real_name if former else None, assignment.person.real_name]},
    )
    return assignment


def rounds_refusal(sitting: Sitting, actor=None) -> Refusal | None:
    """The rounds of a skill sitting are set before tickets exist (they fix the seats)."""
    if kind_for(sitting) != AssignmentKind.EXAMINER:
        return Refusal(_("Only skill sittings are held in rounds."), "not_skill")
    from assessments.models import Ticket

    if Ticket.objects.filter(enrolment__session_id=sitting.session_id).exists():
        return Refusal(_("Tickets exist: the rounds can no longer change."), "ticketed")
    return staffing_refusal(sitting.session, actor)


@transaction.atomic
def set_rounds(actor, sitting: Sitting, *, rounds: int) -> Sitting:
    """The agency examines a skill sitting in ``rounds`` rounds (batches of candidates one
    after the other): the examiners needed are those of one round (decision 0036)."""
    sitting = Sitting.objects.select_for_update().select_related("session").get(pk=sitting.pk)
    session = _locked_session(actor, sitting.session)
    sitting.session = session
    refuse(rounds_refusal(sitting, actor))
    if not isinstance(rounds, int) or not 1 <= rounds <= 100:
        raise ValidationError({"rounds": _("Enter a number of rounds from 1 to 100.")})
    old, sitting.rounds = sitting.rounds, rounds
    sitting.save(update_fields=["rounds"])
    audit.record(
        actor,
        "assessments.sitting.rounds",
        session,
        {"sitting": [str(sitting), str(sitting)], "rounds": [old, rounds]},
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
    )
    return sitting


# --- Conflict declaration -------------------------------------------------------------------

DECLARABLE = (
    ConflictKind.RELATIVE,
    ConflictKind.DEPARTMENT,
    ConflictKind.TRAINEE,
    ConflictKind.OTHER,
)


def candidates_to_declare(assignment: Assignment):
    """The enrolled candidates the person declares on: names and employers, IDs masked."""
    return (
        Enrolment.objects.filter(session_id=assignment.session_id, status=EnrolmentStatus.ENROLLED)
        .select_related("candidate")
        .order_by("real_name", "pk")
    )


def found_conflicts(assignment: Assignment, employer_uscc: str) -> dict[int, str]:
    """Conflicts the portal finds itself: the candidate is the person (same ID blind index),
    or the same employer when that employer is not the agency itself (Art 16)."""
    person = assignment.person
    found: dict[int, str] = {}
    enrolments = candidates_to_declare(assignment)
    for enrolment in enrolments.filter(candidate__id_index=person.id_index):
        found[enrolment.pk] = ConflictKind.SELF
    agency_uscc = assignment.session.agency.uscc
    if employer_uscc and employer_uscc != agency_uscc:
        from django.db.models import Q

        same = enrolments.filter(Q(employer_uscc=employer_uscc) | Q(work_unit_uscc=employer_uscc))
        for pk in same.values_list("pk", flat=True):
            found.setdefault(pk, ConflictKind.EMPLOYER)
    return found


def declaration_refusal(assignment: Assignment, actor=None) -> Refusal | None:
    if actor is not None and assignment.user_id != getattr(actor, "pk", None):
        return Refusal(_("Only the assigned person declares their conflicts."), "not_yours")
    if not assignment.is_active:
        return Refusal(_("This assignment has ended."), "wrong_state")
    if assignment.session.status in (*ENDED, SessionStatus.ARCHIVED):
        return Refusal(_("The session has ended."), "wrong_state")
    return None


@transaction.atomic
def declare_conflicts(
    actor,
    assignment: Assignment,
    *,
    employer_name: str,
    employer_uscc: str,
    conflicts: dict[int, tuple[str, str]] | None = None,
    stand_aside: bool = False,
    reason: str = "",
) -> Assignment:
    """The assigned person declares (Art 19 avoidance): their employer, and per candidate a
    relative, the same department or reporting line, a trainee or another interest (with a
    note). The portal adds what it finds itself. A declared conflict takes them off that
    candidate; standing aside takes them off the sitting. A later declaration only adds."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("session__agency", "session__site", "sitting", "examiner", "supervisor")
        .get(pk=assignment.pk)
    )
    refuse(declaration_refusal(assignment, actor))
    conflicts = conflicts or {}
    errors: dict[str, list[str]] = {}
    employer_name = (employer_name or "").strip()
    employer_uscc = codes.normalize_code(employer_uscc or "") if employer_uscc else ""
    if not employer_name:
        errors["employer_name"] = [_("Enter your employer (the unit you work for).")]
    if employer_uscc:
        if problem := codes.uscc_problem(employer_uscc):
            errors["employer_uscc"] = [problem]
    else:
        errors["employer_uscc"] = [_("Enter your employer's unified social credit code.")]
    valid_ids = set(candidates_to_declare(assignment).values_list("pk", flat=True))
    for enrolment_id, (kind, note) in conflicts.items():
        if enrolment_id not in valid_ids:
            errors.setdefault("conflicts", []).append(_("A candidate of another session."))
        elif kind not in DECLARABLE:
            errors[f"kind_{enrolment_id}"] = [_("Choose the kind of conflict.")]
        elif kind == ConflictKind.OTHER and not (note or "").strip():
            errors[f"note_{enrolment_id}"] = [_("Describe the interest.")]
    if stand_aside and not (reason or "").strip():
        errors["reason"] = [_("State why you stand aside.")]
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    existing = set(assignment.conflicts.values_list("enrolment_id", flat=True))
    rows = []
    for enrolment_id, kind in found_conflicts(assignment, employer_uscc).items():
        if enrolment_id not in existing:
            rows.append(
                ConflictEntry(
                    assignment=assignment,
                    enrolment_id=enrolment_id,
                    kind=kind,
                    source=ConflictSource.FOUND,
                    recorded_at=now,
                )
            )
            existing.add(enrolment_id)
    for enrolment_id, (kind, note) in conflicts.items():
        if enrolment_id not in existing:
            rows.append(
                ConflictEntry(
                    assignment=assignment,
                    enrolment_id=enrolment_id,
                    kind=kind,
                    source=ConflictSource.DECLARED,
                    note=(note or "").strip()[:300],
                    recorded_at=now,
                )
            )
            existing.add(enrolment_id)
    ConflictEntry.objects.bulk_create(rows)
    first = assignment.declared_at is None
    assignment.declared_at = assignment.declared_at or now
    assignment.employer_name = employer_name
    assignment.employer_uscc = employer_uscc
    fields = ["declared_at", "employer_name", "employer_uscc"]
    if stand_aside:
        assignment.status = AssignmentStatus.STOOD_ASIDE
        assignment.ended_at = now
        assignment.end_reason = reason.strip()
        assignment.is_leader = False
        fields += ["status", "ended_at", "end_reason", "is_leader"]
    assignment.save(update_fields=fields)
    if stand_aside:
        _release(assignment)
    elif rows:
        _rescore(assignment)
    _record(
        actor,
        "assessments.assignment.stand_aside" if stand_aside else "assessments.assignment.declare",
        assignment,
        {
            "declared": [not first, True],
            "conflicts_declared": [None, sum(1 for r in rows if r.source == "declared")],
            "conflicts_found": [None, sum(1 for r in rows if r.source == "found")],
            "employer": [None, employer_name],
        },
    )
    return assignment


@transaction.atomic
def refresh_found_conflicts(session: AssessmentSession) -> int:
    """Record the conflicts the portal finds for candidates enrolled after a person declared
    (the same ID, the same employer not the agency): the tickets piece calls this when it
    allocates seats, after registration closed. Idempotent; the number of rows added."""
    now = clock.now()
    rows = []
    for assignment in (
        Assignment.objects.select_for_update(of=("self",))
        .filter(session=session, status=AssignmentStatus.ACTIVE, declared_at__isnull=False)
        .select_related("session__agency", "examiner", "supervisor")
    ):
        existing = set(assignment.conflicts.values_list("enrolment_id", flat=True))
        for enrolment_id, kind in found_conflicts(assignment, assignment.employer_uscc).items():
            if enrolment_id not in existing:
                rows.append(
                    ConflictEntry(
                        assignment=assignment,
                        enrolment_id=enrolment_id,
                        kind=kind,
                        source=ConflictSource.FOUND,
                        recorded_at=now,
                    )
                )
    ConflictEntry.objects.bulk_create(rows)
    return len(rows)


# --- Ending access ----------------------------------------------------------------------------


def revoke_session_access(session: AssessmentSession) -> int:
    """Take away every assignment grant of the session (the archive calls this when the
    session is archived); reviewers' grants in force stay until their date. The count."""
    users = {a.user for a in Assignment.objects.filter(session=session).select_related("user")}
    reviewing = set(
        ReviewGrant.objects.filter(
            session=session, revoked_at__isnull=True, until__gte=clock.today()
        ).values_list("user_id", flat=True)
    )
    count = 0
    for user in users:
        if user.pk not in reviewing:
            access.revoke(user, GRANT, session)
            count += 1
    return count


def end_for_departed_member(membership, actor=None) -> int:
    """A person removed from the agency (or from its examiner or supervisor role) loses
    their assignments there that the role carried, and with them the grants (Art 19)."""
    kinds = [k for k, role in ROLE_FOR_KIND.items() if role == membership.role]
    if not kinds:
        return 0
    still = AgencyMembership.objects.filter(
        user_id=membership.user_id, agency_id=membership.agency_id, role=membership.role
    ).exclude(pk=membership.pk)
    if still.exists():
        return 0
    ending = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(
            user_id=membership.user_id,
            session__agency_id=membership.agency_id,
            status=AssignmentStatus.ACTIVE,
            kind__in=kinds,
        )
        .select_related("session__agency", "session__site", "user", "examiner", "supervisor")
    )
    now = clock.now()
    for assignment in ending:
        assignment.status = AssignmentStatus.REMOVED
        assignment.ended_at = now
        assignment.end_reason = _("Removed from the agency.")
        assignment.is_leader = False
        assignment.save(update_fields=["status", "ended_at", "end_reason", "is_leader"])
        _release(assignment)
    if ending:
        audit.record(
            actor,
            "assessments.assignment.member_removed",
            ending[0].session.agency,
            {"person": [ending[0].person.real_name, None], "assignments": [len(ending), 0]},
            objects=ending,
            agency=ending[0].session.agency,
            audience=Audience.AGENCY,
            actor_label=None if actor else "system",
        )
    return len(ending)


def on_member_removed(sender, membership, actor=None, **kwargs) -> None:
    """Receiver of ``portal.signals.member_removed``."""
    end_for_departed_member(membership, actor)


# --- Review access for supervision ---------------------------------------------------------


@transaction.atomic
def open_for_review(
    session: AssessmentSession, user, until: dt.date, *, granted_by: str = "supervision"
) -> ReviewGrant:
    """Read access to one session's records for a reviewer from supervision (an inspector or
    an external supervisor) until ``until`` (Art 21, 24); supervision calls this and never
    reaches into assessments' rules. An open grant of the same reviewer is extended."""
    if until < clock.today():
        raise ValidationError({"until": _("The date has passed.")})
    session = AssessmentSession.objects.select_related("agency", "site").get(pk=session.pk)
    grant = (
        ReviewGrant.objects.select_for_update()
        .filter(session=session, user=user, revoked_at__isnull=True)
        .first()
    )
    old = grant.until if grant else None
    if grant is None:
        grant = ReviewGrant.objects.create(
            session=session, user=user, until=until, granted_by=granted_by, granted_at=clock.now()
        )
    elif until > grant.until:
        grant.until = until
        grant.save(update_fields=["until"])
    access.grant(user, GRANT, session)
    audit.record(
        None,
        "assessments.session.review_opened",
        session,
        {"reviewer": [None, user.username], "until": [old and old.isoformat(), until.isoformat()]},
        agency=session.agency,
        province=session.site.province_id,
        actor_label=granted_by,
    )
    return grant


def _has_active_assignment(user, session) -> bool:
    return Assignment.objects.filter(
        user=user, session=session, status=AssignmentStatus.ACTIVE
    ).exists()


def expire_review_grants() -> int:
    """Periodic job: take away review grants whose date has passed (unless an assignment or
    another grant in force holds the same access). The number ended."""
    today = clock.today()
    count = 0
    for grant in ReviewGrant.objects.filter(
        revoked_at__isnull=True, until__lt=today
    ).select_related("user", "session"):
        with transaction.atomic():
            grant.revoked_at = clock.now()
            grant.save(update_fields=["revoked_at"])
            other = ReviewGrant.objects.filter(
                session=grant.session, user=grant.user, revoked_at__isnull=True, until__gte=today
            ).exists()
            if not other and not _has_active_assignment(grant.user, grant.session):
                access.revoke(grant.user, GRANT, grant.session)
            count += 1
    return count


def grant_in_force(user, session) -> bool:
    """The read rule's test of a grant: held through an active assignment, or through a review
    grant whose date has not passed (an expired one refuses even before the job ran)."""
    if _has_active_assignment(user, session):
        return True
    return ReviewGrant.objects.filter(
        session=session, user=user, revoked_at__isnull=True, until__gte=clock.today()
    ).exists()
