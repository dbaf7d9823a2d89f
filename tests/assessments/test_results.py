"""Results publicity (Art 20): publication on notice and its refusals, finality when the notice
stands, an upheld objection naming the candidates sent to correction and the corrected list
published as round 2, the hand-over to certificates (``final_passed_results``,
``record_certificates_issued``), due dates per agency kind, the worker's look-up (one answer
for every mismatch), score reviews and their deadline, the public notice filters."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import queries
from assessments.models import (
    ContestedResult,
    Result,
    ResultPublication,
    ResultStatus,
    ScoreReview,
)
from assessments.services import results as services
from portal import clock, notices
from portal.models import AgencyKind, NoticeOutcome, NoticeStatus, PublicNotice
from tests.assessments.builders import candidate_id, sat_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_captcha(settings):
    settings.CAPTCHA_ENABLED = False


def publish(world, session=None):
    session = session or sat_session(world)
    return services.publish_results(world.members["admin"], session)


def close(publication) -> int:
    with clock.frozen(publication.notice.ends_on + dt.timedelta(days=1)):
        return notices.close_due_notices()


def object_to(notice, content="第二名考生理论成绩登记有误。"):
    return notices.file_objection(notice, name="王某", contact="13900000000", content=content)


# --- publication ---------------------------------------------------------------------------------


def test_publishing_puts_every_result_on_notice_in_the_sites_province(world, settings):
    session = sat_session(world)
    publication = publish(world, session)
    notice = publication.notice
    assert publication.round == 1
    assert notice.kind == services.NOTICE_KIND and notice.jurisdiction == "440000"
    assert notice.agency_id == world.gd_agency.pk
    assert notice.period_working_days == settings.RESULTS_NOTICE_WORKING_DAYS == 5
    assert notice.ends_on == clock.add_working_days(clock.today(), 5)
    assert set(session.results.values_list("status", flat=True)) == {ResultStatus.ON_NOTICE}
    assert set(session.results.values_list("publication", flat=True)) == {publication.pk}
    session.refresh_from_db()
    assert session.results_published_at is not None
    # The rows are linked, never in the notice's text.
    assert "李考生" not in notice.body and candidate_id(1)[-4:] not in notice.body


def test_publication_is_refused_while_a_candidate_has_no_result(world):
    session = sat_session(world)
    Result.objects.filter(session=session).first().delete()
    refusal = services.publication_refusal(session)
    assert refusal.code == "missing" and "1" in refusal
    with pytest.raises(ValidationError):
        publish(world, session)
    assert not PublicNotice.objects.exists() and not ResultPublication.objects.exists()


def test_publication_is_refused_without_results_twice_on_notice_and_once_final(world):
    bare = sat_session(world, results=False)
    assert services.publication_refusal(bare).code == "no_results"
    session = sat_session(world)
    publication = publish(world, session)
    assert services.publication_refusal(session).code == "on_notice"
    with pytest.raises(ValidationError):
        publish(world, session)
    close(publication)
    assert services.publication_refusal(session).code == "final"


def test_only_the_agencys_admin_and_staff_publish(world):
    from django.core.exceptions import PermissionDenied

    session = sat_session(world)
    for user in (world.gd_official, world.members["examiner"], world.hlj_admin):
        with pytest.raises(PermissionDenied):
            services.publish_results(user, session)
    assert services.publish_results(world.members["staff"], session).round == 1


# --- the notice closes: final, and the hand-over to certificates ----------------------------------


def test_a_notice_that_stands_makes_the_results_final(world):
    session = sat_session(world)
    publication = publish(world, session)
    assert close(publication) == 1
    publication.notice.refresh_from_db()
    assert publication.notice.outcome == NoticeOutcome.STOOD
    assert set(session.results.values_list("status", flat=True)) == {ResultStatus.FINAL}
    assert not session.results.filter(final_at__isnull=True).exists()
    session.refresh_from_db()
    assert session.results_final_at is not None


def test_final_passed_results_are_only_the_final_passing_ones_with_the_snapshot(world):
    session = sat_session(world)
    assert queries.final_passed_results(session) == []  # provisional
    publication = publish(world, session)
    assert queries.final_passed_results(session) == []  # on notice
    close(publication)
    found = queries.final_passed_results(session)
    assert len(found) == 2  # the first candidate failed the theory
    row = next(r for r in found if r.real_name == "李考生1")
    assert row.id_number == candidate_id(1)  # decrypted as stored
    assert row.occupation.code == "6-31-01-03" and row.level.pk == "4"
    assert row.basis["methods"][0]["method"] == "theory"
    assert row.scores == {"theory": 81, "skill": 75}
    assert row.final_at is not None and row.certificate_number == ""
    assert row.last_sitting_on == session.last_sitting_on


def test_record_certificates_issued_refuses_then_records_once(world):
    session = sat_session(world)
    failing = session.results.get(outcome="failed")
    passing = list(session.results.filter(outcome="passed").order_by("pk"))
    with pytest.raises(ValidationError):  # not final yet
        services.record_certificates_issued(session, {passing[0].pk: "S000044000123244000001"})
    close(publish(world, session))
    with pytest.raises(ValidationError):  # a failed result gets no certificate
        services.record_certificates_issued(session, {failing.pk: "S000044000123244000009"})
    other = sat_session(world)
    close(publish(world, other))
    stranger = other.results.filter(outcome="passed").first()
    with pytest.raises(ValidationError):  # a result of another session
        services.record_certificates_issued(session, {stranger.pk: "S000044000123244000008"})
    numbers = {r.pk: f"S00004400012324400000{i + 1}" for i, r in enumerate(passing)}
    assert services.record_certificates_issued(session, numbers) == 2
    assert services.record_certificates_issued(session, numbers) == 0  # idempotent
    with pytest.raises(ValidationError):  # another number for a recorded result
        services.record_certificates_issued(session, {passing[0].pk: "S000044000123244000007"})
    assert {r.certificate_number for r in queries.final_passed_results(session)} == set(
        numbers.values()
    )
    session.refresh_from_db()
    assert session.certificates_recorded_at is not None


# --- an upheld objection: the named candidates to correction, round 2 ---------------------------


def test_an_upheld_objection_sends_the_named_candidates_to_correction_then_round_two(client, world):
    session = sat_session(world)
    first = publish(world, session)
    objection = object_to(first.notice)
    named = session.results.get(enrolment__real_name="李考生2")
    services.uphold_for_candidates(
        world.gd_official, objection, results=[named.pk], reason="登记错误属实。"
    )
    first.notice.refresh_from_db()
    assert first.notice.outcome == NoticeOutcome.OVERTURNED
    named.refresh_from_db()
    assert named.status == ResultStatus.CORRECTION
    assert ContestedResult.objects.filter(objection=objection, result=named).exists()
    others = session.results.exclude(pk=named.pk)
    assert set(others.values_list("status", flat=True)) == {ResultStatus.ON_NOTICE}
    assert services.publication_refusal(session).code == "correction"
    # The scores stage recomputes the corrected result (provisional again).
    Result.objects.filter(pk=named.pk).update(
        status=ResultStatus.PROVISIONAL, scores={"theory": 90, "skill": 75}
    )
    second = publish(world, session)
    assert second.round == 2 and second.notice.pk != first.notice.pk
    assert "2" in second.notice.title
    assert set(session.results.values_list("publication", flat=True)) == {second.pk}
    old_rows = client.get(reverse("assessments:notice_rows", args=[first.notice.pk]))
    assert "已由更正后的名单取代" in old_rows.content.decode()
    assert reverse("assessments:notice_rows", args=[second.notice.pk]) in old_rows.content.decode()
    new_rows = client.get(reverse("assessments:notice_rows", args=[second.notice.pk]))
    assert "李**2" in new_rows.content.decode()
    close(second)
    assert set(session.results.values_list("status", flat=True)) == {ResultStatus.FINAL}


def test_upholding_a_results_objection_without_naming_anyone_leaves_the_notice_open(world):
    publication = publish(world)
    objection = object_to(publication.notice)
    with pytest.raises(ValidationError):
        notices.uphold_objection(world.gd_official, objection, reason="成立。")
    with pytest.raises(ValidationError):
        services.uphold_for_candidates(world.gd_official, objection, results=[], reason="成立。")
    publication.notice.refresh_from_db()
    assert publication.notice.status == NoticeStatus.OPEN
    assert not publication.session.results.filter(status=ResultStatus.CORRECTION).exists()


def test_only_officials_of_the_sites_province_uphold(world):
    from django.core.exceptions import PermissionDenied

    publication = publish(world)
    objection = object_to(publication.notice)
    result = publication.session.results.first()
    for user in (world.hlj_official, world.members["admin"]):
        with pytest.raises(PermissionDenied):
            services.uphold_for_candidates(user, objection, results=[result.pk], reason="成立")
    services.uphold_for_candidates(world.ministry, objection, results=[result.pk], reason="成立")


def test_the_officials_uphold_page_names_candidates_after_a_confirmation(client, world):
    publication = publish(world)
    objection = object_to(publication.notice)
    named = publication.session.results.get(enrolment__real_name="李考生1")
    client.force_login(world.gd_official)
    manage = client.get(reverse("notices:manage_detail", args=[publication.notice.pk]))
    url = reverse("assessments:results_uphold", args=[objection.pk])
    assert url in manage.content.decode()
    page = client.get(url).content.decode()
    assert "李考生1" in page and candidate_id(1) not in page
    data = {"results": [str(named.pk)], "reason": "登记错误属实。"}
    confirm = client.post(url, data)
    assert "确认" in confirm.content.decode() and "李考生1" in confirm.content.decode()
    named.refresh_from_db()
    assert named.status == ResultStatus.ON_NOTICE  # nothing before the confirmation
    done = client.post(url, {**data, "confirmed": "1"})
    assert done.status_code == 302
    named.refresh_from_db()
    assert named.status == ResultStatus.CORRECTION


# --- due dates ----------------------------------------------------------------------------------


def test_results_are_due_5_working_days_after_the_sitting_for_a_social_org(world, settings):
    monday = dt.date(2027, 3, 1)
    with clock.frozen(monday + dt.timedelta(days=2)):
        session = sat_session(world, days_ago=2)  # sat on the Monday
    assert world.gd_agency.kind == AgencyKind.SOCIAL_ORG
    assert services.results_due_on(session) == dt.date(2027, 3, 8)
    own = queries.sessions_of_agency(world.gd_agency)
    with clock.frozen(dt.date(2027, 3, 8)):
        assert not services.late_sessions(own).exists()
    with clock.frozen(dt.date(2027, 3, 9)):
        assert list(services.late_sessions(own)) == [session]
    settings.RESULTS_DUE_WORKING_DAYS_SOCIAL_ORG = 6
    with clock.frozen(dt.date(2027, 3, 9)):
        assert not services.late_sessions(own).exists()


def test_an_employer_has_10_working_days(world):
    from portal.models import Agency

    Agency.objects.filter(pk=world.gd_agency.pk).update(kind=AgencyKind.EMPLOYER)
    monday = dt.date(2027, 3, 1)
    with clock.frozen(monday + dt.timedelta(days=1)):
        session = sat_session(world, days_ago=1)
    session.refresh_from_db()
    assert services.results_due_on(session) == dt.date(2027, 3, 15)
    own = queries.sessions_of_agency(world.gd_agency)
    with clock.frozen(dt.date(2027, 3, 9)):
        assert not services.late_sessions(own).exists()  # late for a social org already
    with clock.frozen(dt.date(2027, 3, 16)):
        assert services.late_sessions(own).exists()


def test_published_results_are_not_late_and_late_ones_show_on_both_dashboards(client, world):
    with clock.frozen(dt.date(2027, 3, 12)):
        session = sat_session(world, days_ago=11)
        published = sat_session(world, days_ago=11)
        publish(world, published)
        mine = queries.sessions_of_agency(world.gd_agency)
        assert list(services.late_sessions(mine)) == [session]
        client.force_login(world.members["admin"])
        home = reverse("portal:agency_home", args=[world.gd_agency.pk])
        agency_page = client.get(home).content.decode()
        client.force_login(world.gd_official)
        official_page = client.get(reverse("portal:dashboard")).content.decode()
        client.force_login(world.hlj_official)
        other_page = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 个认定批次成绩已过公示期限" in agency_page
    assert world.gd_agency.name in official_page
    assert world.gd_agency.name not in other_page


# --- the worker's look-up and score reviews --------------------------------------------------


def _message(response) -> str:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return re.search(r"<main.*</main>", body, re.S).group(0)


def test_the_lookup_answers_every_mismatch_alike_and_is_never_stored(client, world):
    session = sat_session(world)
    url = reverse("assessments:result_lookup")
    good = {"ticket": f"T{session.pk}-1", "name": "李考生1", "id_number": candidate_id(1)}
    unpublished = client.post(url, good)
    publish(world, session)
    wrong = [
        {**good, "ticket": f"T{session.pk}-9"},
        {**good, "name": "李考生2"},
        {**good, "id_number": candidate_id(2)},
        {**good, "ticket": f"T{session.pk}-2"},  # another candidate's ticket
    ]
    answers = {_message(client.post(url, data)) for data in wrong}
    answers.add(_message(unpublished))
    assert len(answers) == 1
    assert "没有找到与所填信息相符的已公示成绩" in answers.pop()
    found = client.post(url, {**good, "ticket": good["ticket"].lower()})
    assert found["Cache-Control"] == "no-store"
    page = found.content.decode()
    assert "理论知识考试" in page and "81" in page and "公示中" in page
    assert candidate_id(1) not in page  # the ID typed in is not echoed in the page text
    assert unpublished["Cache-Control"] == "no-store"


def test_a_review_is_asked_within_the_deadline_answered_and_tracked(client, world, settings):
    session = sat_session(world)
    publication = publish(world, session)
    result = session.results.get(enrolment__real_name="李考生1")
    deadline = services.review_deadline(result)
    assert deadline == clock.add_working_days(clock.today(), settings.SCORE_REVIEW_WORKING_DAYS)
    url = reverse("assessments:result_lookup")
    identity = {"ticket": f"T{session.pk}-1", "name": "李考生1", "id_number": candidate_id(1)}
    found = client.post(url, identity).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', found).group(1)
    forged = client.post(
        url, {"action": "review", "token": token + "x", "contact": "13800000001", "request": "x"}
    )
    assert not ScoreReview.objects.exists() and "没有找到" in forged.content.decode()
    page = client.post(
        url,
        {"action": "review", "token": token, "contact": "13800000001", "request": "技能分数偏低"},
    ).content.decode()
    review = ScoreReview.objects.get(result=result)
    code = notices.format_tracking_code(review.tracking_code)
    assert code in page
    assert services.review_refusal(result).code == "open"  # one open review at a time
    client.force_login(world.members["staff"])
    reviews = reverse("assessments:reviews", args=[world.gd_agency.pk, session.pk])
    assert "技能分数偏低" in client.get(reviews).content.decode()
    client.post(
        reviews,
        {"review": review.pk, f"r{review.pk}-answer": "复核后分数无误。"},
    )
    review.refresh_from_db()
    assert review.answer == "复核后分数无误。" and not review.changed
    client.logout()
    tracked = client.post(reverse("assessments:review_track"), {"code": code.lower()})
    assert "复核后分数无误。" in tracked.content.decode()
    assert tracked["Cache-Control"] == "no-store"
    with clock.frozen(deadline + dt.timedelta(days=1)):
        assert services.review_refusal(result).code == "late"
        with pytest.raises(ValidationError):
            services.request_review(result, contact="13800000001", request="再次复核")
    assert publication.round == 1


def test_a_changed_score_returns_the_result_to_correction(world):
    session = sat_session(world)
    publish(world, session)
    result = session.results.get(enrolment__real_name="李考生2")
    review = services.request_review(result, contact="a@example.cn", request="理论成绩漏计")
    services.answer_review(world.members["admin"], review, answer="漏计一题，更正。", changed=True)
    result.refresh_from_db()
    assert result.status == ResultStatus.CORRECTION
    with pytest.raises(ValidationError):
        services.answer_review(world.members["admin"], review, answer="再答", changed=False)


# --- public pages --------------------------------------------------------------------------------


def test_the_notice_links_its_rows_masked_and_paginated(client, world, monkeypatch):
    from assessments.views import results as views

    monkeypatch.setattr(views, "ROWS_PER_PAGE", 1)
    publication = publish(world)
    detail = client.get(reverse("notices:detail", args=[publication.notice.pk])).content.decode()
    rows_url = reverse("assessments:notice_rows", args=[publication.notice.pk])
    assert rows_url in detail
    first = client.get(rows_url).content.decode()
    second = client.get(rows_url + "?page=2").content.decode()
    assert "李**1" in first + second and "李考生" not in first + second
    assert candidate_id(1) not in first + second and candidate_id(1)[-4:] in first + second
    assert "李**0" not in first + second  # failed: not listed
    assert "电工" in first and world.gd_agency.name in first


def test_the_public_notice_list_filters_by_kind_province_and_agency(client, world):
    gd = publish(world).notice
    other = notices.publish_notice(
        world.hlj_official, "tests.thing:1", kind="agencies.approval", title="黑龙江遴选公示",
        body="公示内容", period_working_days=5, jurisdiction="230000", agency=world.hlj_agency,
    )  # fmt: skip
    url = reverse("notices:list")

    def titles(**query) -> set[str]:
        page = client.get(url, query).context["page"]
        return {item.title for item in page.object_list}

    assert titles() == {gd.title, other.title}
    assert titles(kind=services.NOTICE_KIND) == {gd.title}
    assert titles(province="230000") == {other.title}
    assert titles(agency=world.gd_agency.name[:4]) == {gd.title}
    assert titles(agency=world.hlj_agency.uscc) == {other.title}
    assert titles(kind="agencies.approval", province="440000") == set()
    body = client.get(url, {"kind": "nonsense"}).content.decode()
    assert "已忽略" in body


def test_the_public_list_counts_at_most_its_cap(world, django_assert_max_num_queries):
    from portal.notices.views import CappedPaginator

    for i in range(5):
        notices.publish_notice(
            world.gd_official, f"tests.cap:{i}", kind="agencies.approval", title=f"公示{i}",
            body="内容", period_working_days=5, jurisdiction="440000",
        )  # fmt: skip
    paginator = CappedPaginator(notices.public_notices(), 2)
    paginator.cap = 3
    assert paginator.count == 3 and paginator.capped and paginator.num_pages == 2
    with django_assert_max_num_queries(2):
        assert len(list(paginator.page(2).object_list)) == 1


def test_the_demo_publishes_one_session_and_makes_another_final(world):
    from assessments import demo_results

    recent = sat_session(world, days_ago=1)
    older = sat_session(world, days_ago=20)
    on_notice = demo_results.publish(recent)
    assert demo_results.publish(recent) == on_notice  # idempotent
    assert set(recent.results.values_list("status", flat=True)) == {ResultStatus.ON_NOTICE}
    demo_results.make_final(older)
    older.refresh_from_db()
    assert older.results_final_at is not None
    assert older.results_published_at.date() < clock.today()
    assert len(queries.final_passed_results(older)) == 2
    demo_results.make_final(recent)
    assert set(recent.results.values_list("status", flat=True)) == {ResultStatus.FINAL}
