"""The applicant side in HTTP terms: calls, registration, drafting, submission, withdrawal,
the status page and the commitment letter."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies import services
from agencies.models import (
    AgencyApplication,
    ApplicationStatus,
    Condition,
    ExpertAssignment,
    MaterialReview,
    UsccCheck,
)
from portal import access, clock, notices
from portal.models import Agency, AgencyStatus, Document, User
from tests.agencies.builders import edit_data, fill, gd_call, pdf, register, uscc
from tests.catalog.builders import electrician_standard
from tests.portal.altcha_solver import solve_page
from tests.portal.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def bad_check(body: str) -> str:
    from portal import codes

    right = codes.uscc_check_char(body)
    return body + ("1" if right != "1" else "2")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_ENABLED = False


@pytest.fixture
def setup(world, media):
    electrician_standard(world.osta_national)
    call = gd_call(world)
    user, agency = register("广州新技能评价中心", uscc("91440101MA5CKD7E0"))
    return user, agency, call


def body_of(response) -> str:
    return response.content.decode()


# --- Public calls ----------------------------------------------------------------------------


def test_published_calls_are_public_and_drafts_are_not(client, world, media):
    call = gd_call(world)
    draft = services.create_call(
        world.gd_official,
        jurisdiction="440000",
        title="草稿公告",
        body="x",
        opens_on=clock.today(),
        deadline=clock.today(),
    )
    body = body_of(client.get(reverse("agencies:calls")))
    assert call.title in body and "草稿公告" not in body
    assert client.get(reverse("agencies:call", args=[draft.pk])).status_code == 404
    body = body_of(client.get(reverse("agencies:call", args=[call.pk])))
    assert "6-31-01-03" in body and "面向本省征集评价机构。" in body
    assert reverse("agencies:register") in body and reverse("portal:login") in body
    notices_page = body_of(client.get(reverse("notices:list")))
    assert call.title in notices_page and reverse("agencies:call", args=[call.pk]) in notices_page


# --- Registration --------------------------------------------------------------------------


def registration(code: str, **extra) -> dict:
    return {
        "username": "neworg",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "real_name": "王五",
        "email": "w@example.org",
        "phone": "13900000000",
        "org_name": "佛山技能评价中心",
        "uscc": code,
        "kind": "S",
        "province": "440000",
        **extra,
    }


def test_registration_signs_in_and_opens_the_agency_workspace(client, world, media):
    response = client.post(reverse("agencies:register"), registration(uscc("91440604MA4UP2Y3X")))
    agency = Agency.objects.get(name="佛山技能评价中心")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:agency_home", args=[agency.pk])
    assert agency.status == AgencyStatus.APPLICANT
    assert client.get(response["Location"]).status_code == 200  # signed in, a member
    assert User.objects.get(username="neworg").check_password(PASSWORD)


def test_a_duplicate_uscc_is_refused_at_the_field(client, world, media):
    response = client.post(reverse("agencies:register"), registration(world.gd_agency.uscc.lower()))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["uscc"]
    assert not User.objects.filter(username="neworg").exists()


def test_a_malformed_uscc_is_refused_at_the_field_in_chinese(client, world, media):
    response = client.post(reverse("agencies:register"), registration("91440604MA4UP2"))
    errors = response.context["form"].errors["uscc"]
    assert errors and re.search(r"[\u4e00-\u9fff]", errors[0])
    assert 'id="id_uscc_error"' in body_of(response)
    assert not Agency.objects.filter(name="佛山技能评价中心").exists()


def test_a_wrong_check_character_is_accepted_and_flagged_on_submission(client, world, media):
    electrician_standard(world.osta_national)
    call = gd_call(world)
    code = bad_check("91440604MA4UP2Y3X")
    response = client.post(reverse("agencies:register"), registration(code))
    assert response.status_code == 302
    agency = Agency.objects.get(uscc=code)
    user = User.objects.get(username="neworg")
    application = fill(user, services.start_application(user, agency, call))
    services.submit_application(user, application, pledge=True)
    application.refresh_from_db()
    assert application.uscc_check == UsccCheck.FLAGGED


def test_password_mismatch_and_taken_username(client, world, media):
    data = registration(uscc("91440604MA4UP2Y3X"), password2="Other#pass2026", username="nobody")
    form = client.post(reverse("agencies:register"), data).context["form"]
    assert "password2" in form.errors


def test_registration_asks_for_the_captcha_when_enabled(client, world, settings):
    settings.CAPTCHA_ENABLED = True
    response = client.post(reverse("agencies:register"), registration(uscc("91440604MA4UP2Y3X")))
    assert "captcha" in response.context["form"].errors
    assert not Agency.objects.filter(name="佛山技能评价中心").exists()


def test_registration_with_the_solved_check_registers(client, world, media, settings):
    settings.CAPTCHA_ENABLED = True
    page = client.get(reverse("agencies:register")).content.decode()
    data = registration(uscc("91440604MA4UP2Y3X"), captcha=solve_page(page))
    response = client.post(reverse("agencies:register"), data)
    assert response.status_code == 302
    assert Agency.objects.filter(name="佛山技能评价中心").exists()


def test_registration_is_rate_limited(client, world, media, settings):
    settings.RATE_LIMITS = {"public_form.ip": (2, 3600)}
    for _ in range(2):
        client.post(reverse("agencies:register"), registration("bad"))
    assert client.post(reverse("agencies:register"), registration("bad")).status_code == 429


# --- Drafting and submitting ---------------------------------------------------------------


def edit_url(agency, application, name="agencies:application_edit"):
    return reverse(name, args=[agency.pk, application.pk])


def test_starting_an_application_opens_the_edit_page(client, setup):
    user, agency, call = setup
    client.force_login(user)
    response = client.post(
        reverse("agencies:application_start", args=[agency.pk]), {"call": call.pk}
    )
    application = AgencyApplication.objects.get(agency=agency, call=call)
    assert response["Location"] == edit_url(agency, application)
    # Twice is refused with the reason.
    response = client.post(
        reverse("agencies:application_start", args=[agency.pk]), {"call": call.pk}, follow=True
    )
    assert response.status_code == 200
    assert AgencyApplication.objects.filter(agency=agency).count() == 1


def test_the_edit_page_saves_a_draft_with_evidence_scope_and_sites(client, setup):
    user, agency, call = setup
    application = services.start_application(user, agency, call)
    client.force_login(user)
    data = edit_data(
        application, **{"condition_1-evidence": pdf(), "condition_1-evidence_title": "营业执照"}
    )
    response = client.post(edit_url(agency, application), data)
    assert response.status_code == 302, response.context and response.context["section_errors"]
    application.refresh_from_db()
    assert application.address == "广州市天河路1号" and application.declared_years == 6
    first = application.conditions.get(condition=1)
    assert first.statement == "第1项条件已具备。"
    assert list(first.evidence.values_list("title", flat=True)) == ["营业执照"]
    scope = application.scope.get()
    assert scope.occupation.code == "6-31-01-03" and scope.declared_assessed == 300
    assert sorted(scope.levels.values_list("code", flat=True)) == ["3", "4"]
    assert list(application.sites.values_list("name", flat=True)) == ["广州考点"]
    page = body_of(client.get(edit_url(agency, application)))
    assert "营业执照" in page and 'value="6-31-01-03"' in page

    # Removing the evidence document.
    doc = first.evidence.get()
    response = client.post(
        edit_url(agency, application), {**edit_data(application), "remove_evidence": f"1:{doc.pk}"}
    )
    assert response.status_code == 302
    assert not application.conditions.get(condition=1).evidence.exists()


def test_a_bad_upload_is_refused_at_its_field(client, setup):
    user, agency, call = setup
    application = services.start_application(user, agency, call)
    client.force_login(user)
    fake = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        edit_url(agency, application), edit_data(application, **{"condition_2-evidence": fake})
    )
    assert response.status_code == 200
    form = response.context["conditions"][1]["form"]
    assert form.errors["evidence"]
    assert 'id="id_condition_2-evidence_error"' in body_of(response)
    # The other sections were saved.
    application.refresh_from_db()
    assert application.address == "广州市天河路1号"


def test_a_malformed_uscc_and_an_unknown_occupation_are_refused_at_their_fields(client, setup):
    user, agency, call = setup
    application = services.start_application(user, agency, call)
    client.force_login(user)
    response = client.post(
        edit_url(agency, application),
        edit_data(application, uscc="12345", **{"scope-0-occupation": "9-99-99-99"}),
    )
    assert response.context["details"].errors["uscc"]
    assert response.context["scope_formset"].forms[0].errors["occupation"]


def test_a_scope_outside_the_call_is_refused_in_the_scope_section(client, setup):
    user, agency, call = setup
    application = services.start_application(user, agency, call)
    client.force_login(user)
    response = client.post(
        edit_url(agency, application),
        edit_data(application, **{"scope-0-occupation": "4-13-01-05"}),
    )
    assert response.status_code == 200
    assert response.context["section_errors"]["scope"]
    assert not application.scope.exists()


def test_every_refusal_of_the_submission_is_shown_at_its_place(client, setup):
    user, agency, call = setup
    call.min_years, call.min_total_assessed, call.min_per_occupation = 3, 1000, 200
    type(call).objects.filter(pk=call.pk).update(
        min_years=3, min_total_assessed=1000, min_per_occupation=200
    )
    application = services.start_application(user, agency, call)
    client.force_login(user)
    data = edit_data(
        application,
        legal_representative="",
        declared_years="1",
        declared_total_assessed="10",
        **{
            "scope-0-declared_assessed": "5",
            "condition_3-statement": "",
            "sites-0-name": "",
            "sites-0-address": "",
            "sites-0-province": "",
        },
    )
    response = client.post(edit_url(agency, application, "agencies:application_submit"), data)
    assert response.status_code == 200
    ctx = response.context
    details = ctx["details"].errors
    for field in ("legal_representative", "declared_years", "declared_total_assessed"):
        assert details[field], field
    conditions = {c["form"].condition: c["errors"] for c in ctx["conditions"]}
    assert len(conditions[3]) == 2  # no statement and no evidence
    assert all(conditions[n] for n in Condition.values)  # no evidence anywhere
    assert ctx["section_errors"]["scope"] and ctx["section_errors"]["sites"]
    assert ctx["pledge_form"].errors["pledge"]
    page = body_of(response)
    assert 'id="id_pledge_error"' in page and 'id="id_legal_representative_error"' in page


def test_nothing_is_half_saved_on_a_failed_submit(client, setup):
    user, agency, call = setup
    application = fill(user, services.start_application(user, agency, call))
    before_docs = Document.objects.count()
    client.force_login(user)
    data = edit_data(
        application,
        address="改过的地址",
        **{"condition_1-statement": "改过的陈述", "condition_1-evidence": pdf("新.pdf")},
    )
    response = client.post(edit_url(agency, application, "agencies:application_submit"), data)
    assert response.status_code == 200  # no pledge
    assert response.context["pledge_form"].errors["pledge"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.address == "广州市天河路1号"
    assert application.conditions.get(condition=1).statement == "第1项条件已具备。"
    # The chosen file is kept as draft evidence (decision 0026): never chosen twice.
    evidence = application.conditions.get(condition=1).evidence
    assert evidence.count() == 2 and evidence.filter(original_name="新.pdf").exists()
    assert Document.objects.count() == before_docs + 1
    assert not MaterialReview.objects.filter(application=application).exists()
    assert application.receipt_id is None
    assert response.context["conditions"][0]["kept"] == ["新.pdf"]
    assert "已保存在草稿中：新.pdf" in body_of(response)


def test_submitting_with_the_pledge_saves_and_submits(client, setup):
    user, agency, call = setup
    application = fill(user, services.start_application(user, agency, call))
    client.force_login(user)
    response = client.post(
        edit_url(agency, application, "agencies:application_submit"),
        edit_data(application, address="新地址", pledge="on"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.address == "新地址"
    page = body_of(client.get(response["Location"]))
    assert reverse("portal:document_download", args=[application.receipt_id]) in page
    # Once submitted, editing is closed.
    response = client.get(edit_url(agency, application))
    assert response.status_code == 302


def test_the_check_page_lists_problems_without_submitting(client, setup):
    user, agency, call = setup
    application = services.start_application(user, agency, call)
    client.force_login(user)
    response = client.get(edit_url(agency, application, "agencies:application_submit"))
    assert response.status_code == 200
    assert response.context["details"].errors["legal_representative"]
    assert response.context["section_errors"]["scope"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_withdrawing(client, setup):
    user, agency, call = setup
    application = fill(user, services.start_application(user, agency, call))
    services.submit_application(user, application, pledge=True)
    client.force_login(user)
    page = body_of(client.get(edit_url(agency, application, "agencies:application")))
    assert edit_url(agency, application, "agencies:application_withdraw") in page
    response = client.post(edit_url(agency, application, "agencies:application_withdraw"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.material_reviews.get().decision == MaterialReview.Decision.WITHDRAWN
    page = body_of(client.get(edit_url(agency, application, "agencies:application")))
    assert edit_url(agency, application, "agencies:application_withdraw") not in page


def test_another_agencys_application_answers_404(client, world, setup):
    user, agency, call = setup
    application = services.start_application(user, agency, call)
    client.force_login(world.members["admin"])  # admin of gd_agency
    for name in (
        "agencies:application",
        "agencies:application_edit",
        "agencies:application_submit",
        "agencies:application_sign",
    ):
        url = reverse(name, args=[world.gd_agency.pk, application.pk])
        assert client.get(url).status_code == 404, name
    url = reverse("agencies:application_withdraw", args=[world.gd_agency.pk, application.pk])
    assert client.post(url).status_code == 404
    # And its own workspace URL is not theirs either.
    assert client.get(edit_url(agency, application, "agencies:application")).status_code == 404


def test_agency_staff_read_but_cannot_change(client, world, setup):
    user, agency, call = setup
    application = services.start_application(user, agency, call)
    from portal.models import AgencyMembership

    staff = User.objects.create_user(username="orgstaff", password=PASSWORD)
    AgencyMembership.objects.create(user=staff, agency=agency, role="staff")
    client.force_login(staff)
    page = body_of(client.get(edit_url(agency, application, "agencies:application")))
    assert edit_url(agency, application) not in page
    assert client.get(edit_url(agency, application)).status_code == 403
    assert (
        client.post(edit_url(agency, application, "agencies:application_withdraw")).status_code
        == 403
    )


def test_the_status_page_shows_rounds_comments_and_never_experts(client, world, setup):
    user, agency, call = setup
    application = fill(user, services.start_application(user, agency, call))
    services.submit_application(user, application, pledge=True)
    services.return_materials(
        world.gd_official,
        application,
        comments={"condition_3": "视频监控设备证明不清晰。", "address": "地址与营业执照不一致。"},
        general_comment="请补正后重新提交。",
    )
    client.force_login(user)
    page = body_of(client.get(edit_url(agency, application, "agencies:application")))
    assert "视频监控设备证明不清晰。" in page and "地址与营业执照不一致。" in page
    assert "请补正后重新提交。" in page
    edit = body_of(client.get(edit_url(agency, application)))
    assert "视频监控设备证明不清晰。" in edit  # at its condition
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=True, use_site_visit=False
    )
    User.objects.filter(pk=world.expert.pk).update(real_name="专家甲")
    User.objects.filter(pk=world.expert2.pk).update(real_name="专家乙")
    third = make_user("expert3", role="expert", jurisdiction="440000", real_name="专家丙")
    services.assign_experts(world.gd_official, application, [world.expert, world.expert2, third])
    ExpertAssignment.objects.filter(application=application).update(
        opinion="内部意见：场地偏小", scores={"1": 17}
    )
    page = body_of(client.get(edit_url(agency, application, "agencies:application")))
    for secret in ("专家甲", "专家乙", "专家丙", "内部意见", "场地偏小"):
        assert secret not in page
    assert page.count('<section class="card">') >= 2  # two material-check rounds


def test_signing_the_commitment_lists_the_agency(client, world, setup):
    user, agency, call = setup
    application = fill(user, services.start_application(user, agency, call))
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=False
    )
    services.decide(world.gd_official, application, approve=True, reasons="材料齐全，符合条件。")
    AgencyApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.APPROVED)
    client.force_login(user)
    status_page = body_of(client.get(edit_url(agency, application, "agencies:application")))
    assert "材料齐全，符合条件。" in status_page
    assert edit_url(agency, application, "agencies:application_sign") in status_page
    page = body_of(client.get(edit_url(agency, application, "agencies:application_sign")))
    assert call.commitment_text.splitlines()[0] in page and user.display_name in page
    response = client.post(edit_url(agency, application, "agencies:application_sign"))
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.LISTED
    page = body_of(client.get(response["Location"]))
    assert reverse("agencies:directory_entry", args=[agency.pk]) in page
    assert client.get(reverse("agencies:directory_entry", args=[agency.pk])).status_code == 200


def test_the_panel_and_the_menu_guide_the_admin(client, setup):
    user, agency, call = setup
    client.force_login(user)
    page = body_of(client.get(reverse("portal:agency_home", args=[agency.pk])))
    assert reverse("agencies:applications", args=[agency.pk]) in page
    application = services.start_application(user, agency, call)
    page = body_of(client.get(reverse("portal:agency_home", args=[agency.pk])))
    assert edit_url(agency, application) in page
    page = body_of(client.get(reverse("agencies:applications", args=[agency.pk])))
    assert call.title in page


def test_access_helpers_agree_with_the_pages(setup):
    user, agency, call = setup
    assert access.can(user, "agencies.application.edit", agency)
    assert notices.announcements()
