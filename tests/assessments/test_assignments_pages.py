"""The assignment pages: the agency sees what is missing and assigns at the form, with the
refusal at the field; takes someone off with a reason; sets the rounds; officials read it;
the person sees their assignments and declares on a list with IDs masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assignment, AssignmentStatus, ConflictEntry, Sitting
from assessments.services import assignments as svc
from tests.agencies.builders import uscc
from tests.assessments.builders import candidate_id, conduct_session, engaged_person, enrol_many

pytestmark = pytest.mark.django_db


def _page(world, session):
    return reverse("assessments:assignments", args=[world.gd_agency.pk, session.pk])


def test_the_agency_page_shows_what_is_missing_and_assigns(client, world):
    session = conduct_session(world)
    enrol_many(world, session, 12)
    person = engaged_person(world, 1)
    client.force_login(world.members["staff"])
    page = client.get(_page(world, session))
    text = page.content.decode()
    assert page.status_code == 200
    assert "还缺 6 人" in text and "未指定考评组长" in text  # 2 invigilators, 3 examiners, 1
    skill = Sitting.objects.get(session=session, method="skill")
    answer = client.post(
        _page(world, session),
        {"action": "assign", "a-place": str(skill.pk), "a-person": f"e{person.pk}",
         "a-is_leader": "on"},
    )  # fmt: skip
    assert answer.status_code == 302
    assert Assignment.objects.get(user=person.user).is_leader
    # the same person again: the refusal at the field, nothing saved
    again = client.post(
        _page(world, session),
        {"action": "assign", "a-place": str(skill.pk), "a-person": f"e{person.pk}"},
    )
    assert again.status_code == 200 and "此人已安排在这里" in again.content.decode()
    assert Assignment.objects.count() == 1


def test_rounds_and_removal_with_a_reason(client, world):
    session = conduct_session(world, methods=("skill",))
    enrol_many(world, session, 30)
    skill = Sitting.objects.get(session=session)
    client.force_login(world.members["admin"])
    answer = client.post(
        _page(world, session),
        {"action": "rounds", "sitting": str(skill.pk), f"r{skill.pk}-rounds": "3"},
    )
    assert answer.status_code == 302
    skill.refresh_from_db()
    assert skill.rounds == 3
    assignment = svc.assign(
        world.members["admin"], skill, kind="examiner", person=engaged_person(world, 1)
    )
    remove = reverse(
        "assessments:assignment_remove", args=[world.gd_agency.pk, session.pk, assignment.pk]
    )
    assert client.get(remove).status_code == 200
    empty = client.post(remove, {"reason": ""})
    assert empty.status_code == 200
    assert client.post(remove, {"reason": "临时有事"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED and assignment.end_reason == "临时有事"


def test_officials_of_the_province_read_it_and_others_do_not(client, world):
    session = conduct_session(world)
    url = reverse("assessments:plan_assignments", args=[session.pk])
    client.force_login(world.gd_official)
    page = client.get(url)
    assert page.status_code == 200 and 'name="action" value="assign"' not in page.content.decode()
    client.force_login(world.hlj_official)
    assert client.get(url).status_code == 404
    client.force_login(world.hlj_admin)
    assert client.get(_page(world, session)).status_code == 404


def test_the_person_declares_on_a_masked_list_and_sees_my_assignments(client, world):
    session = conduct_session(world, methods=("skill",))
    first, second = enrol_many(world, session, 2)
    assignment = svc.assign(
        world.members["admin"],
        Sitting.objects.get(session=session),
        kind="examiner",
        person=engaged_person(world, 1),
    )
    client.force_login(assignment.user)
    mine = client.get(reverse("assessments:my_assignments")).content.decode()
    assert str(session) in mine and "尚未声明" in mine
    url = reverse("assessments:declare", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert first.real_name in page and candidate_id(1) not in page
    assert candidate_id(1)[:3] in page  # masked, not hidden
    answer = client.post(
        url,
        {
            "employer_name": "别家公司",
            "employer_uscc": uscc("91440101MA59ABCD1"),
            f"kind_{second.pk}": "trainee",
        },
    )
    assert answer.status_code == 302
    assert ConflictEntry.objects.get(assignment=assignment).enrolment == second
    assert "已声明" in client.get(reverse("assessments:my_assignments")).content.decode()
    # someone else's assignment is not found
    client.force_login(world.members["examiner"])
    assert client.get(url).status_code == 404
