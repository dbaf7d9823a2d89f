"""Scores and the pass rule (Art 18, 20; decision 0038).

Skill and review sittings: every assigned examiner (or review panel member) who declared their
conflicts enters their own ``Mark`` for each present candidate they may see, out of the
method's full marks, without seeing the others' marks, and submits them (then locked for them).
When every active examiner of the sitting (less those with a conflict with the candidate) has
submitted, the method score is the arithmetic mean of the marks, rounded half up to one
decimal; every mark is kept. Marks further apart than ``SKILL_MARK_TOLERANCE`` points (highest
minus lowest) flag the score: the group leader (考评组长) settles it with a reason.

Theory: two different staff members each enter the scores (a spreadsheet of ticket number or
ID number and score, or typed); where the two entries disagree the mismatches are listed and
one entry is corrected before the sheet is accepted; acceptance makes the scores.

The agency submits a method's scores (locked). A locked score changes only through a
``ScoreCorrection`` with a reason that the session's internal quality supervisor confirms
(applied and audited with before and after) or refuses with a reason.

``compute_results`` applies the pass rule (``outcome_of``, a pure function) to every enrolled
candidate. Every service: lock → access → state guard → validate → save → audit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import (
    SCORING_KINDS,
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
    Mark,
    MethodScore,
    Result,
    ResultOutcome,
    ResultStatus,
    ScoreCorrection,
    ScoreSource,
    Sitting,
    TheoryEntry,
    TheorySheet,
    Ticket,
)
from portal import access, audit, clock, documents, pii, spreadsheets
from portal.models import Audience
from portal.refusals import Refusal, refuse

ONE_PLACE = Decimal("0.1")
THEORY = "theory"
TICKET_HEADER = "准考证号"
ID_HEADER = "证件号码"
SCORE_HEADER = "成绩"
MAX_THEORY_ROWS = 20000
NUMERIC_ID = "请将证件号码列设为文本"


def tolerance() -> Decimal:
    """``SKILL_MARK_TOLERANCE``: the largest allowed spread (highest minus lowest mark)."""
    return Decimal(str(settings.SKILL_MARK_TOLERANCE))


# --- The pass rule (pure) ----------------------------------------------------------------------


def mean_of(values: Iterable[Decimal]) -> Decimal:
    """The arithmetic mean of the marks, rounded half up to one decimal (decision 0038)."""
    values = [Decimal(v) for v in values]
    return (sum(values) / len(values)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def too_far_apart(values: Iterable[Decimal]) -> bool:
    values = [Decimal(v) for v in values]
    return bool(values) and max(values) - min(values) > tolerance()


def outcome_of(
    methods: list[dict],
    scores: Mapping[str, Decimal | None],
    *,
    absent: bool = False,
    decisions: Iterable[str] = (),
) -> str | None:
    """The pass rule (Art 18, 20) for one candidate; None when the result is withheld.

    ``methods``: the basis's methods (``method``, ``pass_mark``, ``full_marks``); ``scores``:
    the candidate's locked score per method; ``absent``: absent from a required sitting;
    ``decisions``: the decisions of the incidents concerning them ("" while undecided).
    An undecided incident withholds the result; disqualified, then void, then absent win over
    the scores; PASSED when every method has a score at or above its pass mark."""
    decisions = list(decisions)
    if any(d == "" for d in decisions):
        return None
    if IncidentDecision.DISQUALIFIED in decisions:
        return ResultOutcome.DISQUALIFIED
    if IncidentDecision.VOID in decisions:
        return ResultOutcome.VOID
    if absent:
        return ResultOutcome.ABSENT
    for method in methods:
        value = scores.get(method["method"])
        if value is None or Decimal(value) < Decimal(str(method["pass_mark"])):
            return ResultOutcome.FAILED
    return ResultOutcome.PASSED


# --- Reading the session -----------------------------------------------------------------------


def methods_of(session: AssessmentSession) -> dict[str, dict]:
    return {m["method"]: m for m in session.basis.get("methods", [])}


def full_marks(sitting: Sitting) -> Decimal:
    method = methods_of(sitting.session).get(sitting.method)
    return Decimal(str(method["full_marks"])) if method else Decimal(100)


def label_of(session: AssessmentSession, method: str) -> str:
    return methods_of(session).get(method, {}).get("label", method)


def enrolled(session: AssessmentSession):
    return Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)


def absent_ids(sitting: Sitting) -> set[int]:
    return set(
        Attendance.objects.filter(sitting=sitting, status=AttendanceStatus.ABSENT).values_list(
            "enrolment_id", flat=True
        )
    )


def excluded_ids(session: AssessmentSession) -> set[int]:
    """Candidates whose outcome does not depend on scores: a decided void or disqualifying
    incident (their scores are not needed)."""
    return set(
        Incident.objects.filter(
            sitting__session=session,
            enrolment__isnull=False,
            decision__in=[IncidentDecision.VOID, IncidentDecision.DISQUALIFIED],
        ).values_list("enrolment_id", flat=True)
    )


def to_score(sitting: Sitting) -> list[Enrolment]:
    """The candidates of the sitting who get a score: enrolled and not absent."""
    absent = absent_ids(sitting)
    return [
        e
        for e in enrolled(sitting.session).select_related("candidate").order_by("pk")
        if e.pk not in absent
    ]


def scorers(sitting: Sitting) -> list[Assignment]:
    """The active examiners (or review panel) of a scoring sitting."""
    return list(
        Assignment.objects.filter(
            sitting=sitting, kind__in=list(SCORING_KINDS), status=AssignmentStatus.ACTIVE
        )
        .select_related("examiner", "user")
        .prefetch_related("conflicts")
        .order_by("pk")
    )


def _record(actor, action: str, obj, session: AssessmentSession, changes: dict, **kw) -> None:
    audit.record(
        actor,
        action,
        obj,
        changes,
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
        **kw,
    )


def _locked_session(actor, session: AssessmentSession, permission: str) -> AssessmentSession:
    session = (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("agency", "site")
        .get(pk=session.pk)
    )
    access.require(actor, permission, session)
    return session


def _value(raw, top: Decimal) -> Decimal:
    """A mark or score: a number from 0 to the full marks, at most one decimal."""
    if isinstance(raw, float):
        raw = repr(raw)
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number such as 78 or 78.5."), code="number") from None
    if not value.is_finite():
        raise ValidationError(_("Enter a number such as 78 or 78.5."), code="number")
    if value < 0 or value > top:
        raise ValidationError(
            _("Enter a score from 0 to %(top)s.") % {"top": _plain(top)}, code="range"
        )
    if value != value.quantize(ONE_PLACE):
        raise ValidationError(_("At most one decimal."), code="decimals")
    return value.quantize(ONE_PLACE)


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


# --- Skill and review marks (Art 19) -----------------------------------------------------------


def marking_refusal(assignment: Assignment | None) -> Refusal | None:
    if assignment is None:
        return Refusal(_("You are not assigned to score this sitting."), "not_assigned")
    if not assignment.has_declared:
        return Refusal(
            _("Declare your conflicts of interest first: the candidates open after that."),
            "not_declared",
        )
    if assignment.sitting.method == THEORY:
        return Refusal(_("Theory is scored by double entry, not by marks."), "theory")
    if Mark.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
        return Refusal(_("You have submitted your marks: they are locked."), "submitted")
    return None


def my_candidates(assignment: Assignment) -> list[Enrolment]:
    """What the examiner marks: present candidates less those they have a conflict with."""
    from assessments import queries

    hidden = queries.conflicted_enrolment_ids(assignment)
    return [e for e in to_score(assignment.sitting) if e.pk not in hidden]


def _assignment(actor, sitting: Sitting) -> Assignment:
    from assessments import queries

    assignment = queries.assignment_on(actor, sitting, kinds=SCORING_KINDS, declared=False)
    if assignment is None:
        raise PermissionDenied("assessments.marks")
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("sitting__session__agency", "sitting__session__site")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def save_marks(actor, sitting: Sitting, values: Mapping[int, object]) -> int:
    """An examiner enters (or changes) their own marks before submitting them (Art 19).
    ``values``: {enrolment id: mark}; an empty value is left unmarked. Every error is reported
    at its candidate and nothing is saved. Returns how many marks were saved."""
    assignment = _assignment(actor, sitting)
    refuse(marking_refusal(assignment))
    top = full_marks(sitting)
    allowed = {e.pk for e in my_candidates(assignment)}
    errors, clean = {}, {}
    for pk, raw in values.items():
        if raw in ("", None):
            continue
        if pk not in allowed:
            errors[f"mark_{pk}"] = [_("Not one of the candidates you mark.")]
            continue
        try:
            clean[pk] = _value(raw, top)
        except ValidationError as exc:
            errors[f"mark_{pk}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    existing = {m.enrolment_id: m for m in Mark.objects.filter(assignment=assignment)}
    new, changed = [], []
    for pk, value in clean.items():
        mark = existing.get(pk)
        if mark is None:
            new.append(Mark(assignment=assignment, enrolment_id=pk, value=value, entered_at=now))
        elif mark.value != value:
            mark.value, mark.entered_at = value, now
            changed.append(mark)
    Mark.objects.bulk_create(new)
    Mark.objects.bulk_update(changed, ["value", "entered_at"])
    if new or changed:
        _record(
            actor,
            "assessments.marks.save",
            sitting,
            sitting.session,
            {"marks": [None, len(new) + len(changed)], "method": [None, sitting.method]},
        )
    return len(new) + len(changed)


@transaction.atomic
def submit_marks(actor, sitting: Sitting) -> int:
    """The examiner submits their marks, one for every candidate they mark; they are then
    locked for them. Scores are made for the candidates every examiner has now marked."""
    assignment = _assignment(actor, sitting)
    refuse(marking_refusal(assignment))
    mine = {m.enrolment_id: m for m in Mark.objects.filter(assignment=assignment)}
    missing = [e for e in my_candidates(assignment) if e.pk not in mine]
    if missing:
        raise ValidationError(
            _("Mark every candidate before submitting: %(count)d without a mark (%(names)s).")
            % {"count": len(missing), "names": "、".join(e.real_name for e in missing[:5])},
            code="missing",
        )
    now = clock.now()
    Mark.objects.filter(assignment=assignment).update(submitted_at=now)
    _record(
        actor,
        "assessments.marks.submit",
        sitting,
        sitting.session,
        {"marks": [None, len(mine)], "method": [None, sitting.method]},
    )
    make_mark_scores(sitting)
    return len(mine)


@dataclass
class CandidateMarks:
    """The marks of one candidate in a scoring sitting, for the scores page."""

    enrolment: Enrolment
    expected: list[Assignment]
    marks: dict[int, Mark] = field(default_factory=dict)  # assignment id -> mark

    @property
    def complete(self) -> bool:
        return all(
            a.pk in self.marks and self.marks[a.pk].submitted_at for a in self.expected
        ) and bool(self.expected)


def marks_by_candidate(sitting: Sitting) -> list[CandidateMarks]:
    people = scorers(sitting)
    conflicts = {a.pk: {c.enrolment_id for c in a.conflicts.all()} for a in people}
    rows = {
        e.pk: CandidateMarks(e, [a for a in people if e.pk not in conflicts[a.pk]])
        for e in to_score(sitting)
    }
    for mark in Mark.objects.filter(assignment__in=people, enrolment_id__in=list(rows)):
        rows[mark.enrolment_id].marks[mark.assignment_id] = mark
    return list(rows.values())


def make_mark_scores(sitting: Sitting) -> int:
    """The method score of every candidate all expected examiners submitted a mark for: the
    mean of the marks, flagged when they are more than the tolerance apart (decision 0038).
    A settled or locked score is left as it is. Returns how many scores were made."""
    existing = {
        s.enrolment_id: s
        for s in MethodScore.objects.filter(
            enrolment__session=sitting.session, method=sitting.method
        )
    }
    new, changed = [], []
    for row in marks_by_candidate(sitting):
        if not row.complete:
            continue
        values = [row.marks[a.pk].value for a in row.expected]
        value, flagged = mean_of(values), too_far_apart(values)
        score = existing.get(row.enrolment.pk)
        if score is None:
            new.append(
                MethodScore(
                    enrolment=row.enrolment,
                    method=sitting.method,
                    value=value,
                    source=ScoreSource.MARKS,
                    flagged=flagged,
                )
            )
        elif (
            score.source == ScoreSource.MARKS
            and not score.is_locked
            and (score.value, score.flagged) != (value, flagged)
        ):
            score.value, score.flagged = value, flagged
            changed.append(score)
    MethodScore.objects.bulk_create(new)
    MethodScore.objects.bulk_update(changed, ["value", "flagged"])
    return len(new) + len(changed)


def leader_on(user, sitting: Sitting) -> Assignment | None:
    from assessments import queries

    assignment = queries.assignment_on(user, sitting, kinds=SCORING_KINDS)
    return assignment if assignment is not None and assignment.is_leader else None


def settle_refusal(score: MethodScore, actor=None) -> Refusal | None:
    if score.is_locked:
        return Refusal(_("The score is submitted and locked."), "locked")
    if not score.flagged:
        return Refusal(_("Only a score whose marks are too far apart is settled."), "not_flagged")
    if score.source == ScoreSource.SETTLED:
        return Refusal(_("The group leader has settled this score."), "settled")
    return None


@transaction.atomic
def settle_score(actor, score: MethodScore, *, value, reason: str) -> MethodScore:
    """The group leader (考评组长) settles a score whose marks are too far apart, with a
    reason (Art 19); the marks are kept."""
    from assessments import queries

    score = (
        MethodScore.objects.select_for_update(of=("self",))
        .select_related("enrolment__session__agency", "enrolment__session__site")
        .get(pk=score.pk)
    )
    session = score.enrolment.session
    sitting = session.sittings.get(method=score.method)
    leader = leader_on(actor, sitting)
    if leader is None or score.enrolment_id in queries.conflicted_enrolment_ids(leader):
        raise PermissionDenied("assessments.score.settle")
    refuse(settle_refusal(score, actor))
    errors = {}
    try:
        clean = _value(value, full_marks(sitting))
    except ValidationError as exc:
        errors["value"] = exc.messages
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the score is settled at this value.")]
    if errors:
        raise ValidationError(errors)
    before = score.value
    score.value, score.source = clean, ScoreSource.SETTLED
    score.settle_reason, score.settled_by = reason.strip(), actor
    score.save(update_fields=["value", "source", "settle_reason", "settled_by"])
    _record(
        actor,
        "assessments.score.settle",
        score,
        session,
        {"score": [str(before), str(clean)], "reason": [None, score.settle_reason]},
    )
    return score


# --- Theory by double entry (Art 19) ---------------------------------------------------------


def theory_sheets(sitting: Sitting) -> dict[int, TheorySheet]:
    return {s.entry: s for s in sitting.theory_sheets.select_related("entered_by")}


def entry_refusal(sitting: Sitting, actor) -> Refusal | None:
    """Two different staff members enter the theory scores; a person re-enters their own
    entry until the sheet is accepted."""
    if sitting.method != THEORY:
        return Refusal(_("Only a theory sitting is scored by double entry."), "not_theory")
    sheets = theory_sheets(sitting)
    if any(s.accepted_at for s in sheets.values()):
        return Refusal(_("The theory scores are accepted."), "accepted")
    mine = [s for s in sheets.values() if s.entered_by_id == getattr(actor, "pk", None)]
    if not mine and len(sheets) == 2:
        return Refusal(_("Both entries are made, by two other people."), "full")
    return None


@dataclass
class RowProblem:
    number: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(message)s") % {
            "row": self.number,
            "column": self.column,
            "message": self.message,
        }


class TheoryRowsError(ValidationError):
    """A theory file with errors: every problem at its row and column; nothing was saved."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__({"scores_file": [str(p) for p in problems[:200]]})


