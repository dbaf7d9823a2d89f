"""The scores pages (Art 18–20): who sees what; an examiner never sees another's marks nor a
conflicted candidate; a failed import shows its errors at the file; the supervisor confirms."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import ConflictEntry, MethodScore, Result, TheorySheet
from assessments.services import scores as sc
from portal import clock
from tests.assessments.builders import scoring_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def s(world):
    return scoring_session(world)


def as_user(client, user):
    client.force_login(user)
    return client


def test_an_examiner_sees_only_their_own_marks_and_candidates(client, world, s):
    first, second = s.panel
    a, b = s.people[:2]
    ConflictEntry.objects.create(
        assignment=second, enrolment=b, kind="relative", source="declared", recorded_at=clock.now()
    )
    sc.save_marks(first.user, s.skill, {a.pk: "87.5"})
    url = reverse("assessments:score_marks", args=[s.skill.pk])
    page = as_user(client, second.user).get(url).content.decode()
    assert a.real_name in page and b.real_name not in page
    assert "87.5" not in page  # the first examiner's mark
    response = client.post(url, {f"mark_{a.pk}": "200", "action": "save"})
    assert response.status_code == 200 and "100" in response.content.decode()
    response = client.post(url, {f"mark_{a.pk}": "80", "action": "save"})
    assert response.status_code == 302
    page = as_user(client, first.user).get(url).content.decode()
    assert "87.5" in page and ">80<" not in page


def test_who_reads_the_scores_page(client, world, s):
    url = reverse("assessments:scores", args=[s.session.pk])
    assert as_user(client, world.members["admin"]).get(url).status_code == 200
    assert as_user(client, world.gd_official).get(url).status_code == 200
    assert as_user(client, world.hlj_official).get(url).status_code == 404
    assert as_user(client, world.hlj_admin).get(url).status_code == 404
    assert as_user(client, world.nobody).get(url).status_code == 404
    page = as_user(client, s.panel[0].user).get(url).content.decode()
    assert "操作技能考核" in page or "skill" in page
    response = client.post(url, {"action": "compute"})
    assert response.status_code == 403
    assert as_user(client, world.gd_official).post(url, {"action": "compute"}).status_code == 403
    results = reverse("assessments:score_results", args=[s.session.pk])
    assert as_user(client, s.panel[0].user).get(results).status_code == 404


def test_a_failed_import_shows_the_rows_and_saves_nothing(client, world, s):
    book = Workbook()
    sheet = book.active
    sheet.append(["准考证号", "成绩"])
    sheet.append([s.people[0].ticket.code, "abc"])
    out = io.BytesIO()
    book.save(out)
    url = reverse("assessments:score_theory", args=[s.theory.pk])
    response = as_user(client, world.members["admin"]).post(
        url, {"action": "upload", "f-scores_file": SimpleUploadedFile("t.xlsx", out.getvalue())}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "第 2 行" in text or "Row 2" in text
    assert not TheorySheet.objects.exists()


def test_the_agency_submits_and_computes_and_the_supervisor_confirms(client, world, s):
    for a in s.panel:
        sc.save_marks(a.user, s.skill, {e.pk: 75 for e in s.people})
        sc.submit_marks(a.user, s.skill)
    for user in (world.members["admin"], world.members["staff"]):
        sc.enter_theory(user, s.theory, values={e.pk: 66 for e in s.people})
    as_user(client, world.members["admin"])
    theory = reverse("assessments:score_theory", args=[s.theory.pk])
    assert client.post(theory, {"action": "accept"}).status_code == 302
    url = reverse("assessments:scores", args=[s.session.pk])
    for method in ("theory", "skill"):
        assert client.post(url, {"action": "submit", "method": method}).status_code == 302
    assert client.post(url, {"action": "compute"}).status_code == 302
    assert Result.objects.filter(outcome="passed").count() == 4
    page = client.get(reverse("assessments:score_results", args=[s.session.pk])).content.decode()
    assert s.people[0].real_name in page
    score = MethodScore.objects.get(enrolment=s.people[0], method="theory")
    ask = reverse("assessments:score_correct", args=[score.pk])
    assert client.post(ask, {"value": "", "reason": ""}).status_code == 200
    assert client.post(ask, {"value": "59", "reason": "试卷复核漏扣分"}).status_code == 302
    correction = score.corrections.get()
    page_url = reverse("assessments:score_correction", args=[correction.pk])
    assert client.post(page_url, {"action": "confirm"}).status_code == 403
    as_user(client, s.supervision.user)
    assert client.get(page_url).status_code == 200
    assert client.post(page_url, {"action": "confirm"}).status_code == 302
    score.refresh_from_db()
    assert str(score.value) == "59.0"
    as_user(client, world.members["admin"])
    assert client.post(url, {"action": "compute"}).status_code == 302
    assert Result.objects.get(enrolment=s.people[0]).outcome == "failed"


def test_the_leader_settles_on_the_page(client, world, s):
    leader, other = s.panel
    a = s.people[0]
    sc.save_marks(leader.user, s.skill, {e.pk: 60 for e in s.people})
    sc.submit_marks(leader.user, s.skill)
    sc.save_marks(other.user, s.skill, {**{e.pk: 62 for e in s.people}, a.pk: 90})
    sc.submit_marks(other.user, s.skill)
    score = MethodScore.objects.get(enrolment=a, method="skill")
    url = reverse("assessments:score_settle", args=[score.pk])
    assert as_user(client, other.user).get(url).status_code == 404
    marks_page = as_user(client, leader.user).get(
        reverse("assessments:score_marks", args=[s.skill.pk])
    )
    assert url in marks_page.content.decode()
    page = client.get(url).content.decode()
    assert "90.0" in page and "60.0" in page  # the leader sees both marks to settle
    assert client.post(url, {"value": "75", "reason": ""}).status_code == 200
    assert client.post(url, {"value": "75", "reason": "复看录像"}).status_code == 302
    score.refresh_from_db()
    assert score.source == "settled"
