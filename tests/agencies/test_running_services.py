"""Running a listed agency, service by service (Art 16, 19, 22, 27, 28)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies import services
from agencies.models import (
    AgencyApplication,
    ChangeStatus,
    DirectoryEntry,
    PublishedRules,
    TermReminder,
)
from agencies.queries import directory
from catalog.models import Occupation, SkillLevel
from portal import clock, notices
from portal.models import AgencyMembership, AgencyStatus
from portal.roles import AgencyRole
from tests.agencies.builders import applicant, complete_application, published_call
from tests.catalog.builders import electrician_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world, settings, tmp_path):
    """A social organisation listed by 广东 through the full path."""
    settings.MEDIA_ROOT = tmp_path
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    user, agency = applicant()
    application = complete_application(user, agency, call, levels=("4",))
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=False
    )
    services.decide(world.gd_official, application, approve=True, reasons="符合")
    notice = notices.PublicNotice.objects.get(
        subject=f"agencies.agencyapplication:{application.pk}"
    )
    with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
        notices.close_due_notices()
    services.sign_commitment(user, AgencyApplication.objects.get(pk=application.pk))
    agency.refresh_from_db()
    return user, agency


def test_staff_is_managed_by_the_admin_and_one_admin_always_stays(listed, world):
    admin, agency = listed
    membership, password = services.add_member(
        admin, agency, role=AgencyRole.STAFF, username="new_staff", real_name="新员工", create=True
    )
    assert password and membership.user.must_change_password
    assert membership.user.check_password(password)
    with pytest.raises(ValidationError):  # the same role twice
        services.add_member(admin, agency, role=AgencyRole.STAFF, username="new_staff")
    with pytest.raises(PermissionDenied):  # staff cannot manage staff
        services.add_member(membership.user, agency, role=AgencyRole.EXAMINER, username="expert")
    services.add_member(admin, agency, role=AgencyRole.EXAMINER, username="expert")
    own = AgencyMembership.objects.get(user=admin, agency=agency)
    with pytest.raises(ValidationError) as info:
        services.remove_member(admin, own)
    assert info.value.code == "last_admin"
    with pytest.raises(ValidationError):
        services.change_role(admin, own, AgencyRole.STAFF)
    services.change_role(admin, membership, AgencyRole.ADMIN)
    new_admin = type(admin).objects.get(pk=membership.user_id)  # roles are read per request
    services.remove_member(new_admin, own)
    assert not AgencyMembership.objects.filter(user=admin, agency=agency).exists()


def test_rules_are_versioned_and_the_latest_is_current(listed):
    admin, agency = listed
    services.publish_rules(admin, agency, "fees", "五级 300元/人")
    with pytest.raises(ValidationError):
        services.publish_rules(admin, agency, "fees", "五级 300元/人")
    services.publish_rules(admin, agency, "fees", "五级 280元/人")
    services.publish_rules(admin, agency, "quality", "质量管理办法")
    current = {r.kind: r for r in services.current_rules(agency)}
    assert current["fees"].version == 2 and current["fees"].text == "五级 280元/人"
    assert PublishedRules.objects.filter(agency=agency, kind="fees").count() == 2


def test_a_details_change_is_confirmed_by_the_filing_authority(listed, world):
    admin, agency = listed
    change = services.request_details_change(
        admin, agency, {"address": "广州市新地址9号", "name": agency.name}
    )
    assert change.payload == {"address": "广州市新地址9号"}
    with pytest.raises(ValidationError):  # one at a time
        services.request_details_change(admin, agency, {"address": "别处"})
    with pytest.raises(PermissionDenied):  # not the filing authority
        services.decide_change(world.hlj_official, change, approve=True, reason="同意")
    services.decide_change(world.gd_official, change, approve=True, reason="材料齐全")
    agency.refresh_from_db()
    assert agency.address == "广州市新地址9号"
    change.refresh_from_db()
    assert change.before == {"address": "广州市天河区"} and change.status == ChangeStatus.APPROVED


def test_a_scope_extension_of_a_social_organisation_goes_through_notice(listed, world):
    admin, agency = listed
    electrician = Occupation.objects.get(code="6-31-01-03")
    wider = list(SkillLevel.objects.filter(pk__in=["4", "3"]))
    change = services.request_scope_change(admin, agency, [(electrician, None, wider)])
    services.decide_change(world.gd_official, change, approve=True, reason="条件具备")
    change.refresh_from_db()
    assert change.status == ChangeStatus.ON_NOTICE
    entry = DirectoryEntry.objects.get(agency=agency)
    assert set(entry.scope.get().levels.values_list("pk", flat=True)) == {"4"}
    notice = notices.PublicNotice.objects.get(subject=f"agencies.changerequest:{change.pk}")
    with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
        notices.close_due_notices()
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert set(entry.scope.get().levels.values_list("pk", flat=True)) == {"4", "3"}
    # Narrowing needs no notice.
    narrower = services.request_scope_change(
        admin, agency, [(electrician, None, list(SkillLevel.objects.filter(pk="3")))]
    )
    services.decide_change(world.gd_official, narrower, approve=True, reason="机构申请缩减")
    narrower.refresh_from_db()
    assert narrower.status == ChangeStatus.APPROVED


def test_renewal_extends_the_term_and_lapsed_agencies_are_refused(listed, world):
    admin, agency = listed
    entry = DirectoryEntry.objects.get(agency=agency)
    end = entry.valid_until
    assert services.assessment_refusal(agency) is None
    with clock.frozen(end + dt.timedelta(days=1)):
        assert services.lapse_ended_terms() == 1
        agency.refresh_from_db()
        assert agency.status == AgencyStatus.LAPSED
        assert "备案期限" in services.assessment_refusal(agency)
        with pytest.raises(ValidationError) as info:
            services.require_can_assess(agency)
        assert info.value.code == "agency_not_active"
        assert agency in [e.agency for e in directory()]  # still shown, as lapsed
        change = services.request_renewal(admin, agency)
        services.decide_change(world.gd_official, change, approve=True, reason="同意续期")
    agency.refresh_from_db()
    entry.refresh_from_db()
    assert agency.status == AgencyStatus.LISTED and entry.valid_until > end


def test_reminders_go_out_ninety_and_thirty_days_before_once(listed, mailoutbox):
    admin, agency = listed
    entry = DirectoryEntry.objects.get(agency=agency)
    with clock.frozen(entry.valid_until - dt.timedelta(days=100)):
        assert services.send_term_reminders() == 0
    with clock.frozen(entry.valid_until - dt.timedelta(days=89)):
        assert services.send_term_reminders() == 1
        assert services.send_term_reminders() == 0
    with clock.frozen(entry.valid_until - dt.timedelta(days=29)):
        assert services.send_term_reminders() == 1
    assert TermReminder.objects.filter(entry=entry).count() == 2


def test_suspension_and_removal(listed, world):
    admin, agency = listed
    until = clock.today() + dt.timedelta(days=30)
    with pytest.raises(PermissionDenied):
        services.suspend_agency(
            world.hlj_official, agency, reason="x", legal_basis="y", until=until, password=""
        )
    world.gd_official.set_password("Right#pass2026")
    world.gd_official.save()
    with pytest.raises(ValidationError) as info:
        services.suspend_agency(
            world.gd_official,
            agency,
            reason="考务不规范",
            legal_basis="《工作规程》第二十七条",
            until=until,
            password="wrong",
        )
    assert "password" in info.value.message_dict
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.LISTED
    services.suspend_agency(
        world.gd_official,
        agency,
        reason="考务不规范",
        legal_basis="《工作规程》第二十七条",
        until=until,
        password="Right#pass2026",
    )
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.SUSPENDED and "暂停" in services.assessment_refusal(agency)
    with clock.frozen(until + dt.timedelta(days=1)):
        assert services.lift_ended_suspensions() == 1
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.LISTED
    with pytest.raises(ValidationError) as info:
        services.remove_agency(
            world.gd_official,
            agency,
            reason="违反承诺",
            legal_basis="第二十七条",
            follow_up_plan="已报名考生转由其他机构",
            password="wrong",
        )
    assert "password" in info.value.message_dict
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.LISTED
    with pytest.raises(ValidationError) as info:
        services.remove_agency(
            world.gd_official,
            agency,
            reason="违反承诺",
            legal_basis="第二十七条",
            follow_up_plan="",
            password="Right#pass2026",
        )
    assert "follow_up_plan" in info.value.message_dict
    services.remove_agency(
        world.gd_official,
        agency,
        reason="违反承诺",
        legal_basis="第二十七条",
        follow_up_plan="已报名考生转由其他机构",
        password="Right#pass2026",
    )
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.REMOVED
    assert agency not in [e.agency for e in directory()]
    assert services.assessment_refusal(agency)
