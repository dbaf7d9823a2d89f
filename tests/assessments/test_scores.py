"""Scores and the pass rule (Art 18, 20; decision 0038): independent marks and their mean, the
tolerance and the group leader, theory by double entry, locking, corrections confirmed by the
quality supervisor, and results."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assessments.models import (
    ConflictEntry,
    Mark,
    MethodScore,
    Result,
    ScoreSource,
    TheoryEntry,
    TheorySheet,
)
from assessments.services import scores as sc
from portal import clock
from portal.models import AuditEntry
from tests.assessments.builders import SCORE_METHODS, absent, incident, scoring_session
from tests.portal.builders import make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def s(world):
    return scoring_session(world)


def staff(world, name="staff2"):
    from portal.models import AgencyMembership

    user = make_user(name)
    AgencyMembership.objects.create(user=user, agency=world.gd_agency, role="staff")
    return user


def xlsx(rows, header=("准考证号", "成绩")) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("theory.xlsx", out.getvalue())


def ticket(e):
    return e.ticket.code


def mark_all(s, values_by_examiner):
    """values_by_examiner: one {enrolment: value} per panel member, then submit."""
    for assignment, values in zip(s.panel, values_by_examiner, strict=True):
        sc.save_marks(assignment.user, s.skill, {e.pk: v for e, v in values.items()})
        sc.submit_marks(assignment.user, s.skill)


def lock_everything(world, s, theory=80, skill=(70, 72)):
    mark_all(s, [dict.fromkeys(s.people, skill[0]), dict.fromkeys(s.people, skill[1])])
    for user in (world.members["admin"], world.members["staff"]):
        sc.enter_theory(user, s.theory, values={e.pk: theory for e in s.people})
    sc.accept_theory(world.members["admin"], s.theory)
    sc.submit_scores(world.members["admin"], s.session, "theory")
    sc.submit_scores(world.members["admin"], s.session, "skill")


# --- The pass rule at its boundary -------------------------------------------------------------


@pytest.mark.parametrize(
    ("theory", "skill", "expected"),
    [
        ("60", "60", "passed"),
        ("59.9", "60", "failed"),
        ("60", "59.9", "failed"),
        ("59", "100", "failed"),
        ("100", "60.0", "passed"),
        ("0", "0", "failed"),
    ],
)
def test_the_pass_rule_at_the_pass_mark(theory, skill, expected):
    got = sc.outcome_of(SCORE_METHODS, {"theory": D(theory), "skill": D(skill)})
    assert got == expected


def test_the_pass_rule_other_pass_marks_and_missing_methods():
    methods = [{"method": "review", "full_marks": 100, "pass_mark": 70}]
    assert sc.outcome_of(methods, {"review": D("69.9")}) == "failed"
    assert sc.outcome_of(methods, {"review": D("70")}) == "passed"
    assert sc.outcome_of(SCORE_METHODS, {"theory": D(90)}) == "failed"  # no skill score


def test_absent_void_disqualified_and_withheld_win_in_that_order():
    good = {"theory": D(90), "skill": D(90)}
    assert sc.outcome_of(SCORE_METHODS, good, absent=True) == "absent"
    assert sc.outcome_of(SCORE_METHODS, good, decisions=["warning"]) == "passed"
    assert sc.outcome_of(SCORE_METHODS, good, decisions=["void"]) == "void"
    assert sc.outcome_of(SCORE_METHODS, good, absent=True, decisions=["disqualified"]) == (
        "disqualified"
    )
    assert sc.outcome_of(SCORE_METHODS, good, decisions=["void", "disqualified"]) == (
        "disqualified"
    )
    assert sc.outcome_of(SCORE_METHODS, good, decisions=["void", ""]) is None


def test_the_mean_is_rounded_half_up_to_one_decimal():
    assert sc.mean_of([D(70), D(71)]) == D("70.5")
    assert sc.mean_of([D(70), D(71), D(71)]) == D("70.7")  # 70.666…
    assert sc.mean_of([D("70.1"), D("70.2")]) == D("70.2")  # 70.15 → half up
    assert sc.too_far_apart([D(60), D(70)]) is False  # exactly the tolerance: not flagged
    assert sc.too_far_apart([D(60), D("70.1")]) is True


# --- Independent marks, the mean, the tolerance ------------------------------------------------


def test_each_examiner_marks_alone_and_the_score_is_the_mean_once_all_submitted(world, s):
    first, second = s.panel
    a, b, c, d = s.people
    sc.save_marks(first.user, s.skill, {a.pk: "80", b.pk: "61.5", c.pk: 50, d.pk: 90})
    sc.submit_marks(first.user, s.skill)
    assert MethodScore.objects.filter(method="skill").count() == 0  # the second has not marked
    with pytest.raises(ValidationError, match="已锁定"):
        sc.save_marks(first.user, s.skill, {a.pk: "81"})
    sc.save_marks(second.user, s.skill, {a.pk: "85", b.pk: "62", c.pk: 51})
    with pytest.raises(ValidationError, match="1"):  # d is still without a mark
        sc.submit_marks(second.user, s.skill)
    sc.save_marks(second.user, s.skill, {d.pk: "90"})
    sc.submit_marks(second.user, s.skill)
    got = {x.enrolment_id: x for x in MethodScore.objects.filter(method="skill")}
    assert got[a.pk].value == D("82.5") and got[b.pk].value == D("61.8")
    assert got[a.pk].source == ScoreSource.MARKS and not got[a.pk].flagged
    assert Mark.objects.filter(enrolment=a).count() == 2  # every mark kept


def test_a_mark_outside_the_full_marks_is_refused_at_the_candidate(world, s):
    first = s.panel[0]
    a, b = s.people[:2]
    with pytest.raises(ValidationError) as exc:
        sc.save_marks(first.user, s.skill, {a.pk: "101", b.pk: "7.25"})
    assert set(exc.value.message_dict) == {f"mark_{a.pk}", f"mark_{b.pk}"}
    assert Mark.objects.count() == 0


def test_no_mark_before_declaring_nor_for_a_conflicted_or_absent_candidate(world, s):
    first, second = s.panel
    a, b, c, _d = s.people
    ConflictEntry.objects.create(
        assignment=second, enrolment=a, kind="relative", source="declared", recorded_at=clock.now()
    )
    absent(world, s.skill, b)
    assert {e.pk for e in sc.my_candidates(second)} == {c.pk, s.people[3].pk}
    with pytest.raises(ValidationError):
        sc.save_marks(second.user, s.skill, {a.pk: 80})
    type(second).objects.filter(pk=second.pk).update(declared_at=None)
    with pytest.raises(ValidationError, match="申报"):
        sc.save_marks(second.user, s.skill, {c.pk: 80})
    with pytest.raises(PermissionDenied):
        sc.save_marks(world.members["staff"], s.skill, {c.pk: 80})


def test_a_conflicted_examiners_mark_is_not_waited_for(world, s):
    first, second = s.panel
    a = s.people[0]
    ConflictEntry.objects.create(
        assignment=second, enrolment=a, kind="relative", source="declared", recorded_at=clock.now()
    )
    mark_all(s, [dict.fromkeys(s.people, 70), dict.fromkeys(s.people[1:], 90)])
    got = {x.enrolment_id: x for x in MethodScore.objects.filter(method="skill")}
    assert got[a.pk].value == D(70) and not got[a.pk].flagged  # first's mark alone
    assert got[s.people[1].pk].value == D(80) and got[s.people[1].pk].flagged  # 20 apart


def test_marks_too_far_apart_wait_for_the_leader_who_settles_with_a_reason(world, s):
    leader, other = s.panel
    a = s.people[0]
    mark_all(s, [{**dict.fromkeys(s.people, 70), a: 50}, dict.fromkeys(s.people, 72)])
    score = MethodScore.objects.get(enrolment=a, method="skill")
    assert score.flagged and score.value == D(61)
    with pytest.raises(ValidationError, match="考评组长"):
        sc.submit_scores(world.members["admin"], s.session, "skill")
    with pytest.raises(PermissionDenied):
        sc.settle_score(other.user, score, value="70", reason="复核录像")
    with pytest.raises(ValidationError) as exc:
        sc.settle_score(leader.user, score, value="70", reason=" ")
    assert "reason" in exc.value.message_dict
    sc.settle_score(leader.user, score, value="68", reason="复核录像，第二考评员评分有误")
    score.refresh_from_db()
    assert (score.value, score.source, score.settled_by) == (D(68), "settled", leader.user)
    assert Mark.objects.filter(enrolment=a).count() == 2
    entry = AuditEntry.objects.filter(action="assessments.score.settle").get()
    assert entry.changes["score"] == ["61.0", "68.0"]
    assert sc.submit_scores(world.members["admin"], s.session, "skill") == 4


# --- Theory by double entry --------------------------------------------------------------------


def test_double_entry_catches_a_mismatch_and_one_entry_is_corrected(world, s):
    a, b, c, d = s.people
    admin, staff_user = world.members["admin"], world.members["staff"]
    sheet = xlsx([(ticket(e), 70 + i) for i, e in enumerate(s.people)])
    sc.enter_theory(admin, s.theory, upload=sheet)
    with pytest.raises(ValidationError, match="两人"):
        sc.accept_theory(admin, s.theory)
    typed = {a.pk: 70, b.pk: 71, c.pk: "27", d.pk: 73}  # 72 typed as 27
    sc.enter_theory(staff_user, s.theory, values=typed)
    wrong = sc.mismatches(s.theory)
    assert [(m.enrolment, m.first, m.second) for m in wrong] == [(c, D(72), D(27))]
    with pytest.raises(ValidationError, match="1 名考生不一致"):
        sc.accept_theory(admin, s.theory)
    assert not MethodScore.objects.filter(method="theory").exists()
    sc.enter_theory(staff_user, s.theory, values={**typed, c.pk: "72"})  # corrected
    assert sc.mismatches(s.theory) == []
    assert TheorySheet.objects.filter(sitting=s.theory).count() == 2
    assert sc.accept_theory(admin, s.theory) == 4
    got = dict(MethodScore.objects.filter(method="theory").values_list("enrolment_id", "value"))
    assert got == {a.pk: D(70), b.pk: D(71), c.pk: D(72), d.pk: D(73)}
    assert set(MethodScore.objects.values_list("source", flat=True)) == {"double_entry"}


def test_the_same_person_cannot_make_both_entries(world, s):
    admin = world.members["admin"]
    values = {e.pk: 80 for e in s.people}
    sc.enter_theory(admin, s.theory, values=values)
    sc.enter_theory(admin, s.theory, values=values)  # re-enters their own entry 1
    assert TheorySheet.objects.filter(sitting=s.theory).count() == 1
    with pytest.raises(ValidationError, match="两人"):
        sc.accept_theory(admin, s.theory)
    sc.enter_theory(world.members["staff"], s.theory, values=values)
    with pytest.raises(ValidationError, match="其他两人"):
        sc.enter_theory(staff(world), s.theory, values=values)


def test_a_failed_import_writes_nothing_and_names_row_and_column(world, s):
    a, b, c, d = s.people
    absent(world, s.theory, d)
    before = AuditEntry.objects.count()
    bad = xlsx([(ticket(a), 80), (ticket(b), "八十"), (ticket(b), 70), ("X999", 50),
                (ticket(c), 101), (ticket(d), 40)])  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        sc.enter_theory(world.members["admin"], s.theory, upload=bad)
    messages = exc.value.message_dict["scores_file"]
    assert any("3" in m and "成绩" in m for m in messages)  # row 3: not a number
    assert any("4" in m and "准考证号" in m for m in messages)  # row 4: twice
    assert any("5" in m for m in messages)  # unknown ticket
    assert len(messages) == 5  # row 6: over 100; row 7: absent with a score
    assert TheorySheet.objects.count() == 0 and TheoryEntry.objects.count() == 0
    assert AuditEntry.objects.count() == before
    from portal.models import Document

    assert not Document.objects.filter(kind="theory_scores").exists()


def test_theory_by_id_number_and_a_missing_candidate(world, s):
    from tests.assessments.builders import candidate_id

    a, b, c, d = s.people
    rows = [(candidate_id(i + 1), 75) for i in range(3)]
    with pytest.raises(ValidationError, match="1 名到考考生没有成绩"):
        sc.enter_theory(world.members["admin"], s.theory, upload=xlsx(rows, ("证件号码", "成绩")))
    rows.append((candidate_id(4), 60))
    sheet = sc.enter_theory(
        world.members["admin"], s.theory, upload=xlsx(rows, ("证件号码", "成绩"))
    )
    assert sheet.rows.count() == 4 and sheet.document is not None


# --- Locking and corrections -------------------------------------------------------------------


def test_a_locked_score_changes_only_by_a_confirmed_correction_audited(world, s):
    lock_everything(world, s)
    admin = world.members["admin"]
    score = MethodScore.objects.get(enrolment=s.people[0], method="theory")
    assert score.is_locked
    with pytest.raises(ValidationError, match="已确认"):
        sc.enter_theory(admin, s.theory, values={e.pk: 99 for e in s.people})
    with pytest.raises(ValidationError) as exc:
        sc.request_correction(admin, score, value="85", reason="")
    assert "reason" in exc.value.message_dict
    correction = sc.request_correction(admin, score, value="85", reason="登分时看错行")
    with pytest.raises(ValidationError, match="待督导员"):
        sc.request_correction(admin, score, value="86", reason="再改")
    with pytest.raises(PermissionDenied):
        sc.confirm_correction(admin, correction)  # not the supervisor
    supervisor = s.supervision.user
    sc.confirm_correction(supervisor, correction)
    score.refresh_from_db()
    assert (score.value, score.source) == (D(85), "corrected")
    entry = AuditEntry.objects.get(action="assessments.score.correct")
    assert entry.changes["score"] == ["80.0", "85.0"]
    with pytest.raises(ValidationError, match="已有处理结果"):
        sc.refuse_correction(supervisor, correction, reason="x")


def test_a_refused_correction_leaves_the_score(world, s):
    lock_everything(world, s)
    score = MethodScore.objects.get(enrolment=s.people[1], method="skill")
    correction = sc.request_correction(world.members["staff"], score, value="90", reason="加分")
    with pytest.raises(ValidationError):
        sc.refuse_correction(s.supervision.user, correction, reason="")
    sc.refuse_correction(s.supervision.user, correction, reason="无依据")
    score.refresh_from_db()
    correction.refresh_from_db()
    assert score.value == D(71) and correction.refusal_reason == "无依据"


def test_an_undeclared_supervisor_does_not_confirm(world, s):
    lock_everything(world, s)
    score = MethodScore.objects.get(enrolment=s.people[1], method="skill")
    correction = sc.request_correction(world.members["admin"], score, value="90", reason="漏分")
    type(s.supervision).objects.filter(pk=s.supervision.pk).update(declared_at=None)
    with pytest.raises(PermissionDenied):
        sc.confirm_correction(s.supervision.user, correction)


# --- Results -----------------------------------------------------------------------------------


def test_results_are_refused_while_a_score_is_missing_naming_it(world, s):
    mark_all(s, [dict.fromkeys(s.people, 70), dict.fromkeys(s.people, 72)])
    with pytest.raises(ValidationError) as exc:
        sc.compute_results(world.members["admin"], s.session)
    text = " ".join(exc.value.messages)
    assert "理论知识考试" in text and "操作技能考核" in text and "4" in text
    assert Result.objects.count() == 0


def test_results_pass_fail_absent_void_disqualified_withheld(world):
    s = scoring_session(world, candidates=7)
    a, b, c, d, e, f, g = s.people
    absent(world, s.skill, c)
    incident(world, s.theory, d, "void")
    incident(world, s.theory, e, "disqualified")
    incident(world, s.skill, f, "")  # undecided: withheld
    incident(world, s.skill, g, "warning")
    present = [p for p in s.people if p != c]
    marks = {**dict.fromkeys(present, 60), b: "59.9"}
    mark_all(s, [marks, marks])
    for user in (world.members["admin"], world.members["staff"]):
        sc.enter_theory(user, s.theory, values={p.pk: 60 for p in s.people})
    sc.accept_theory(world.members["admin"], s.theory)
    sc.submit_scores(world.members["admin"], s.session, "theory")
    sc.submit_scores(world.members["admin"], s.session, "skill")
    plan = sc.compute_results(world.members["admin"], s.session)
    got = dict(Result.objects.values_list("enrolment_id", "outcome"))
    assert got == {
        a.pk: "passed", b.pk: "failed", c.pk: "absent", d.pk: "void",
        e.pk: "disqualified", g.pk: "passed",
    }  # fmt: skip
    assert plan.withheld == [f]
    result = Result.objects.get(enrolment=a)
    assert result.status == "provisional" and result.scores == {"theory": 60.0, "skill": 60.0}
    # Decided later: computed again, f gets a result; a result returned for correction is
    # computed again and back to provisional; one on notice is kept.
    type(f.incidents.get()).objects.filter(enrolment=f).update(
        decision="void", decision_reason="录像确认", decided_at=clock.now()
    )
    Result.objects.filter(enrolment=b).update(status="correction")
    Result.objects.filter(enrolment=g).update(status="on_notice")
    sc.compute_results(world.members["admin"], s.session)
    got = dict(Result.objects.values_list("enrolment_id", "status"))
    assert got[f.pk] == "provisional" and got[b.pk] == "provisional" and got[g.pk] == "on_notice"
    assert Result.objects.get(enrolment=f).outcome == "void"


def test_an_incident_after_a_provisional_result_withholds_it_again(world, s):
    lock_everything(world, s)
    sc.compute_results(world.members["admin"], s.session)
    incident(world, s.skill, s.people[0], "")
    plan = sc.compute_results(world.members["admin"], s.session)
    assert plan.withheld == [s.people[0]]
    assert not Result.objects.filter(enrolment=s.people[0]).exists()


def test_results_only_by_the_agency(world, s):
    lock_everything(world, s)
    with pytest.raises(PermissionDenied):
        sc.compute_results(world.gd_official, s.session)
    with pytest.raises(PermissionDenied):
        sc.compute_results(s.panel[0].user, s.session)


def test_the_demo_advances_a_held_session_to_provisional_results(world):
    from assessments import demo_scores

    s = scoring_session(world, candidates=5, tag="d")
    absent(world, s.skill, s.people[4])
    assert demo_scores.advance(s.session) == 5
    assert Result.objects.filter(session=s.session, outcome="absent").count() == 1
    assert MethodScore.objects.filter(enrolment__session=s.session, source="settled").count() == 1
    assert not MethodScore.objects.filter(enrolment__session=s.session, submitted_at=None).exists()
    assert TheorySheet.objects.filter(sitting=s.theory, accepted_at__isnull=False).count() == 2
