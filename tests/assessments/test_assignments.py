"""Assignment (Art 19): the numbers the frozen basis asks for per room and round, who may be
assigned (qualified, engaged, a member with the role, not booked elsewhere), conflicts found
and declared, the grants given and taken away, and review access until a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from agencies import services as agency_services
from assessments import queries
from assessments.models import (
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    ConflictEntry,
    ReviewGrant,
    Sitting,
)
from assessments.services import assignments as svc
from portal import access, clock
from portal.jobs import periodic
from portal.models import AgencyMembership, AuditEntry
from tests.agencies.builders import uscc
from tests.assessments.builders import (
    candidate_id,
    conduct_session,
    engaged_person,
    enrol_many,
    join_agency,
)
from tests.portal.builders import make_user

pytestmark = pytest.mark.django_db
OTHER_EMPLOYER = uscc("91440101MA59ABCD1")


def _sitting(session, method):
    return Sitting.objects.get(session=session, method=method)


def _need(session, method=None):
    for need in svc.staffing(session):
        if (need.sitting is None and method is None) or (
            need.sitting is not None and need.sitting.method == method
        ):
            return need
    raise AssertionError(method)


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as refused:
        call()
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# --- How many (decision 0036) --------------------------------------------------------------------


def test_the_numbers_follow_the_frozen_ratios_per_room_and_round(world):
    session = conduct_session(world, methods=("theory", "skill", "review"))
    enrol_many(world, session, 40)
    theory, skill, review = (_need(session, m) for m in ("theory", "skill", "review"))
    # theory: ceil(40 / 15) = 3 ≥ the minimum of 2 per room
    assert (theory.kind, theory.needed, theory.missing) == (AssignmentKind.INVIGILATOR, 3, 3)
    # skill: ceil(40 / 5) = 8, raised to 9 (odd)
    assert (skill.kind, skill.needed, skill.odd) == (AssignmentKind.EXAMINER, 9, True)
    assert skill.leader_needed and skill.leader_missing
    assert (review.kind, review.needed) == (AssignmentKind.REVIEWER, 3)
    supervisor = _need(session)
    assert (supervisor.kind, supervisor.needed, supervisor.missing) == ("supervisor", 1, 1)


def test_rounds_divide_the_candidates_so_ten_rounds_of_ten_need_the_examiners_for_ten(world):
    session = conduct_session(world, methods=("skill",))
    enrol_many(world, session, 100)
    assert _need(session, "skill").needed == 21  # ceil(100 / 5) = 20 → odd 21
    svc.set_rounds(world.members["admin"], _sitting(session, "skill"), rounds=10)
    need = _need(session, "skill")
    assert (need.per_round, need.needed) == (10, 3)  # max(3, ceil(10 / 5) = 2)
    assert AuditEntry.objects.filter(action="assessments.sitting.rounds").exists()


def test_rounds_are_only_for_skill_sittings(world):
    session = conduct_session(world)
    errors = _errors(
        lambda: svc.set_rounds(world.members["admin"], _sitting(session, "theory"), rounds=2)
    )
    assert "技能" in " ".join(m for ms in errors.values() for m in ms)


def test_too_few_and_an_even_number_where_odd_is_required_are_still_missing(world):
    session = conduct_session(world, methods=("skill",))
    enrol_many(world, session, 12)  # ceil(12 / 5) = 3
    sitting = _sitting(session, "skill")
    people = [engaged_person(world, n) for n in range(1, 5)]
    admin = world.members["admin"]
    svc.assign(admin, sitting, kind="examiner", person=people[0], is_leader=True)
    svc.assign(admin, sitting, kind="examiner", person=people[1])
    need = _need(session, "skill")
    assert (need.needed, need.assigned, need.missing, need.complete) == (3, 2, 1, False)
    svc.assign(admin, sitting, kind="examiner", person=people[2])
    assert _need(session, "skill").complete
    svc.assign(admin, sitting, kind="examiner", person=people[3])
    need = _need(session, "skill")
    assert need.uneven and need.missing == 1 and not need.complete  # 4 is even


def test_without_odd_an_even_panel_is_complete(world):
    ratios = {"skill_examiners_odd": False, "skill_min_examiners": 2}
    session = conduct_session(world, methods=("skill",), ratios=ratios)
    enrol_many(world, session, 3)
    sitting = _sitting(session, "skill")
    admin = world.members["admin"]
    for n, leader in ((1, True), (2, False)):
        svc.assign(
            admin, sitting, kind="examiner", person=engaged_person(world, n), is_leader=leader
        )
    assert _need(session, "skill").complete


# --- Who may be assigned ---------------------------------------------------------------------


def test_a_qualified_engaged_member_is_assigned_and_granted_the_session(world):
    session = conduct_session(world)
    person = engaged_person(world, 1)
    assignment = svc.assign(
        world.members["admin"], _sitting(session, "theory"), kind="invigilator", person=person
    )
    assert assignment.user == person.user and assignment.declared_at is None
    assert access.can(person.user, "assessments.session.read", session)
    other = conduct_session(world)
    assert not access.can(person.user, "assessments.session.read", other)
    assert AuditEntry.objects.filter(
        action="assessments.assignment.add", object_id=str(assignment.pk)
    ).exists()


def test_the_wrong_kind_for_the_sitting_is_refused_at_the_field(world):
    session = conduct_session(world)
    errors = _errors(
        lambda: svc.assign(
            world.members["admin"], _sitting(session, "theory"), kind="examiner",
            person=engaged_person(world, 1),
        )
    )  # fmt: skip
    assert "kind" in errors


def test_not_covered_for_the_occupation_is_refused(world):
    session = conduct_session(world)
    person = engaged_person(world, 1)
    person.occupations.all().delete()
    errors = _errors(
        lambda: svc.assign(world.members["admin"], _sitting(session, "skill"), kind="examiner",
                           person=person)
    )  # fmt: skip
    assert errors["person"] == ["认定职业和等级不在此人的资格范围内。"] or "person" in errors


def test_an_assessor_is_not_assigned_above_level_three(world):
    session = conduct_session(world, level="2")
    junior = engaged_person(world, 1, grade="examiner", highest="3")
    errors = _errors(
        lambda: svc.assign(world.members["admin"], _sitting(session, "skill"), kind="examiner",
                           person=junior)
    )  # fmt: skip
    assert "高级考评员" in errors["person"][0]
    senior = engaged_person(world, 2, grade="senior", highest="1")
    svc.assign(world.members["admin"], _sitting(session, "skill"), kind="examiner", person=senior)


def test_a_qualification_ended_before_the_sitting_is_refused(world):
    session = conduct_session(world, days=30)
    person = engaged_person(world, 1, valid_until=clock.today() + dt.timedelta(days=10))
    errors = _errors(
        lambda: svc.assign(world.members["admin"], _sitting(session, "theory"),
                           kind="invigilator", person=person)
    )  # fmt: skip
    assert "person" in errors


def test_a_suspended_qualification_is_refused(world):
    session = conduct_session(world)
    person = engaged_person(world, 1)
    type(person).objects.filter(pk=person.pk).update(status="suspended", suspension_reason="违规")
    person.refresh_from_db()
    errors = _errors(
        lambda: svc.assign(world.members["admin"], _sitting(session, "theory"),
                           kind="invigilator", person=person)
    )  # fmt: skip
    assert "违规" in errors["person"][0]


def test_a_person_without_the_role_or_retired_is_refused(world):
    session = conduct_session(world)
    person = engaged_person(world, 1)
    AgencyMembership.objects.filter(user=person.user).delete()
    errors = _errors(
        lambda: svc.assign(world.members["admin"], _sitting(session, "theory"),
                           kind="invigilator", person=person)
    )  # fmt: skip
    assert "person" in errors
    retired = engaged_person(world, 2)
    retired.engagements.update(retired_on=clock.today())
    errors = _errors(
        lambda: svc.assign(world.members["admin"], _sitting(session, "theory"),
                           kind="invigilator", person=retired)
    )  # fmt: skip
    assert "person" in errors


def test_the_supervisor_is_a_quality_supervisor_on_the_whole_session(world):
    session = conduct_session(world)
    supervisor = engaged_person(world, 1, kind="supervisor")
    admin = world.members["admin"]
    assert "kind" in _errors(
        lambda: svc.assign(admin, _sitting(session, "theory"), kind="supervisor", person=supervisor)
    )
    assert "person" in _errors(
        lambda: svc.assign(admin, session, kind="supervisor", person=engaged_person(world, 2))
    )
    svc.assign(admin, session, kind="supervisor", person=supervisor)
    assert _need(session).complete


def test_an_agency_of_another_province_or_a_stranger_cannot_assign(world):
    session = conduct_session(world)
    person = engaged_person(world, 1)
    for actor in (world.hlj_admin, world.members["examiner"]):
        with pytest.raises(Exception) as refused:
            svc.assign(actor, _sitting(session, "theory"), kind="invigilator", person=person)
        assert refused.type.__name__ == "PermissionDenied"


def test_one_group_leader_per_sitting_and_set_leader_moves_it(world):
    session = conduct_session(world, methods=("skill",))
    sitting = _sitting(session, "skill")
    admin = world.members["admin"]
    first = svc.assign(admin, sitting, kind="examiner", person=engaged_person(world, 1),
                       is_leader=True)  # fmt: skip
    assert "is_leader" in _errors(
        lambda: svc.assign(
            admin, sitting, kind="examiner", person=engaged_person(world, 2), is_leader=True
        )  # fmt: skip
    )
    second = svc.assign(admin, sitting, kind="examiner", person=engaged_person(world, 3))
    svc.set_leader(admin, second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_leader, second.is_leader) == (False, True)


def test_invigilators_have_no_group_leader(world):
    session = conduct_session(world)
    assert "is_leader" in _errors(
        lambda: svc.assign(world.members["admin"], _sitting(session, "theory"),
                           kind="invigilator", person=engaged_person(world, 1), is_leader=True)
    )  # fmt: skip


# --- Booked twice ----------------------------------------------------------------------------


def test_a_person_is_not_booked_in_two_places_at_once_across_agencies(world):
    from portal.models import AgencySite

    gd_session = conduct_session(world, methods=("skill",))
    hlj_site = AgencySite.objects.filter(agency=world.hlj_agency).first()
    hlj_session = conduct_session(
        world, agency=world.hlj_agency, site=hlj_site, methods=("skill",),
        times={"skill": (14, 17)},
    )  # fmt: skip
    person = engaged_person(world, 1)
    join_agency(world, person, world.hlj_agency)
    svc.assign(world.members["admin"], _sitting(gd_session, "skill"), kind="examiner",
               person=person)  # fmt: skip
    errors = _errors(
        lambda: svc.assign(world.hlj_admin, _sitting(hlj_session, "skill"), kind="examiner",
                           person=person)
    )  # fmt: skip
    assert world.gd_agency.name in errors["person"][0]
    # a sitting after the first one ends is fine
    Sitting.objects.filter(session=hlj_session).update(starts_at=dt.time(16), ends_at=dt.time(18))
    svc.assign(world.hlj_admin, _sitting(hlj_session, "skill"), kind="examiner", person=person)


def test_the_supervisor_of_a_session_is_busy_during_all_its_sittings(world):
    session = conduct_session(world)
    other = conduct_session(world, methods=("theory",), times={"theory": (10, 12)})
    supervisor = engaged_person(world, 1, kind="supervisor")
    svc.assign(world.members["admin"], session, kind="supervisor", person=supervisor)
    assert "person" in _errors(
        lambda: svc.assign(world.members["admin"], other, kind="supervisor", person=supervisor)
    )


def test_the_same_person_twice_on_a_sitting_is_refused(world):
    session = conduct_session(world)
    person = engaged_person(world, 1)
    svc.assign(world.members["admin"], _sitting(session, "theory"), kind="invigilator",
               person=person)  # fmt: skip
    assert "已" in _errors(
        lambda: svc.assign(world.members["admin"], _sitting(session, "theory"),
                           kind="invigilator", person=person)
    )["person"][0]  # fmt: skip


# --- Conflicts ------------------------------------------------------------------------------


def _assigned(world, session, method="skill", n=1, **kwargs):
    person = engaged_person(world, n)
    kind = svc.kind_for(_sitting(session, method))
    return svc.assign(world.members["admin"], _sitting(session, method), kind=kind,
                      person=person, **kwargs)  # fmt: skip


def test_before_declaring_nothing_opens_then_declared_and_found_conflicts_are_kept(world):
    session = conduct_session(world, methods=("skill",))
    own_staff, elsewhere, relative = enrol_many(world, session, 3)
    elsewhere.employer_uscc = OTHER_EMPLOYER
    elsewhere.save(update_fields=["employer_uscc"])
    assignment = _assigned(world, session)
    sitting = _sitting(session, "skill")
    assert queries.assignment_on(assignment.user, sitting) is None
    assert queries.assignment_on(assignment.user, sitting, declared=False) == assignment
    svc.declare_conflicts(
        assignment.user, assignment, employer_name="别家公司", employer_uscc=OTHER_EMPLOYER,
        conflicts={relative.pk: ("relative", "")},
    )  # fmt: skip
    assert queries.assignment_on(assignment.user, sitting) == assignment
    assert queries.conflicted_enrolment_ids(assignment) == {elsewhere.pk, relative.pk}
    kinds = dict(ConflictEntry.objects.values_list("enrolment_id", "kind"))
    assert kinds == {elsewhere.pk: "employer", relative.pk: "relative"}
    assert AuditEntry.objects.filter(action="assessments.assignment.declare").exists()


def test_the_candidate_who_is_the_examiner_is_found(world):
    session = conduct_session(world, methods=("skill",))
    assignment = _assigned(world, session)
    from assessments.models import Candidate

    me = Candidate.objects.create(
        real_name="考评员1", id_type="resident_id", id_number=assignment.examiner.id_number
    )
    (mine,) = enrol_many(world, session, 1, candidate=me, real_name=me.real_name)
    svc.declare_conflicts(assignment.user, assignment, employer_name="广东测试机构",
                          employer_uscc=world.gd_agency.uscc)  # fmt: skip
    assert ConflictEntry.objects.get(assignment=assignment).kind == "self"
    assert queries.conflicted_enrolment_ids(assignment) == {mine.pk}


def test_the_employer_agency_assesses_its_own_staff(world):
    session = conduct_session(world, methods=("skill",))
    enrol_many(world, session, 3)  # all employed by the agency itself
    assignment = _assigned(world, session)
    svc.declare_conflicts(assignment.user, assignment, employer_name="广东测试机构",
                          employer_uscc=world.gd_agency.uscc)  # fmt: skip
    assert queries.conflicted_enrolment_ids(assignment) == set()


def test_a_dispatched_candidate_working_at_the_examiners_unit_is_found(world):
    session = conduct_session(world, methods=("skill",))
    (dispatched,) = enrol_many(world, session, 1, dispatched=True, work_unit_name="别家公司",
                               work_unit_uscc=OTHER_EMPLOYER)  # fmt: skip
    assignment = _assigned(world, session)
    svc.declare_conflicts(assignment.user, assignment, employer_name="别家公司",
                          employer_uscc=OTHER_EMPLOYER)  # fmt: skip
    assert queries.conflicted_enrolment_ids(assignment) == {dispatched.pk}


def test_a_declaration_is_by_the_person_only_and_checks_its_fields(world):
    session = conduct_session(world, methods=("skill",))
    (one,) = enrol_many(world, session, 1)
    assignment = _assigned(world, session)
    with pytest.raises(ValidationError):
        svc.declare_conflicts(world.members["admin"], assignment, employer_name="x",
                              employer_uscc=OTHER_EMPLOYER)  # fmt: skip
    errors = _errors(
        lambda: svc.declare_conflicts(assignment.user, assignment, employer_name="",
                                      employer_uscc="123", conflicts={one.pk: ("other", "")})
    )  # fmt: skip
    assert {"employer_name", "employer_uscc", f"note_{one.pk}"} <= set(errors)
    assignment.refresh_from_db()
    assert assignment.declared_at is None and not ConflictEntry.objects.exists()


def test_standing_aside_ends_the_assignment_and_the_grant(world):
    session = conduct_session(world, methods=("skill",))
    assignment = _assigned(world, session, is_leader=True)
    user = assignment.user
    svc.declare_conflicts(user, assignment, employer_name="别家公司", employer_uscc=OTHER_EMPLOYER,
                          stand_aside=True, reason="与多名考生同属一个班组")  # fmt: skip
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.STOOD_ASIDE and not assignment.is_leader
    assert not access.can(user, "assessments.session.read", session)
    assert _need(session, "skill").assigned == 0


# --- Grants --------------------------------------------------------------------------------


def test_the_grant_goes_with_the_last_assignment_in_the_session(world):
    session = conduct_session(world)
    person = engaged_person(world, 1)
    admin = world.members["admin"]
    theory = svc.assign(admin, _sitting(session, "theory"), kind="invigilator", person=person)
    skill = svc.assign(admin, _sitting(session, "skill"), kind="examiner", person=person)
    svc.remove_assignment(admin, theory, reason="调整安排")
    assert access.can(person.user, "assessments.session.read", session)
    assert "reason" in _errors(lambda: svc.remove_assignment(admin, skill, reason=" "))
    svc.remove_assignment(admin, skill, reason="调整安排")
    assert not access.can(person.user, "assessments.session.read", session)
    assert not access.is_granted(person.user, "view_assessmentsession", session)


def test_removal_from_the_agency_ends_the_assignments_there(world):
    session = conduct_session(world)
    person = engaged_person(world, 1)
    assignment = svc.assign(world.members["admin"], _sitting(session, "theory"),
                            kind="invigilator", person=person)  # fmt: skip
    membership = AgencyMembership.objects.get(user=person.user, agency=world.gd_agency)
    agency_services.remove_member(world.members["admin"], membership)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED
    assert not access.is_granted(person.user, "view_assessmentsession", session)
    assert AuditEntry.objects.filter(action="assessments.assignment.member_removed").exists()


def test_archiving_takes_the_grants_away(world):
    session = conduct_session(world)
    assignment = _assigned(world, session, "theory")
    assert svc.revoke_session_access(session) == 1
    assert not access.is_granted(assignment.user, "view_assessmentsession", session)


# --- Review access for supervision ----------------------------------------------------------


def test_review_access_ends_on_its_date_even_before_the_job_runs(world, settings):
    from assessments.services import open_for_review

    session = conduct_session(world)
    reviewer = make_user("assign_reviewer", role="inspector", jurisdiction="230000")
    assert not access.can(reviewer, "assessments.session.read", session)
    until = clock.today() + dt.timedelta(days=5)
    grant = open_for_review(session, reviewer, until, granted_by="检查 1 号")
    assert access.can(reviewer, "assessments.session.read", session)
    assert open_for_review(session, reviewer, until + dt.timedelta(days=2)).pk == grant.pk
    ReviewGrant.objects.filter(pk=grant.pk).update(until=clock.today() - dt.timedelta(days=1))
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    assert access.is_granted(reviewer, "view_assessmentsession", session)  # job not run yet
    assert not access.can(reviewer, "assessments.session.read", session)
    assert periodic.jobs()["assessments.expire_review_grants"].func() == 1
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert not access.is_granted(reviewer, "view_assessmentsession", session)
    assert svc.expire_review_grants() == 0  # safe to run twice


def test_a_review_date_in_the_past_is_refused(world):
    from assessments.services import open_for_review

    session = conduct_session(world)
    reviewer = make_user("assign_reviewer2", role="inspector", jurisdiction="440000")
    assert "until" in _errors(
        lambda: open_for_review(session, reviewer, clock.today() - dt.timedelta(days=1))
    )


def test_my_assignments_lists_every_agency(world):
    from portal.models import AgencySite

    person = engaged_person(world, 1)
    join_agency(world, person, world.hlj_agency)
    gd = conduct_session(world, methods=("theory",))
    hlj_site = AgencySite.objects.filter(agency=world.hlj_agency).first()
    hlj = conduct_session(
        world, agency=world.hlj_agency, methods=("theory",), days=31, site=hlj_site
    )
    svc.assign(world.members["admin"], _sitting(gd, "theory"), kind="invigilator", person=person)
    svc.assign(world.hlj_admin, _sitting(hlj, "theory"), kind="invigilator", person=person)
    found = list(queries.assignments_of_user(person.user))
    assert {a.session.agency_id for a in found} == {world.gd_agency.pk, world.hlj_agency.pk}
    assert Assignment.objects.filter(user=person.user).count() == 2
    assert candidate_id(1)  # the builders' IDs stay synthetic


def test_candidates_enrolled_after_the_declaration_are_checked_again(world):
    session = conduct_session(world, methods=("skill",))
    assignment = _assigned(world, session)
    svc.declare_conflicts(assignment.user, assignment, employer_name="别家公司",
                          employer_uscc=OTHER_EMPLOYER)  # fmt: skip
    (late,) = enrol_many(world, session, 1, employer_uscc=OTHER_EMPLOYER)
    assert queries.conflicted_enrolment_ids(assignment) == set()
    assert svc.refresh_found_conflicts(session) == 1
    assert svc.refresh_found_conflicts(session) == 0
    assert queries.conflicted_enrolment_ids(assignment) == {late.pk}
