"""Safer consequential actions and the application form (issue 11, decision 0026).

* A button of a consequential action is disabled while its service would refuse, with the
  service's own ``<action>_refusal`` text beside it, and the service raises exactly that text.
* The action is confirmed on a page that restates it; nothing changes before.
* The application form lists every problem at the top with links to the fields, marks what a
  submission needs, and keeps the files already chosen when another field fails.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from agencies import services
from agencies.models import ApplicationStatus, ChangeStatus, ExpertAssignment
from agencies.services.applications import SUBMISSION_REQUIRED
from catalog.models import SkillLevel
from portal import clock, notices
from portal.models import AgencyStatus, Objection, PublicNotice
from tests.agencies.builders import (
    edit_data,
    gd_call,
    listed_agency,
    more_experts,
    register,
    submitted_application,
    uscc,
)
from tests.catalog.builders import electrician_standard
from tests.portal.builders import PASSWORD

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_ENABLED = False


def refused_with(refusal, action) -> None:
    """``refusal`` is a text, and running ``action`` raises exactly it."""
    assert refusal
    with pytest.raises(ValidationError) as info:
        action()
    assert info.value.messages == [str(refusal)]


def shown_beside(body: str, refusal_id: str, refusal: str) -> bool:
    """The button described by ``refusal_id`` is disabled and the text beside it is
    ``refusal``, as the service words it."""
    button = re.search(rf'<button[^>]*disabled aria-describedby="{refusal_id}"[^>]*>', body)
    text = re.search(rf'<span class="refusal" id="{refusal_id}">(.*?)</span>', body)
    return bool(button and text and text.group(1) == escape(str(refusal), quote=True))


def enabled(body: str, name: str, value: str) -> bool:
    button = re.search(rf'<button type="submit" name="{name}" value="{value}"[^>]*>', body)
    return bool(button) and "disabled" not in button.group(0)


# --- The shared button -----------------------------------------------------------------------


def test_the_action_button_is_disabled_with_the_reason_only_when_refused():
    template = Template(
        '{% load portal_actions %}{% action_button "批准" refusal name="decision" value="a" %}'
    )
    refused = template.render(Context({"refusal": "还差两份专家意见。"}))
    assert 'disabled aria-describedby="refusal-decision-a"' in refused
    assert '<span class="refusal" id="refusal-decision-a">还差两份专家意见。</span>' in refused
    allowed = template.render(Context({"refusal": None}))
    assert "disabled" not in allowed and "refusal" not in allowed
    assert '<button type="submit" name="decision" value="a">批准</button>' in allowed


# --- Approving: the button waits for the experts and the site visit -------------------------


def _vetting(world, *, reviews: int, site_visit: bool, visited: bool = False):
    application = submitted_application(world)
    experts = [world.expert, *more_experts(2)]
    services.accept_materials(
        world.gd_official, application, use_expert_review=True, use_site_visit=site_visit
    )
    services.assign_experts(world.gd_official, application, experts)
    for expert in experts[:reviews]:
        assignment = ExpertAssignment.objects.get(application=application, expert=expert)
        services.declare_conflict(expert, assignment, has_conflict=False)
        services.submit_expert_review(
            expert,
            assignment,
            scores=dict.fromkeys(range(1, 6), 80),
            opinion="符合条件。",
            recommendation="approve",
        )
    if visited:
        services.record_site_visit(
            world.gd_official,
            application,
            visited_on=clock.today(),
            people="王五",
            findings="场地符合要求",
        )
    return type(application).objects.get(pk=application.pk)


@pytest.mark.parametrize(
    ("reviews", "site_visit", "visited", "expected"),
    [
        (0, False, False, "已提交专家论证意见0份（共需至少3份），满3份后方可批准。"),
        (2, False, False, "已提交专家论证意见2份（共需至少3份），满3份后方可批准。"),
        (3, True, False, None),  # the site visit is missing: the service's text, checked below
        (3, True, True, ""),
        (3, False, False, ""),
    ],
    ids=["no-review", "two-reviews", "visit-pending", "visited", "all-reviews"],
)
def test_the_approve_button_says_what_the_decision_waits_for(
    client, world, reviews, site_visit, visited, expected
):
    application = _vetting(world, reviews=reviews, site_visit=site_visit, visited=visited)
    official = world.gd_official
    refusal = services.decision_refusal(application, official, approve=True)
    if expected is not None:
        assert (refusal or "") == expected
    client.force_login(official)
    body = client.get(reverse("agencies:vetting_detail", args=[application.pk])).content.decode()
    assert enabled(body, "decision", "reject")  # a rejection never waits
    assert services.decision_refusal(application, official, approve=False) is None
    if refusal:
        assert shown_beside(body, "refusal-decision-approve", refusal)
        refused_with(
            refusal,
            lambda: services.decide(official, application, approve=True, reasons="符合条件。"),
        )
        assert type(application).objects.get(pk=application.pk).decided_at is None
    else:
        assert enabled(body, "decision", "approve")
        assert 'aria-describedby="refusal-decision-approve"' not in body


def test_going_back_from_the_confirmation_keeps_what_was_typed(client, world):
    application = _vetting(world, reviews=3, site_visit=False)
    client.force_login(world.gd_official)
    url = reverse("agencies:vetting_detail", args=[application.pk])
    scope = application.scope.get()
    data = {
        "action": "decide",
        "decision": "approve",
        "reasons": "符合第十二条规定的条件。",
        f"scope_{scope.pk}": ["5", "4"],
    }
    confirming = client.post(url, data).content.decode()
    assert "确认批准" in confirming and "批准的评价范围：" in confirming
    five, four = (SkillLevel.objects.get(code=c).display for c in ("5", "4"))
    assert f"{scope}：{five}、{four}" in confirming  # the levels ticked, not the requested
    assert 'name="revise" value="1"' in confirming and "尚未作任何变更" in confirming
    # The carried fields are the form's, never the token or the confirmation itself.
    form = re.search(r'<section class="card confirm".*?</form>', confirming, re.S).group(0)
    assert form.count('name="csrfmiddlewaretoken"') == 1
    assert 'name="confirmed" value="1"' in form and 'type="hidden" name="confirmed"' not in form
    assert '<input type="hidden" name="reasons" value="符合第十二条规定的条件。">' in form
    back = client.post(url, {**data, "revise": "1"})
    body = back.content.decode()
    assert back.status_code == 200 and "符合第十二条规定的条件。" in body
    assert "请更正" not in body  # no error message: nothing was wrong
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW and application.decided_at is None


def test_rejection_is_confirmed_with_its_consequences(client, world):
    application = _vetting(world, reviews=1, site_visit=False)
    client.force_login(world.gd_official)
    url = reverse("agencies:vetting_detail", args=[application.pk])
    data = {"action": "decide", "decision": "reject", "reasons": "场地条件不足。"}
    body = client.post(url, data).content.decode()
    assert "确认不予批准" in body and "场地条件不足。" in body and "保存期" in body
    assert type(application).objects.get(pk=application.pk).status == ApplicationStatus.UNDER_REVIEW
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert type(application).objects.get(pk=application.pk).status == ApplicationStatus.REJECTED


# --- Suspending and removing ------------------------------------------------------------------


@pytest.fixture
def listed(world):
    electrician_standard(world.osta_national)
    user, agency, _app = listed_agency(
        world, "岭南技能培训评价有限公司", "91440101MA5CKD7E2", kind="S", call=gd_call(world)
    )
    agency.admin = user
    return agency


def _suspend(world, agency):
    return services.suspend_agency(
        world.gd_official,
        agency,
        reason="考务不规范",
        legal_basis="第二十七条",
        until=clock.today() + dt.timedelta(days=30),
        password=PASSWORD,
    )


def _remove(world, agency):
    return services.remove_agency(
        world.gd_official,
        agency,
        reason="违反承诺",
        legal_basis="第二十七条",
        follow_up_plan="已报名考生转由其他机构",
        password=PASSWORD,
    )


@pytest.mark.parametrize("state", ["listed", "suspended", "removed"])
def test_the_sanction_buttons_say_why_they_are_refused(client, world, listed, state):
    agency = listed
    if state in ("suspended", "removed"):
        _suspend(world, agency)
    if state == "removed":
        _remove(world, agency)
    agency.refresh_from_db()
    client.force_login(world.gd_official)
    body = client.get(reverse("agencies:listed_agency", args=[agency.pk])).content.decode()
    for key, refusal_of, run in (
        ("suspend", services.suspension_refusal, _suspend),
        ("remove", services.removal_refusal, _remove),
    ):
        refusal = refusal_of(agency, world.gd_official)
        if refusal:
            assert shown_beside(body, f"refusal-{key}", refusal), key
            refused_with(refusal, lambda run=run: run(world, agency))
        else:
            assert f'aria-describedby="refusal-{key}"' not in body, key
    expected = {"listed": (False, False), "suspended": (True, False), "removed": (True, True)}
    suspend_refused, remove_refused = expected[state]
    assert bool(services.suspension_refusal(agency)) is suspend_refused
    assert bool(services.removal_refusal(agency)) is remove_refused


def test_a_wrong_password_on_the_confirmation_changes_nothing(client, world, listed):
    agency = listed
    url = reverse("agencies:listed_agency", args=[agency.pk])
    client.force_login(world.gd_official)
    data = {
        "action": "suspend",
        "suspend-reason": "考务管理不规范。",
        "suspend-legal_basis": "第二十七条",
        "suspend-until": (clock.today() + dt.timedelta(days=20)).isoformat(),
    }
    page = client.post(url, data).content.decode()
    assert "确认暂停" in page and 'name="password"' in page and 'type="password"' in page
    assert 'autocomplete="current-password"' in page
    for password in ("", "wrong-password"):
        wrong = client.post(url, {**data, "confirmed": "1", "password": password})
        body = wrong.content.decode()
        assert wrong.status_code == 400 and "密码错误。" in body
        assert 'id="id_password_error"' in body and "考务管理不规范。" in body
        assert 'value="wrong-password"' not in body  # a password is never echoed
        agency.refresh_from_db()
        assert agency.status == AgencyStatus.LISTED and not agency.sanctions.exists()
    assert client.post(url, {**data, "confirmed": "1", "password": PASSWORD}).status_code == 302
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.SUSPENDED


# --- Deciding a change request -----------------------------------------------------------------


def test_a_change_decision_is_confirmed_and_a_closed_request_refuses(client, world, listed):
    agency = listed
    admin = agency.admin
    change = services.request_details_change(admin, agency, {"address": "广州市新地址9号"})
    url = reverse("agencies:change_request", args=[change.pk])
    client.force_login(world.gd_official)
    data = {"decision": "approve", "reason": "经审核，同意。"}
    body = client.post(url, data).content.decode()
    assert "确认批准" in body and "变更立即生效" in body and "经审核，同意。" in body
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING
    services.withdraw_change(admin, change)
    change.refresh_from_db()
    refusal = services.change_decision_refusal(change, world.gd_official)
    body = client.get(url).content.decode()
    assert shown_beside(body, "refusal-decision-approve", refusal)
    assert shown_beside(body, "refusal-decision-reject", refusal)
    refused_with(
        refusal,
        lambda: services.decide_change(world.gd_official, change, approve=True, reason="同意"),
    )


# --- Upholding an objection ------------------------------------------------------------------


def test_an_objection_decided_once_refuses_with_the_same_text(world):
    application = _vetting(world, reviews=3, site_visit=False)
    services.decide(world.gd_official, application, approve=True, reasons="符合条件。")
    notice = PublicNotice.objects.get(agency=application.agency)
    objection = notices.file_objection(notice, name="王某", contact="13900000000", content="不实")
    assert notices.objection_decision_refusal(objection, world.gd_official) is None
    notices.dismiss_objection(world.gd_official, objection, reason="经核实不成立。")
    objection = Objection.objects.select_related("notice").get(pk=objection.pk)
    refusal = notices.objection_decision_refusal(objection, world.gd_official)
    refused_with(
        refusal,
        lambda: notices.uphold_objection(world.gd_official, objection, reason="属实。"),
    )


# --- The application form --------------------------------------------------------------------


@pytest.fixture
def draft(world):
    electrician_standard(world.osta_national)
    call = gd_call(world)
    user, agency = register("广州新技能评价中心", uscc("91440101MA5CKD7E0"))
    return user, agency, services.start_application(user, agency, call)


def _url(name, agency, application):
    return reverse(name, args=[agency.pk, application.pk])


def test_the_fields_a_submission_needs_are_marked_before_they_fail(client, draft):
    user, agency, application = draft
    client.force_login(user)
    body = client.get(_url("agencies:application_edit", agency, application)).content.decode()
    assert "提交时必填" in body
    for name in SUBMISSION_REQUIRED:
        field = re.search(rf'<input[^>]*id="id_{name}"[^>]*>', body)
        assert field and 'aria-required="true"' in field.group(0), name
        label = re.search(rf'<label for="id_{name}">(.*?)</label>', body)
        assert label and 'class="req"' in label.group(1), name
    statement = re.search(r'<textarea[^>]*id="id_condition_1-statement"[^>]*>', body)
    assert statement and 'aria-required="true"' in statement.group(0)
    # Optional fields carry no marker.
    label = re.search(r'<label for="id_contact_email">(.*?)</label>', body)
    assert label and 'class="req"' not in label.group(1)
    assert "error-summary" not in body  # nothing has failed yet


def test_checking_lists_every_problem_at_the_top_with_links(client, draft):
    user, agency, application = draft
    client.force_login(user)
    response = client.get(_url("agencies:application_submit", agency, application))
    body = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S)
    assert summary, "the summary is at the top"
    assert body.index("error-summary") < body.index('id="details"')
    links = re.findall(r'<a href="#([^"]+)">', summary.group(0))
    items = re.findall(r"<li>", summary.group(0))
    assert len(items) == len(response.context["problems"]) and len(links) == len(items)
    for anchor in links:
        assert f'id="{anchor}"' in body, anchor  # every link lands on its field
    assert {"id_address", "id_legal_representative", "scope", "sites"} <= set(links)
    assert {f"condition-{n}" for n in range(1, 6)} <= set(links)
    assert re.search(r"有\d+处问题需要更正", summary.group(0))


def _pdf(name="场地证明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_failed_submission_keeps_the_chosen_files_and_links_the_pledge(client, draft):
    user, agency, application = draft
    client.force_login(user)
    data = edit_data(
        application,
        legal_representative="",
        **{"condition_1-evidence": _pdf(), "condition_1-evidence_title": "场地租赁合同"},
    )
    response = client.post(_url("agencies:application_submit", agency, application), data)
    body = response.content.decode()
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.legal_representative == ""  # nothing else was saved
    kept = application.conditions.get(condition=1).evidence.get()
    assert kept.title == "场地租赁合同" and kept.original_name == "场地证明.pdf"
    assert "已保存在草稿中：场地证明.pdf" in body and "场地租赁合同" in body
    assert "您选择的文件已保存在草稿中" in body
    summary = re.search(r'class="error-summary".*?</div>', body, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">', summary)
    assert "id_pledge" in links and "id_legal_representative" in links
    # Submitting again without choosing the file goes through.
    data = edit_data(application, **{"condition_1-evidence": "", "pledge": "on"})
    for n in range(2, 6):
        services.add_evidence(user, application, n, _pdf(f"证明{n}.pdf"), title=f"证明{n}")
    response = client.post(_url("agencies:application_submit", agency, application), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_saving_a_draft_with_a_bad_field_still_keeps_the_file(client, draft):
    user, agency, application = draft
    client.force_login(user)
    data = edit_data(
        application, contact_email="not-an-email", **{"condition_2-evidence": _pdf("设备.pdf")}
    )
    response = client.post(_url("agencies:application_edit", agency, application), data)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="id_contact_email_error"' in body
    assert (
        application.conditions.get(condition=2).evidence.filter(original_name="设备.pdf").exists()
    )
    assert "已保存在草稿中：设备.pdf" in body
    assert '<a href="#id_contact_email">' in body


def test_the_form_shows_that_it_is_working(client, draft):
    user, agency, application = draft
    client.force_login(user)
    body = client.get(_url("agencies:application_edit", agency, application)).content.decode()
    assert re.search(r'<script src="[^"]*portal/js/forms\.js" defer></script>', body)
    assert "data-busy " in body or "data-busy>" in body
    assert 'data-busy-label="正在提交…"' in body
    assert "<script>" not in body and " style=" not in body  # CSP: no inline script or style