@dataclass(frozen=True, slots=True)
class _Named:
    """A candidate by id and name (model instances cost ten times more for 10,000 rows)."""

    pk: int
    real_name: str


@dataclass
class _Lookup:
    by_ticket: dict[str, int]
    by_index: dict[str, int]
    id_types: list[str]
    absent: set[int]
    present: dict[int, _Named]


def _lookup(sitting: Sitting) -> _Lookup:
    """Tickets and ID indexes of the session's enrolled candidates (no ID is decrypted)."""
    rows = list(
        enrolled(sitting.session).values_list(
            "pk", "real_name", "candidate__id_index", "candidate__id_type"
        )
    )
    absent = absent_ids(sitting)
    by_ticket = dict(
        Ticket.objects.filter(
            enrolment__session=sitting.session, enrolment__status=EnrolmentStatus.ENROLLED
        ).values_list("code", "enrolment_id")
    )
    by_index = {index: pk for pk, _name, index, _type in rows}
    id_types = sorted({id_type for *_rest, id_type in rows})
    present = {pk: _Named(pk, name) for pk, name, *_rest in rows if pk not in absent}
    return _Lookup(by_ticket, by_index, id_types, absent, present)


def _find(lookup: _Lookup, key: str, column: str) -> int | None:
    if column == "ticket":
        return lookup.by_ticket.get(key)
    for id_type in lookup.id_types:
        number = pii.normalise(id_type, key)
        for index in pii.index_candidates(id_type, number):
            if index in lookup.by_index:
                return lookup.by_index[index]
    return None


