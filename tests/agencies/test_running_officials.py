"""Officials' supervision of listed agencies (Art 16, 22, 27, 28): the change-request queue
and decision, suspension and removal by the filing authority, and the public list of removed
agencies; other provinces get 404, other roles 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from agencies import queries, services
from agencies.models import ChangeRequest, ChangeStatus, DirectoryEntry, Sanction, SanctionKind
from catalog.models import Occupation, SkillLevel
from portal import clock, notices
from portal.models import Agency, AgencyStatus, AuditEntry, PublicNotice
from tests.agencies.builders import gd_call, listed_agency
from tests.catalog.builders import electrician_standard
from tests.portal.builders import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    electrician_standard(world.osta_national)
    call = gd_call(world)
    s_user, social, _a = listed_agency(
        world, "岭南技能培训评价有限公司", "91440101MA5CKD7E2", kind="S", call=call
    )
    e_user, employer, _a = listed_agency(
        world, "珠江电力职业技能评价中心", "91440101MA5CKD7E1", kind="Y", call=call
    )
    return {"social": social, "s_user": s_user, "employer": employer, "e_user": e_user}


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def decide(client, official, change, decision, reason="经审核，同意。"):
    client.force_login(official)
    return client.post(
        reverse("agencies:change_request", args=[change.pk]),
        {"decision": decision, "reason": reason, "confirmed": "1"},
    )


# --- Change requests ---------------------------------------------------------------------------


def test_the_queue_lists_pending_first_and_filters(client, world, listed):
    old = services.request_details_change(
        listed["s_user"], listed["social"], {"contact_phone": "020-11112222"}
    )
    services.decide_change(world.gd_official, old, approve=False, reason="材料不全。")
    pending = services.request_serve_others(listed["e_user"], listed["employer"], True)
    client.force_login(world.gd_official)
    # The queue opens on the pending requests; "all" lists the decided ones after them.
    body = client.get(reverse("agencies:change_requests")).content.decode()
    assert f"/changes/{pending.pk}/" in body and f"/changes/{old.pk}/" not in body
    body = client.get(reverse("agencies:change_requests"), {"status": "all"}).content.decode()
    assert body.index(f"/changes/{pending.pk}/") < body.index(f"/changes/{old.pk}/")
    query = {"kind": "details", "status": "all"}
    body = client.get(reverse("agencies:change_requests"), query).content.decode()
    assert f"/changes/{old.pk}/" in body and f"/changes/{pending.pk}/" not in body
    body = client.get(reverse("agencies:change_requests"), {"status": "pending"}).content.decode()
    assert f"/changes/{pending.pk}/" in body and f"/changes/{old.pk}/" not in body
    # The dashboard counts what awaits the official; other provinces see nothing of it.
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 件变更申请待决定" in dashboard
    assert f'href="{reverse("agencies:change_requests")}"' in dashboard
    client.force_login(world.hlj_official)
    body = client.get(reverse("agencies:change_requests")).content.decode()
    assert f"/changes/{pending.pk}/" not in body


def test_a_details_change_is_shown_before_and_after_and_applied(client, world, listed):
    social = listed["social"]
    change = services.request_details_change(
        listed["s_user"], social, {"name": "岭南技能评价集团", "contact_phone": "020-99990000"}
    )
    client.force_login(world.gd_official)
    body = client.get(reverse("agencies:change_request", args=[change.pk])).content.decode()
    assert "岭南技能培训评价有限公司" in body and "岭南技能评价集团" in body
    assert 'value="approve"' in body
    response = decide(client, world.gd_official, change, "approve")
    assert response.status_code == 302
    social = reload(social)
    assert social.name == "岭南技能评价集团" and social.contact_phone == "020-99990000"
    assert reload(change).status == ChangeStatus.APPROVED
    entry = AuditEntry.objects.get(action="agencies.change.decide", object_id=str(change.pk))
    assert entry.actor == world.gd_official and entry.changes["status"][1] == "approved"


def test_a_rejection_changes_nothing_and_needs_reasons(client, world, listed):
    social = listed["social"]
    change = services.request_details_change(listed["s_user"], social, {"name": "新名称"})
    response = decide(client, world.gd_official, change, "reject", reason="")
    assert response.status_code == 200 and reload(change).status == ChangeStatus.PENDING
    decide(client, world.gd_official, change, "reject", reason="名称变更需提供登记机关核准文件。")
    change = reload(change)
    assert change.status == ChangeStatus.REJECTED and change.decided_by == world.gd_official
    assert reload(social).name == "岭南技能培训评价有限公司"
    assert AuditEntry.objects.filter(
        action="agencies.change.decide", changes__status=["pending", "rejected"]
    ).exists()


def test_serve_others_is_applied_to_the_directory_entry(client, world, listed):
    employer = listed["employer"]
    change = services.request_serve_others(listed["e_user"], employer, True)
    client.force_login(world.gd_official)
    assert client.get(reverse("agencies:change_request", args=[change.pk])).status_code == 200
    decide(client, world.gd_official, change, "approve")
    assert DirectoryEntry.objects.get(agency=employer).may_serve_others is True


def test_a_renewal_extends_the_term(client, world, listed):
    employer = listed["employer"]
    entry = DirectoryEntry.objects.get(agency=employer)
    old_end = entry.valid_until
    change = services.request_renewal(listed["e_user"], employer, "期满续期。")
    client.force_login(world.gd_official)
    body = client.get(reverse("agencies:change_request", args=[change.pk])).content.decode()
    new_end = (old_end + dt.timedelta(days=1)).replace(year=old_end.year + 3)
    assert f"{new_end.year}年{new_end.month}月{new_end.day}日" in body  # the page previews it
    decide(client, world.gd_official, change, "approve")
    entry = reload(entry)
    assert entry.valid_until == new_end


def test_a_social_organisations_scope_extension_goes_through_notice(client, world, listed):
    social = listed["social"]
    occupation = Occupation.objects.get(code="6-31-01-03")
    levels = list(SkillLevel.objects.filter(pk__in=("4", "3", "2")))
    change = services.request_scope_change(
        listed["s_user"], social, [(occupation, None, levels)], "扩大到二级/技师。"
    )
    client.force_login(world.gd_official)
    body = client.get(reverse("agencies:change_request", args=[change.pk])).content.decode()
    assert "public notice" in body or "公示" in body
    decide(client, world.gd_official, change, "approve", reason="具备二级评价能力。")
    change = reload(change)
    assert change.status == ChangeStatus.ON_NOTICE
    entry = DirectoryEntry.objects.get(agency=social)
    assert not entry.scope.filter(levels="2").exists()  # not before the notice closes
    notice = PublicNotice.objects.get(subject=f"agencies.changerequest:{change.pk}")
    with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
        notices.close_due_notices()
    assert reload(change).status == ChangeStatus.APPROVED
    assert entry.scope.filter(levels="2").exists()
    assert AuditEntry.objects.filter(
        action="agencies.change.stands", object_id=str(change.pk)
    ).exists()


def test_only_the_filing_authority_decides(client, world, listed):
    change = services.request_details_change(listed["s_user"], listed["social"], {"name": "某"})
    client.force_login(world.ministry)  # sees the province's requests, but does not decide
    body = client.get(reverse("agencies:change_request", args=[change.pk])).content.decode()
    assert 'value="approve"' not in body
    assert decide(client, world.ministry, change, "approve").status_code == 403
    assert decide(client, world.hlj_official, change, "approve").status_code == 404
    assert reload(change).status == ChangeStatus.PENDING


# --- Suspension and removal --------------------------------------------------------------------


def test_suspension_marks_the_directory_refuses_assessments_and_is_lifted(client, world, listed):
    social = listed["social"]
    url = reverse("agencies:listed_agency", args=[social.pk])
    client.force_login(world.gd_official)
    until = clock.today() + dt.timedelta(days=30)
    bad = client.post(url, {"action": "suspend", "suspend-reason": "x", "suspend-until": ""})
    assert bad.status_code == 200 and reload(social).status == AgencyStatus.LISTED
    data = {
        "action": "suspend",
        "suspend-reason": "考务管理不规范，经调查核实。",
        "suspend-legal_basis": "《职业技能等级认定工作规程（试行）》第二十七条",
        "suspend-until": until.isoformat(),
    }
    # The form's POST restates the suspension and asks the password; nothing changes yet.
    body = client.post(url, data).content.decode()
    assert "确认暂停" in body and "考务管理不规范" in body and 'name="password"' in body
    assert f"至{until.year}年{until.month}月{until.day}日" in body
    assert reload(social).status == AgencyStatus.LISTED
    # A wrong password changes nothing and asks again.
    wrong = client.post(url, {**data, "confirmed": "1", "password": "wrong-password"})
    assert wrong.status_code == 400 and 'id="id_password_error"' in wrong.content.decode()
    assert reload(social).status == AgencyStatus.LISTED
    assert not Sanction.objects.filter(agency=social).exists()
    assert not AuditEntry.objects.filter(action="agencies.agency.suspend").exists()
    response = client.post(url, {**data, "confirmed": "1", "password": PASSWORD})
    assert response.status_code == 302
    social = reload(social)
    assert social.status == AgencyStatus.SUSPENDED
    assert queries.directory().filter(agency=social).exists()  # still listed, marked
    assert "暂停" in client.get(reverse("agencies:directory")).content.decode()
    refusal = services.assessment_refusal(social)
    assert refusal is not None and ("suspended" in refusal or "暂停" in refusal)
    audit = AuditEntry.objects.get(action="agencies.agency.suspend", object_id=str(social.pk))
    assert audit.actor == world.gd_official and audit.changes["status"] == ["listed", "suspended"]
    with clock.frozen(until):
        assert services.lift_ended_suspensions() == 0
    with clock.frozen(until + dt.timedelta(days=1)):
        assert services.lift_ended_suspensions() == 1
    assert reload(social).status == AgencyStatus.LISTED
    assert services.assessment_refusal(reload(social)) is None
    sanction = Sanction.objects.get(agency=social, kind=SanctionKind.SUSPENSION)
    assert sanction.lifted_at is not None
    assert AuditEntry.objects.filter(action="agencies.agency.suspension_ended").exists()


def test_removal_needs_the_password_then_the_agency_is_public_as_removed(client, world, listed):
    social = listed["social"]
    pending = services.request_details_change(listed["s_user"], social, {"name": "某某"})
    url = reverse("agencies:listed_agency", args=[social.pk])
    data = {
        "action": "remove",
        "remove-reason": "不履行工作承诺，经调查核实。",
        "remove-legal_basis": "《职业技能等级认定工作规程（试行）》第二十七条",
        "remove-follow_up_plan": "已报名的考生转由广州市职业技能鉴定指导中心组织认定。",
    }
    client.force_login(world.gd_official)
    body = client.post(url, data).content.decode()
    assert "确认退出目录" in body and "1项待处理的变更申请" in body and "广州市职业技能" in body
    assert reload(social).status == AgencyStatus.LISTED
    response = client.post(url, {**data, "confirmed": "1", "password": "wrong-password"})
    assert response.status_code == 400
    assert 'id="id_password_error"' in response.content.decode()
    assert reload(social).status == AgencyStatus.LISTED
    assert not Sanction.objects.filter(agency=social).exists()
    assert not AuditEntry.objects.filter(action="agencies.agency.remove").exists()
    response = client.post(url, {**data, "confirmed": "1", "password": PASSWORD})
    assert response.status_code == 302
    assert reload(social).status == AgencyStatus.REMOVED
    assert reload(pending).status == ChangeStatus.REJECTED
    assert not queries.directory().filter(agency=social).exists()
    client.logout()
    body = client.get(reverse("agencies:removed_agencies")).content.decode()
    assert "岭南技能培训评价有限公司" in body and "不履行工作承诺" in body
    assert "广州市职业技能鉴定指导中心" in body
    assert "珠江电力职业技能评价中心" not in body
    audit = AuditEntry.objects.get(action="agencies.agency.remove", object_id=str(social.pk))
    assert audit.actor == world.gd_official and "password" not in str(audit.changes)


def test_the_listed_page_filters_and_shows_histories(client, world, listed):
    social, employer = listed["social"], listed["employer"]
    services.suspend_agency(
        world.gd_official,
        employer,
        reason="暂停",
        legal_basis="第二十七条",
        until=clock.today() + dt.timedelta(days=10),
        password=PASSWORD,
    )
    services.request_details_change(listed["s_user"], social, {"contact_phone": "020-1"})
    client.force_login(world.gd_official)
    body = client.get(reverse("agencies:listed_agencies")).content.decode()
    assert social.name in body and employer.name in body
    body = client.get(reverse("agencies:listed_agencies"), {"status": "suspended"}).content.decode()
    assert employer.name in body and social.name not in body
    body = client.get(reverse("agencies:listed_agency", args=[social.pk])).content.decode()
    assert "6-31-01-03" in body and 'name="remove-reason"' in body
    assert reverse("agencies:change_request", args=[ChangeRequest.objects.get().pk]) in body
    body = client.get(reverse("agencies:listed_agency", args=[employer.pk])).content.decode()
    # Suspended: the suspension button is disabled with the service's refusal beside it.
    refusal = services.suspension_refusal(reload(employer))
    assert 'disabled aria-describedby="refusal-suspend">' in body and refusal in body
    assert 'aria-describedby="refusal-remove"' not in body


def test_other_province_404_wrong_role_403_and_no_forms_outside_the_filing_authority(
    client, world, listed
):
    social = listed["social"]
    url = reverse("agencies:listed_agency", args=[social.pk])
    client.force_login(world.hlj_official)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "suspend"}).status_code == 404
    client.force_login(world.osta_gd)
    assert client.get(url).status_code == 403
    client.force_login(world.members["admin"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("agencies:listed_agencies")).status_code == 403
    client.force_login(world.ministry)  # the ministry reads, but the province is the authority
    body = client.get(url).content.decode()
    assert client.get(url).status_code == 200 and 'name="remove-reason"' not in body
    assert client.post(url, {"action": "suspend"}).status_code == 403
    assert Agency.objects.get(pk=social.pk).status == AgencyStatus.LISTED
