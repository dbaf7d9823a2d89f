"""Vetting in the officials' and experts' pages (Art 11, 14, 15): every transition through
the views, with the rows and audit entries it leaves, and the refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies import services as agency_services
from agencies.models import (
    AgencyCall,
    ApplicationStatus,
    CallStatus,
    ExpertAssignment,
    MaterialReview,
    SiteVisit,
    UsccCheck,
)
from agencies.services.applications import ScopeRequest
from catalog.models import Occupation, SkillLevel
from portal import clock
from portal.models import AgencySite, AgencyStatus, AuditEntry, Province
from tests.agencies.builders import (
    call_data,
    fill,
    gd_call,
    more_experts,
    register,
    submitted_application,
    under_review,
    uscc,
)
from tests.catalog.builders import electrician_standard

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def review_all(application, experts, recommendation="approve"):
    for expert in experts:
        assignment = ExpertAssignment.objects.get(application=application, expert=expert)
        agency_services.declare_conflict(expert, assignment, has_conflict=False)
        agency_services.submit_expert_review(
            expert,
            assignment,
            scores=dict.fromkeys(range(1, 6), 80),
            opinion="符合条件。",
            recommendation=recommendation,
        )


def audit_actions(application) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_id=str(application.pk), action__startswith="agencies.application."
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def application(world):
    return submitted_application(world)


def login(client, user):
    client.logout()
    client.force_login(user)
    return client


def detail_url(application) -> str:
    return reverse("agencies:vetting_detail", args=[application.pk])


def post(client, application, **data):
    return client.post(detail_url(application), data)


# --- Calls (Art 11) -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_official_drafts_edits_publishes_and_closes_a_call(client, world):
    login(client, world.gd_official)
    response = client.post(reverse("agencies:manage_call_new"), call_data())
    call = AgencyCall.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/calls/{call.pk}/")
    assert call.jurisdiction == "440000" and call.status == CallStatus.DRAFT
    assert sorted(call.occupations.values_list("code", flat=True)) == ["4-13-01-05", "6-31-01-03"]
    assert (call.min_years, call.min_per_occupation, call.filing_term_years) == (3, 200, 3)

    response = client.post(
        reverse("agencies:manage_call_edit", args=[call.pk]),
        call_data(title="修改后的公告", occupation_codes="9-99-99-99"),
    )
    assert "9-99-99-99" in response.content.decode()  # unknown code shown at the field
    client.post(
        reverse("agencies:manage_call_edit", args=[call.pk]),
        call_data(title="修改后的公告", occupation_codes=""),
    )
    call.refresh_from_db()
    assert call.title == "修改后的公告" and not call.occupations.exists()

    client.post(reverse("agencies:manage_call", args=[call.pk]), {"action": "publish"})
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED and call.published_at
    # A published call cannot be edited any more.
    client.post(reverse("agencies:manage_call_edit", args=[call.pk]), call_data(title="再改"))
    call.refresh_from_db()
    assert call.title == "修改后的公告"
    client.post(reverse("agencies:manage_call", args=[call.pk]), {"action": "close"})
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED
    entries = AuditEntry.objects.filter(object_id=str(call.pk), action__startswith="agencies.call.")
    actions = list(entries.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "agencies.call.create",
        "agencies.call.change",
        "agencies.call.publish",
        "agencies.call.close",
    ]
    body = client.get(reverse("agencies:manage_calls")).content.decode()
    assert "修改后的公告" in body


@pytest.mark.django_db
def test_calls_of_another_province_answer_404(client, world):
    call = gd_call(world)
    for user in (world.hlj_official, world.ministry):
        login(client, user)
        assert client.get(reverse("agencies:manage_call", args=[call.pk])).status_code == 404
        response = client.post(reverse("agencies:manage_call", args=[call.pk]), {"action": "close"})
        assert response.status_code == 404
        assert call.title not in client.get(reverse("agencies:manage_calls")).content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED


@pytest.mark.django_db
def test_a_call_with_a_deadline_before_its_opening_is_refused_at_the_field(client, world):
    login(client, world.gd_official)
    today = clock.today()
    response = client.post(
        reverse("agencies:manage_call_new"),
        call_data(deadline=(today - dt.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200 and not AgencyCall.objects.exists()


# --- The queue and the application page -----------------------------------------------------------


@pytest.mark.django_db
def test_queue_counts_filters_and_jurisdiction(client, world, application):
    login(client, world.gd_official)
    body = client.get(reverse("agencies:vetting")).content.decode()
    assert world.gd_agency.name in body and "（1）" in body
    body = client.get(reverse("agencies:vetting"), {"status": "under_review"}).content.decode()
    assert detail_url(application) not in body
    login(client, world.hlj_official)
    assert detail_url(application) not in client.get(reverse("agencies:vetting")).content.decode()
    login(client, world.osta_gd)
    assert detail_url(application) in client.get(reverse("agencies:vetting")).content.decode()


@pytest.mark.django_db
def test_the_application_page_shows_all_materials(client, world, application):
    login(client, world.gd_official)
    body = client.get(detail_url(application)).content.decode()
    assert "广州市天河区测试路1号" in body and "第3项条件的说明" in body
    evidence = application.conditions.get(condition=3).evidence.get()
    assert reverse("portal:document_download", args=[evidence.pk]) in body
    assert "电工国家职业技能标准（2018年版）" in body  # the basis of each level
    assert "三级/高级工" in body and "广州站" in body
    assert "3000" in body  # declared figures beside the call's thresholds
    assert client.get(reverse("portal:document_download", args=[evidence.pk])).status_code == 200


@pytest.mark.django_db
def test_other_provinces_experts_and_applicants_get_404(client, world, application):
    for user in (world.hlj_official, world.expert, world.members["admin"], world.nobody):
        login(client, user)
        assert client.get(detail_url(application)).status_code == 404
        assert post(client, application, action="accept", use_expert_review="on").status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    client.logout()
    assert client.get(detail_url(application)).status_code == 302


@pytest.mark.django_db
def test_testing_centre_staff_read_but_cannot_vet(client, world, application):
    login(client, world.osta_gd)
    body = client.get(detail_url(application)).content.decode()
    assert "第3项条件的说明" in body and 'value="accept"' not in body
    assert post(client, application, action="accept", use_expert_review="on").status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


# --- Material check -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_accept_is_refused_while_the_uscc_is_flagged_then_confirmed(client, world):
    call = gd_call(world)
    admin = world.members["admin"]
    application = agency_services.start_application(admin, world.gd_agency, call)
    agency_services.update_application(admin, application, uscc="91440300MA5F8G9H2A")
    # A code whose check character does not match (GB 32100): flagged on submission.
    agency_services.update_application(
        admin,
        application,
        address="广州",
        legal_representative="张三",
        contact_name="李四",
        contact_phone="020-1",
        declared_years=5,
        declared_total_assessed=3000,
    )
    electrician_standard(world.osta_national)
    for condition in range(1, 6):
        agency_services.set_condition(admin, application, condition, "说明")
        agency_services.add_evidence(
            admin, application, condition, SimpleUploadedFile("e.pdf", PDF), title="证明"
        )
    agency_services.set_scope(
        admin,
        application,
        [
            ScopeRequest(
                Occupation.objects.get(code="6-31-01-03"), [SkillLevel.objects.get(code="5")]
            )
        ],
    )
    agency_services.set_sites(
        admin, application, [("广州站", Province.objects.get(code="440000"), "广州")]
    )
    application = agency_services.submit_application(admin, application, pledge=True)
    assert application.uscc_check == UsccCheck.FLAGGED

    login(client, world.gd_official)
    body = client.get(detail_url(application)).content.decode()
    assert 'value="uscc"' in body
    response = post(client, application, action="accept", use_expert_review="on")
    assert response.status_code == 200
    assert (
        "Confirm or reject" in response.content.decode()
        or "统一社会信用代码" in response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert "agencies.application.accept" not in audit_actions(application)

    response = post(client, application, action="uscc", decision="confirm", note="")
    assert response.status_code == 200  # the note is required
    post(client, application, action="uscc", decision="confirm", note="与营业执照核对一致")
    application.refresh_from_db()
    assert application.uscc_check == UsccCheck.CONFIRMED
    assert application.uscc_note == "与营业执照核对一致"
    post(client, application, action="accept", use_expert_review="on")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert audit_actions(application)[-2:] == [
        "agencies.application.uscc",
        "agencies.application.accept",
    ]


@pytest.mark.django_db
def test_return_with_comments_per_item(client, world, application):
    login(client, world.gd_official)
    response = post(client, application, action="return")
    assert response.status_code == 200  # nothing said: refused at the field
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    post(
        client,
        application,
        action="return",
        c_condition_3="请补充场地照片",
        c_sites="地址不完整",
        general_comment="请补正后重新提交",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    review = application.material_reviews.get(round=1)
    assert review.decision == MaterialReview.Decision.RETURNED
    assert review.comments == {"condition_3": "请补充场地照片", "sites": "地址不完整"}
    assert review.general_comment == "请补正后重新提交" and review.decided_by == world.gd_official
    assert audit_actions(application)[-1] == "agencies.application.return"
    body = client.get(detail_url(application)).content.decode()
    assert "请补充场地照片" in body and 'value="accept"' not in body
    # Wrong state: a returned application cannot be accepted.
    post(client, application, action="accept", use_expert_review="on")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED


@pytest.mark.django_db
def test_accept_chooses_the_methods_and_cannot_be_repeated(client, world, application):
    login(client, world.gd_official)
    post(
        client,
        application,
        action="accept",
        use_expert_review="on",
        use_site_visit="on",
        comment="材料齐全",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.use_expert_review and application.use_site_visit
    review = application.material_reviews.get()
    assert review.decision == MaterialReview.Decision.ACCEPTED
    assert review.general_comment == "材料齐全"
    entries = audit_actions(application)
    response = post(client, application, action="accept", use_expert_review="on")
    assert response.status_code == 200
    assert audit_actions(application) == entries


# --- Expert review --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_assign_experts_from_the_pool(client, world, application):
    others = more_experts(2)
    agency_services.accept_materials(
        world.gd_official, application, use_expert_review=True, use_site_visit=False
    )
    login(client, world.gd_official)
    body = client.get(detail_url(application)).content.decode()
    assert "专家3" in body and "hlj" not in body
    response = post(client, application, action="assign", experts=[world.expert.pk])
    assert response.status_code == 200 and not ExpertAssignment.objects.exists()
    post(client, application, action="assign", experts=[world.expert.pk, *(e.pk for e in others)])
    assert ExpertAssignment.objects.filter(application=application).count() == 3
    assert audit_actions(application)[-1] == "agencies.application.assign_experts"
    entry = AuditEntry.objects.filter(action="agencies.application.assign_experts").get()
    assert entry.audience == "authority"
    evidence = application.conditions.get(condition=1).evidence.get()
    login(client, world.expert)
    assert client.get(reverse("portal:document_download", args=[evidence.pk])).status_code == 200
    login(client, world.expert2)
    assert client.get(reverse("portal:document_download", args=[evidence.pk])).status_code == 404


@pytest.fixture
def reviewing(world, application):
    experts = [world.expert, *more_experts(2)]
    return under_review(world, application, experts), experts


def assignment_url(assignment) -> str:
    return reverse("agencies:expert_assignment", args=[assignment.pk])


@pytest.mark.django_db
def test_an_expert_declares_and_scores(client, world, reviewing):
    application, experts = reviewing
    assignment = ExpertAssignment.objects.get(application=application, expert=world.expert)
    login(client, world.expert)
    body = client.get(reverse("agencies:expert_assignments")).content.decode()
    assert assignment_url(assignment) in body
    body = client.get(assignment_url(assignment)).content.decode()
    assert 'value="declare"' in body and "第3项条件的说明" not in body  # declaration first
    # Scoring before the declaration is refused.
    scores = {f"score_{c}": "85" for c in range(1, 6)}
    client.post(
        assignment_url(assignment),
        {"action": "review", **scores, "opinion": "好", "recommendation": "approve"},
    )
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    client.post(assignment_url(assignment), {"action": "declare", "has_conflict": "no"})
    assignment.refresh_from_db()
    assert assignment.conflict == ExpertAssignment.Conflict.NONE
    body = client.get(assignment_url(assignment)).content.decode()
    evidence = application.conditions.get(condition=3).evidence.get()
    assert "第3项条件的说明" in body
    assert reverse("portal:document_download", args=[evidence.pk]) in body
    response = client.post(
        assignment_url(assignment),
        {
            "action": "review",
            **scores,
            "score_2": "120",
            "opinion": "",
            "recommendation": "approve",
        },
    )
    assert response.status_code == 200
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    client.post(
        assignment_url(assignment),
        {
            "action": "review",
            **scores,
            "score_2": "70",
            "opinion": "条件基本具备",
            "recommendation": "approve",
        },
    )
    assignment.refresh_from_db()
    assert assignment.scores == {"1": 85, "2": 70, "3": 85, "4": 85, "5": 85}
    assert assignment.recommendation == "approve" and assignment.submitted_at
    assert audit_actions(application)[-2:] == [
        "agencies.application.declare",
        "agencies.application.expert_review",
    ]
    # The official sees the identity, the average and the opinion.
    login(client, world.gd_official)
    body = client.get(detail_url(application)).content.decode()
    assert "条件基本具备" in body and "70.0" in body and world.expert.display_name in body


@pytest.mark.django_db
def test_an_unassigned_expert_gets_404(client, world, reviewing):
    application, _experts = reviewing
    assignment = ExpertAssignment.objects.get(application=application, expert=world.expert)
    for user in (world.expert2, world.gd_official, world.members["admin"]):
        login(client, user)
        assert client.get(assignment_url(assignment)).status_code == 404
        response = client.post(
            assignment_url(assignment), {"action": "declare", "has_conflict": "no"}
        )
        assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.conflict == ExpertAssignment.Conflict.UNDECLARED
    login(client, world.expert2)
    body = client.get(reverse("agencies:expert_assignments")).content.decode()
    assert assignment_url(assignment) not in body


@pytest.mark.django_db
def test_an_expert_who_declared_a_conflict_cannot_score(client, world, reviewing):
    application, _experts = reviewing
    assignment = ExpertAssignment.objects.get(application=application, expert=world.expert)
    login(client, world.expert)
    response = client.post(
        assignment_url(assignment), {"action": "declare", "has_conflict": "yes", "note": ""}
    )
    assert response.status_code == 200  # the note is required to withdraw
    client.post(
        assignment_url(assignment),
        {"action": "declare", "has_conflict": "yes", "note": "曾为该机构提供咨询"},
    )
    assignment.refresh_from_db()
    assert assignment.conflict == ExpertAssignment.Conflict.WITHDRAWN
    body = client.get(assignment_url(assignment)).content.decode()
    assert "第3项条件的说明" not in body and 'value="review"' not in body
    evidence = application.conditions.get(condition=3).evidence.get()
    assert client.get(reverse("portal:document_download", args=[evidence.pk])).status_code == 404
    scores = {f"score_{c}": "85" for c in range(1, 6)}
    client.post(
        assignment_url(assignment),
        {"action": "review", **scores, "opinion": "好", "recommendation": "approve"},
    )
    assignment.refresh_from_db()
    assert assignment.submitted_at is None and assignment.scores == {}
    assert "agencies.application.expert_review" not in audit_actions(application)


# --- Site visit and decision ----------------------------------------------------------------------


@pytest.mark.django_db
def test_record_a_site_visit_with_photos(client, world, application):
    agency_services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=True
    )
    login(client, world.gd_official)
    future = (clock.today() + dt.timedelta(days=2)).isoformat()
    response = post(
        client,
        application,
        action="visit",
        visited_on=future,
        people="王五",
        findings="场地符合要求",
    )
    assert response.status_code == 200 and not SiteVisit.objects.exists()
    response = client.post(
        detail_url(application),
        {
            "action": "visit",
            "visited_on": clock.today().isoformat(),
            "people": "王五、赵六",
            "findings": "场地、设备和视频监控符合要求",
            "photos": [
                SimpleUploadedFile("a.png", PNG, content_type="image/png"),
                SimpleUploadedFile("b.png", PNG, content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 302
    visit = SiteVisit.objects.get()
    assert visit.photos.count() == 2 and visit.recorded_by == world.gd_official
    assert audit_actions(application)[-1] == "agencies.application.site_visit"
    body = client.get(detail_url(application)).content.decode()
    photo = visit.photos.first()
    assert reverse("portal:document_download", args=[photo.pk]) in body
    assert client.get(reverse("portal:document_download", args=[photo.pk])).status_code == 200


@pytest.mark.django_db
def test_a_decision_with_fewer_than_three_reviews_is_refused(client, world, reviewing):
    application, experts = reviewing
    review_all(application, experts[:2])
    login(client, world.gd_official)
    response = post(
        client,
        application,
        action="decide",
        decision="approve",
        reasons="同意",
        **{f"scope_{s.pk}": ["5", "4", "3"] for s in application.scope.all()},
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW and application.decided_at is None
    assert "agencies.application.decide" not in audit_actions(application)


@pytest.mark.django_db
def test_approve_narrowing_the_scope(client, world, reviewing, django_capture_on_commit_callbacks):
    application, experts = reviewing
    review_all(application, experts)
    login(client, world.gd_official)
    scope = application.scope.get()
    body = client.get(detail_url(application)).content.decode()
    assert f'name="scope_{scope.pk}" value="3"' in body and "checked" in body
    decision = {
        "action": "decide",
        "decision": "approve",
        "reasons": "符合条件，三级暂不批准",
        f"scope_{scope.pk}": ["5", "4"],
    }
    # The first POST restates the decision and changes nothing (decision 0026).
    confirming = post(client, application, **decision).content.decode()
    assert "确认批准" in confirming and "符合条件，三级暂不批准" in confirming
    assert "公示" in confirming and 'name="confirmed" value="1"' in confirming
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW and not application.decided_at
    with django_capture_on_commit_callbacks(execute=True):  # the letter is made after commit
        response = post(client, application, **decision, confirmed="1")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE  # a social organisation
    assert sorted(scope.approved_levels.values_list("code", flat=True)) == ["4", "5"]
    assert application.decision_reasons == "符合条件，三级暂不批准"
    assert application.decided_by == world.gd_official and application.decision_letter_id
    assert audit_actions(application)[-1] == "agencies.application.decide"
    body = client.get(detail_url(application)).content.decode()
    letter = reverse("portal:document_download", args=[application.decision_letter_id])
    assert letter in body and 'value="decide"' not in body
    assert client.get(letter).status_code == 200
    # Wrong state: a second decision changes nothing.
    post(client, application, action="decide", decision="reject", reasons="驳回", confirmed="1")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_NOTICE


@pytest.mark.django_db
def test_reject_with_reasons(client, world, reviewing):
    application, experts = reviewing
    review_all(application, experts, recommendation="reject")
    login(client, world.gd_official)
    response = post(client, application, action="decide", decision="reject", reasons="")
    assert response.status_code == 200
    rejection = {"action": "decide", "decision": "reject", "reasons": "场地条件不足"}
    assert "确认不予批准" in post(client, application, **rejection).content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    post(client, application, **rejection, confirmed="1")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decision_reasons == "场地条件不足"


@pytest.mark.django_db
def test_an_official_of_another_province_cannot_decide(client, world, reviewing):
    application, experts = reviewing
    review_all(application, experts)
    login(client, world.hlj_official)
    response = post(client, application, action="decide", decision="approve", reasons="同意")
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


# --- Site serials ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_site_serials_next_free_and_errors_at_the_field(client, world):
    site = AgencySite.objects.create(
        agency=world.gd_agency, name="广州站", province_id="440000", address="广州"
    )
    other = AgencySite.objects.create(
        agency=world.gd_agency, name="珠海站", province_id="440000", address="珠海"
    )
    login(client, world.gd_official)
    body = client.get(reverse("agencies:site_serials")).content.decode()
    assert "广州站" in body and "哈尔滨站" not in body
    response = client.post(
        reverse("agencies:site_serials"), {"site": site.pk, f"s{site.pk}-serial": "000101"}
    )
    assert response.status_code == 200
    assert "already used" in response.content.decode() or "已" in response.content.decode()
    site.refresh_from_db()
    assert site.site_serial == ""
    client.post(reverse("agencies:site_serials"), {"site": site.pk, f"s{site.pk}-serial": ""})
    site.refresh_from_db()
    assert site.site_serial == "000001"
    client.post(
        reverse("agencies:site_serials"), {"site": other.pk, f"s{other.pk}-serial": "000777"}
    )
    other.refresh_from_db()
    assert other.site_serial == "000777"
    assert AuditEntry.objects.filter(action="agencies.site.serial").count() == 2
    # 黑龙江's official neither sees nor assigns 广东's sites.
    third = AgencySite.objects.create(
        agency=world.gd_agency, name="佛山站", province_id="440000", address="佛山"
    )
    login(client, world.hlj_official)
    assert "佛山站" not in client.get(reverse("agencies:site_serials")).content.decode()
    response = client.post(
        reverse("agencies:site_serials"), {"site": third.pk, f"s{third.pk}-serial": ""}
    )
    assert response.status_code == 404
    third.refresh_from_db()
    assert third.site_serial == ""


@pytest.mark.django_db
def test_unlisted_agencies_sites_wait(client, world):
    world.gd_agency.status = AgencyStatus.APPLICANT
    world.gd_agency.save()
    AgencySite.objects.create(
        agency=world.gd_agency, name="广州站", province_id="440000", address="广州"
    )
    login(client, world.gd_official)
    assert "广州站" not in client.get(reverse("agencies:site_serials")).content.decode()


# --- Menus and panels -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_menus_and_dashboard_panels(client, world, reviewing):
    application, _experts = reviewing
    submitted_application(
        world,
        agency=world.hlj_agency,
        admin=world.hlj_admin,
        call=gd_call(world, title="另一公告", accepts_employers=True),
    )
    login(client, world.gd_official)
    body = client.get(reverse("portal:dashboard")).content.decode()
    for url in ("agencies:manage_calls", "agencies:vetting", "agencies:site_serials"):
        assert reverse(url) in body
    assert reverse("agencies:expert_assignments") not in body
    assert "1 份申请待材料核验" in body and "?stage=check" in body
    login(client, world.osta_gd)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("agencies:vetting") in body and reverse("agencies:manage_calls") not in body
    login(client, world.expert)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("agencies:expert_assignments") in body
    assert reverse("agencies:vetting") not in body
    login(client, world.members["admin"])
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("agencies:vetting") not in body


# --- Documents the vetting page links to ----------------------------------------------------


@pytest.fixture
def newcomer_application(world, django_capture_on_commit_callbacks):
    """An organisation filed nowhere yet applies to the 广东 call; its receipt is rendered."""
    electrician_standard(world.osta_national)
    call = gd_call(world)
    user, agency = register("新申请评价中心", uscc("91440101MA5NEW0A0"))
    assert agency.filing_jurisdiction == ""
    application = fill(user, agency_services.start_application(user, agency, call))
    with django_capture_on_commit_callbacks(execute=True):
        application = agency_services.submit_application(user, application, pledge=True)
    return application


@pytest.mark.django_db
def test_the_official_opens_the_receipt_linked_from_the_vetting_page(
    client, world, newcomer_application
):
    receipt_url = reverse("portal:document_download", args=[newcomer_application.receipt_id])
    page = login(client, world.gd_official).get(detail_url(newcomer_application))
    assert receipt_url in page.content.decode()
    response = client.get(receipt_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert newcomer_application.receipt.owner_jurisdiction == "440000"
    # Another province's official still cannot probe it.
    assert login(client, world.hlj_official).get(receipt_url).status_code == 404


@pytest.mark.django_db
def test_receipts_stored_without_an_authority_are_given_the_calls(world, newcomer_application):
    import importlib

    from django.apps import apps

    from portal.models import Document

    migration = importlib.import_module(
        "agencies.migrations.0003_receipts_owned_by_the_vetting_authority"
    )
    Document.objects.filter(pk=newcomer_application.receipt_id).update(owner_jurisdiction="")
    migration.name_the_authority(apps, None)
    assert Document.objects.get(pk=newcomer_application.receipt_id).owner_jurisdiction == "440000"