def read_theory(sitting: Sitting, data: bytes) -> dict[int, Decimal]:
    """The scores of a theory file: a header row naming 准考证号 or 证件号码 and 成绩, then one
    row per candidate. Every problem is reported at its row and column (TheoryRowsError);
    every present candidate must have a score and no absent one."""
    lookup = _lookup(sitting)
    top = full_marks(sitting)
    problems: list[RowProblem] = []
    rows = spreadsheets.read_rows(data, max_rows=MAX_THEORY_ROWS + 1)
    header, key_col, score_col, kind = None, None, None, None
    out: dict[int, Decimal] = {}
    seen: dict[int, int] = {}
    for row in rows:
        if header is None:
            header = [str(v).strip() for v in row.values]
            if TICKET_HEADER in header:
                key_col, kind = header.index(TICKET_HEADER), "ticket"
            elif ID_HEADER in header:
                key_col, kind = header.index(ID_HEADER), "id"
            if SCORE_HEADER in header:
                score_col = header.index(SCORE_HEADER)
            if key_col is None or score_col is None:
                raise ValidationError(
                    {
                        "scores_file": _(
                            "The first row must name the columns 准考证号 (or 证件号码) and 成绩."
                        )
                    },
                    code="header",
                )
            column_name = TICKET_HEADER if kind == "ticket" else ID_HEADER
            continue
        key_raw = row[key_col]
        if isinstance(key_raw, float) and kind == "id":
            problems.append(RowProblem(row.number, column_name, NUMERIC_ID))
            continue
        if isinstance(key_raw, float) and key_raw.is_integer():
            key_raw = int(key_raw)
        key = str(key_raw).strip()
        if not key:
            problems.append(RowProblem(row.number, column_name, _("Required.")))
            continue
        pk = _find(lookup, key, kind)
        if pk is None:
            problems.append(
                RowProblem(row.number, column_name, _("Not a candidate of this session."))
            )
            continue
        if pk in seen:
            problems.append(
                RowProblem(
                    row.number,
                    column_name,
                    _("The same candidate is also in row %(row)d.") % {"row": seen[pk]},
                )
            )
            continue
        seen[pk] = row.number
        raw = row[score_col]
        if pk in lookup.absent:
            if raw not in ("", None):
                problems.append(
                    RowProblem(
                        row.number,
                        SCORE_HEADER,
                        _("Absent from the sitting: leave the score empty."),
                    )
                )
            continue
        if raw in ("", None):
            problems.append(RowProblem(row.number, SCORE_HEADER, _("Required.")))
            continue
        try:
            out[pk] = _value(raw, top)
        except ValidationError as exc:
            problems.append(RowProblem(row.number, SCORE_HEADER, " ".join(exc.messages)))
    if header is None:
        raise ValidationError({"scores_file": _("The file is empty.")}, code="empty")
    missing = [e for pk, e in lookup.present.items() if pk not in out and pk not in seen]
    if missing and not problems:
        names = "、".join(e.real_name for e in missing[:10])
        problems.append(
            RowProblem(
                0,
                SCORE_HEADER,
                _("No score for %(count)d present candidates: %(names)s")
                % {"count": len(missing), "names": names},
            )
        )
    if problems:
        raise TheoryRowsError(problems)
    return out


