"""Demo data of scores (Art 18–20; decision 0038): ``advance(session)`` takes a session whose
sittings were held (assignments declared, attendance recorded: the stage before) and runs it
through the scores with the real services: every declared examiner enters and submits marks
(one candidate's marks far apart, settled by the group leader), two agency people enter the
theory scores (one by spreadsheet, one typed), the agency submits every method and computes
the results."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile

from assessments.models import (
    SCORING_KINDS,
    Assignment,
    AssignmentStatus,
    MethodScore,
    ScoreSource,
)
from assessments.services import scores as sc
from portal.models import AgencyMembership
from portal.roles import AgencyRole


def _mark(i: int, examiner: int, top: int) -> int:
    """A plausible mark: mostly passing, spread a little between examiners."""
    base = 45 + (i * 37) % 50
    return min(top, base + examiner * 2)


def _staff(session):
    found = list(
        AgencyMembership.objects.filter(
            agency=session.agency, role__in=[AgencyRole.ADMIN, AgencyRole.STAFF]
        )
        .select_related("user")
        .order_by("role", "pk")
    )
    return [m.user for m in found]


def _theory_file(sitting, values: dict[int, object]) -> bytes:
    from openpyxl import Workbook

    from assessments.models import Ticket

    tickets = dict(
        Ticket.objects.filter(enrolment_id__in=list(values)).values_list("enrolment_id", "code")
    )
    by_ticket = len(tickets) == len(values)
    book = Workbook()
    sheet = book.active
    sheet.append(["准考证号" if by_ticket else "证件号码", "姓名", "成绩"])
    for enrolment in sc.to_score(sitting):
        key = tickets[enrolment.pk] if by_ticket else enrolment.candidate.id_number
        sheet.append([key, enrolment.real_name, float(values[enrolment.pk])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def advance(session, stdout=None) -> int:
    """Scores and provisional results for ``session``; returns the number of results (0 when
    something the stage before owes is missing, said on ``stdout``)."""
    people = _staff(session)
    if len(people) < 2:
        if stdout is not None:
            stdout.write("scores: the agency needs two admin or staff accounts for double entry")
        return 0
    first, second = people[0], people[1]
    for sitting in session.sittings.all():
        top = int(sc.full_marks(sitting))
        if sitting.method == sc.THEORY:
            if sc.theory_sheets(sitting):
                continue
            present = sc.to_score(sitting)
            values = {e.pk: min(top, 50 + (i * 29) % 50) for i, e in enumerate(present)}
            data = _theory_file(sitting, values)
            sc.enter_theory(first, sitting, upload=ContentFile(data, name="理论成绩（演示）.xlsx"))
            sc.enter_theory(second, sitting, values=values)
            sc.accept_theory(first, sitting)
            continue
        panel = Assignment.objects.filter(
            sitting=sitting,
            kind__in=list(SCORING_KINDS),
            status=AssignmentStatus.ACTIVE,
            declared_at__isnull=False,
        ).order_by("pk")
        for n, assignment in enumerate(panel):
            if sc.marking_refusal(assignment):
                continue
            mine = sc.my_candidates(assignment)
            values = {e.pk: _mark(i, n, top) for i, e in enumerate(mine)}
            if mine and n == 1:  # one candidate marked far apart: the leader settles it
                values[mine[0].pk] = max(0, values[mine[0].pk] - 25)
            sc.save_marks(assignment.user, sitting, values)
            sc.submit_marks(assignment.user, sitting)
        leader = panel.filter(is_leader=True).first()
        for score in MethodScore.objects.filter(
            enrolment__session=session, method=sitting.method, flagged=True,
            source=ScoreSource.MARKS,
        ):  # fmt: skip
            if leader is not None and sc.settle_refusal(score) is None:
                marks = [m.value for m in score.enrolment.marks.filter(assignment__sitting=sitting)]
                sc.settle_score(
                    leader.user, score, value=max(marks),
                    reason="复看操作录像，按评分细则第 3 项认定，取较高评分。（演示）",
                )  # fmt: skip
    for method in sc.methods_of(session):
        if sc.submission_refusal(session, method) is None:
            sc.submit_scores(first, session, method)
    refusal = sc.results_refusal(session)
    if refusal:
        if stdout is not None:
            stdout.write(f"scores: results not computed: {refusal}")
        return 0
    plan = sc.compute_results(first, session)
    if stdout is not None:
        stdout.write(
            f"scores: {len(plan.outcomes)} provisional results on {session}"
            f" ({len(plan.withheld)} withheld)"
        )
    return len(plan.outcomes)