def _typed(sitting: Sitting, values: Mapping[int, object]) -> dict[int, Decimal]:
    lookup = _lookup(sitting)
    top = full_marks(sitting)
    errors, out = {}, {}
    for pk in lookup.present:
        raw = values.get(pk, "")
        if raw in ("", None):
            errors[f"score_{pk}"] = [_("Required.")]
            continue
        try:
            out[pk] = _value(raw, top)
        except ValidationError as exc:
            errors[f"score_{pk}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return out


def _locked_sitting(sitting: Sitting) -> Sitting:
    return (
        Sitting.objects.select_for_update(of=("self",))
        .select_related("session__agency", "session__site")
        .get(pk=sitting.pk)
    )


@transaction.atomic
def enter_theory(actor, sitting: Sitting, *, upload=None, values=None) -> TheorySheet:
    """One of the two entries of a theory sitting's scores (Art 19): a spreadsheet (``upload``)
    or typed (``values``: {enrolment id: score}). The first person makes entry 1, another
    person entry 2; a person re-enters their own entry until the sheet is accepted. A file
    with any error changes nothing (every problem at its row and column)."""
    sitting = _locked_sitting(sitting)
    session = sitting.session
    access.require(actor, "assessments.session.manage", session)
    refuse(entry_refusal(sitting, actor))
    document = None
    if upload is not None:
        try:
            documents.validate_upload(upload, allowed=documents.SPREADSHEETS)
        except ValidationError as exc:
            raise ValidationError({"scores_file": exc.messages}) from None
        upload.seek(0)
        scores = read_theory(sitting, upload.read())
        document = documents.store_document(
            actor,
            upload,
            title=_("Theory scores"),
            kind="theory_scores",
            allowed=documents.SPREADSHEETS,
            owner_agency=session.agency,
            owner_jurisdiction=session.site.province_id,
            subject=session,
        )
    else:
        scores = _typed(sitting, values or {})
    sheets = theory_sheets(sitting)
    sheet = next((s for s in sheets.values() if s.entered_by_id == actor.pk), None)
    now = clock.now()
    if sheet is None:
        number = 1 if 1 not in sheets else 2
        sheet = TheorySheet.objects.create(
            sitting=sitting, entry=number, document=document, entered_by=actor, entered_at=now
        )
        action_changes = {"entry": [None, number], "scores": [None, len(scores)]}
    else:
        sheet.rows.all().delete()
        sheet.document, sheet.entered_at = document, now
        sheet.save(update_fields=["document", "entered_at"])
        action_changes = {"entry": [sheet.entry, sheet.entry], "scores": [None, len(scores)]}
    TheoryEntry.objects.bulk_create(
        [TheoryEntry(sheet=sheet, enrolment_id=pk, value=v) for pk, v in scores.items()],
        batch_size=2000,
    )
    _record(actor, "assessments.theory.enter", sheet, session, action_changes)
    return sheet


@dataclass(frozen=True)
class Mismatch:
    enrolment: Enrolment
    first: Decimal | None
    second: Decimal | None


def mismatches(sitting: Sitting) -> list[Mismatch]:
    """Where the two entries disagree (a missing row counts), candidate by candidate."""
    sheets = theory_sheets(sitting)
    if len(sheets) < 2:
        return []
    values = {1: {}, 2: {}}
    for number, pk, value in TheoryEntry.objects.filter(sheet__in=sheets.values()).values_list(
        "sheet__entry", "enrolment_id", "value"
    ):
        values[number][pk] = value
    wrong = sorted(
        pk for pk in set(values[1]) | set(values[2]) if values[1].get(pk) != values[2].get(pk)
    )
    people = Enrolment.objects.in_bulk(wrong)
    return [Mismatch(people[pk], values[1].get(pk), values[2].get(pk)) for pk in wrong]


def acceptance_refusal(sitting: Sitting, actor=None) -> Refusal | None:
    sheets = theory_sheets(sitting)
    if any(s.accepted_at for s in sheets.values()):
        return Refusal(_("The theory scores are accepted."), "accepted")
    if len(sheets) < 2:
        return Refusal(_("Both entries are needed, by two different people."), "one_entry")
    if found := mismatches(sitting):
        return Refusal(
            _("The two entries differ for %(count)d candidates: correct one entry first.")
            % {"count": len(found)},
            "mismatch",
        )
    return None


@transaction.atomic
def accept_theory(actor, sitting: Sitting) -> int:
    """Both entries agree for every candidate: the sheet is accepted and the theory scores
    made (source: double entry). Returns how many."""
    sitting = _locked_sitting(sitting)
    session = sitting.session
    access.require(actor, "assessments.session.manage", session)
    refuse(acceptance_refusal(sitting, actor))
    sheets = theory_sheets(sitting)
    rows = list(TheoryEntry.objects.filter(sheet=sheets[1]).values_list("enrolment_id", "value"))
    existing = {
        s.enrolment_id: s
        for s in MethodScore.objects.filter(enrolment__session=session, method=sitting.method)
    }
    if any(s.is_locked for s in existing.values()):
        refuse(Refusal(_("The theory scores are already submitted."), "locked"))
    MethodScore.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    MethodScore.objects.bulk_create(
        [
            MethodScore(
                enrolment_id=pk,
                method=sitting.method,
                value=value,
                source=ScoreSource.DOUBLE_ENTRY,
            )
            for pk, value in rows
        ],
        batch_size=2000,
    )
    now = clock.now()
    TheorySheet.objects.filter(sitting=sitting).update(accepted_at=now)
    _record(actor, "assessments.theory.accept", sitting, session, {"scores": [None, len(rows)]})
    return len(rows)


# --- Submission (locking) --------------------------------------------------------------------


@dataclass
class MethodProgress:
    """How far the scores of one method have come, for the scores page."""

    method: str
    label: str
    sitting: Sitting | None
    to_score: int = 0
    scored: int = 0
    flagged: int = 0
    locked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.to_score > 0 and self.locked == self.to_score


def progress_of(session: AssessmentSession, method: str) -> MethodProgress:
    sitting = session.sittings.filter(method=method).first()
    out = MethodProgress(method, label_of(session, method), sitting)
    if sitting is None:
        out.problems.append(_("The session has no sitting for this method."))
        return out
    wanted = {e.pk for e in to_score(sitting)} - excluded_ids(session)
    scores = list(MethodScore.objects.filter(enrolment_id__in=wanted, method=method))
    out.to_score, out.scored = len(wanted), len(scores)
    out.flagged = sum(1 for s in scores if s.flagged and s.source == ScoreSource.MARKS)
    out.locked = sum(1 for s in scores if s.is_locked)
    if out.scored < out.to_score:
        out.problems.append(
            _("%(count)d candidates have no score yet.") % {"count": out.to_score - out.scored}
        )
    if out.flagged:
        out.problems.append(
            _("%(count)d scores wait for the group leader (marks too far apart).")
            % {"count": out.flagged}
        )
    return out


def submission_refusal(session: AssessmentSession, method: str, actor=None) -> Refusal | None:
    if method not in methods_of(session):
        return Refusal(_("The basis does not assess by this method."), "method")
    found = progress_of(session, method)
    if found.done:
        return Refusal(_("These scores are submitted and locked."), "locked")
    if found.problems:
        return Refusal(" ".join(found.problems), "incomplete")
    return None


@transaction.atomic
def submit_scores(actor, session: AssessmentSession, method: str) -> int:
    """The agency submits a method's scores (Art 19): every candidate to score has one, none
    waits for the group leader; they are then locked. Returns how many were locked."""
    session = _locked_session(actor, session, "assessments.session.manage")
    refuse(submission_refusal(session, method, actor))
    now = clock.now()
    count = MethodScore.objects.filter(
        enrolment__session=session, method=method, submitted_at__isnull=True
    ).update(submitted_at=now, submitted_by=actor)
    _record(
        actor,
        "assessments.scores.submit",
        session,
        session,
        {"method": [None, label_of(session, method)], "scores": [None, count]},
    )
    return count


# --- Corrections of locked scores (Art 19, 21) -------------------------------------------------


def supervisor_on(user, session: AssessmentSession) -> Assignment | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Assignment.objects.filter(
        user=user,
        session=session,
        kind=AssignmentKind.SUPERVISOR,
        status=AssignmentStatus.ACTIVE,
        declared_at__isnull=False,
    ).first()


def correction_refusal(score: MethodScore, actor=None) -> Refusal | None:
    if not score.is_locked:
        return Refusal(_("The score is not locked: change it where it is entered."), "unlocked")
    if score.corrections.filter(confirmed_at__isnull=True, refused_at__isnull=True).exists():
        return Refusal(_("A correction of this score waits for the supervisor."), "open")
    result = Result.objects.filter(enrolment_id=score.enrolment_id).first()
    if result is not None and result.status in (ResultStatus.ON_NOTICE, ResultStatus.FINAL):
        return Refusal(
            _("The result is on notice or final: it is corrected through an objection."),
            "published",
        )
    return None


@transaction.atomic
def request_correction(actor, score: MethodScore, *, value, reason: str) -> ScoreCorrection:
    """The agency asks to correct a locked score, with a reason; it takes effect when the
    session's internal quality supervisor confirms it."""
    score = (
        MethodScore.objects.select_for_update(of=("self",))
        .select_related("enrolment__session__agency", "enrolment__session__site")
        .get(pk=score.pk)
    )
    session = score.enrolment.session
    access.require(actor, "assessments.session.manage", session)
    refuse(correction_refusal(score, actor))
    sitting = session.sittings.filter(method=score.method).first()
    top = full_marks(sitting) if sitting else Decimal(100)
    errors = {}
    try:
        clean = _value(value, top)
        if clean == score.value:
            errors["value"] = [_("The corrected score is the same as the locked one.")]
    except ValidationError as exc:
        errors["value"] = exc.messages
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the score is corrected.")]
    if errors:
        raise ValidationError(errors)
    correction = ScoreCorrection.objects.create(
        score=score,
        before=score.value,
        after=clean,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=clock.now(),
    )
    _record(
        actor,
        "assessments.score.correction_request",
        correction,
        session,
        {"before": [None, str(score.value)], "after": [None, str(clean)],
         "reason": [None, correction.reason]},
    )  # fmt: skip
    return correction


def decision_refusal(correction: ScoreCorrection, actor=None) -> Refusal | None:
    if not correction.is_open:
        return Refusal(_("This correction is already decided."), "decided")
    if actor is not None and correction.requested_by_id == actor.pk:
        return Refusal(_("The person who asked for a correction does not confirm it."), "own")
    return None


def _locked_correction(actor, correction: ScoreCorrection) -> ScoreCorrection:
    correction = (
        ScoreCorrection.objects.select_for_update(of=("self",))
        .select_related("score__enrolment__session__agency", "score__enrolment__session__site")
        .get(pk=correction.pk)
    )
    if supervisor_on(actor, correction.score.enrolment.session) is None:
        raise PermissionDenied("assessments.score.correction_decide")
    refuse(decision_refusal(correction, actor))
    return correction


@transaction.atomic
def confirm_correction(actor, correction: ScoreCorrection) -> ScoreCorrection:
    """The internal quality supervisor confirms a correction (Art 19): the score takes the
    new value; the audit entry keeps before and after. A provisional result of the candidate
    waits for the results to be computed again."""
    correction = _locked_correction(actor, correction)
    score = MethodScore.objects.select_for_update(of=("self",)).get(pk=correction.score_id)
    session = correction.score.enrolment.session
    before = score.value
    score.value, score.source = correction.after, ScoreSource.CORRECTED
    score.save(update_fields=["value", "source"])
    correction.confirmed_by, correction.confirmed_at = actor, clock.now()
    correction.save(update_fields=["confirmed_by", "confirmed_at"])
    _record(
        actor,
        "assessments.score.correct",
        score,
        session,
        {"score": [str(before), str(score.value)], "reason": [None, correction.reason]},
    )
    return correction


@transaction.atomic
def refuse_correction(actor, correction: ScoreCorrection, *, reason: str) -> ScoreCorrection:
    """The supervisor refuses a correction with a reason; the score stays as it was."""
    correction = _locked_correction(actor, correction)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the correction is refused.")})
    correction.refused_at, correction.refusal_reason = clock.now(), reason.strip()
    correction.save(update_fields=["refused_at", "refusal_reason"])
    _record(
        actor,
        "assessments.score.correction_refuse",
        correction,
        correction.score.enrolment.session,
        {"reason": [None, correction.refusal_reason]},
    )
    return correction


# --- Results (Art 18, 20) ----------------------------------------------------------------------


@dataclass
class ResultsPlan:
    """What ``compute_results`` would do: outcomes by enrolment, the withheld, what is
    missing (method label -> candidates without a locked score)."""

    outcomes: dict[int, tuple[str, dict]] = field(default_factory=dict)
    withheld: list[Enrolment] = field(default_factory=list)
    missing: dict[str, list[Enrolment]] = field(default_factory=dict)
    kept: int = 0


def plan_results(session: AssessmentSession) -> ResultsPlan:
    methods = list(methods_of(session).values())
    plan = ResultsPlan()
    sittings = {s.method: s for s in session.sittings.all()}
    people = list(enrolled(session).order_by("pk"))
    absent = set(
        Attendance.objects.filter(
            sitting__session=session,
            sitting__method__in=[m["method"] for m in methods],
            status=AttendanceStatus.ABSENT,
        ).values_list("enrolment_id", flat=True)
    )
    decisions = defaultdict(list)
    for pk, decision in Incident.objects.filter(
        sitting__session=session, enrolment__isnull=False
    ).values_list("enrolment_id", "decision"):
        decisions[pk].append(decision)
    scores = defaultdict(dict)
    for score in MethodScore.objects.filter(enrolment__session=session, submitted_at__isnull=False):
        scores[score.enrolment_id][score.method] = score.value
    kept = dict(
        Result.objects.filter(
            session=session, status__in=[ResultStatus.ON_NOTICE, ResultStatus.FINAL]
        ).values_list("enrolment_id", "status")
    )
    plan.kept = len(kept)
    for person in people:
        if person.pk in kept:
            continue
        outcome = outcome_of(
            methods, scores[person.pk], absent=person.pk in absent, decisions=decisions[person.pk]
        )
        if outcome is None:
            plan.withheld.append(person)
            continue
        if outcome in (ResultOutcome.PASSED, ResultOutcome.FAILED):
            for method in methods:
                if method["method"] not in scores[person.pk]:
                    label = method["label"] if method["method"] in sittings else method["method"]
                    plan.missing.setdefault(label, []).append(person)
        values = {m: float(v) for m, v in scores[person.pk].items()}
        plan.outcomes[person.pk] = (outcome, values)
    return plan


def results_refusal(session: AssessmentSession, actor=None, plan=None) -> Refusal | None:
    if not methods_of(session):
        return Refusal(_("The session's basis names no method."), "no_methods")
    plan = plan or plan_results(session)
    if plan.missing:
        parts = [
            _("%(method)s: %(count)d without a locked score (%(names)s)")
            % {
                "method": label,
                "count": len(people),
                "names": "、".join(p.real_name for p in people[:5]),
            }
            for label, people in plan.missing.items()
        ]
        return Refusal(
            _("Scores are missing or not submitted: %(parts)s.") % {"parts": "；".join(parts)},
            "missing",
        )
    if not plan.outcomes and not plan.withheld:
        return Refusal(_("The results are on notice or final: nothing to compute."), "published")
    return None


@transaction.atomic
def compute_results(actor, session: AssessmentSession) -> ResultsPlan:
    """The pass rule (Art 18, 20) for every enrolled candidate: a provisional ``Result`` with
    the outcome and the scores. Refused while a required score is missing or not locked.
    A candidate with an undecided incident is withheld (no result). Results on notice or final
    are kept; provisional ones and those returned for correction are computed again (the
    latter back to provisional)."""
    session = _locked_session(actor, session, "assessments.session.manage")
    plan = plan_results(session)
    refuse(results_refusal(session, actor, plan))
    now = clock.now()
    existing = {r.enrolment_id: r for r in Result.objects.filter(session=session)}
    new, changed = [], []
    for pk, (outcome, values) in plan.outcomes.items():
        result = existing.get(pk)
        if result is None:
            new.append(
                Result(
                    enrolment_id=pk,
                    session=session,
                    outcome=outcome,
                    status=ResultStatus.PROVISIONAL,
                    scores=values,
                    computed_at=now,
                )
            )
        else:
            result.outcome, result.scores, result.computed_at = outcome, values, now
            result.status = ResultStatus.PROVISIONAL
            changed.append(result)
    Result.objects.bulk_create(new, batch_size=2000)
    Result.objects.bulk_update(changed, ["outcome", "scores", "computed_at", "status"])
    withheld = [p.pk for p in plan.withheld]
    Result.objects.filter(
        session=session, enrolment_id__in=withheld, status=ResultStatus.PROVISIONAL
    ).delete()
    counts = defaultdict(int)
    for outcome, _values in plan.outcomes.values():
        counts[outcome] += 1
    _record(
        actor,
        "assessments.results.compute",
        session,
        session,
        {
            "results": [None, len(plan.outcomes)],
            "passed": [None, counts[ResultOutcome.PASSED]],
            "withheld": [None, len(withheld)],
        },
    )
    return plan
