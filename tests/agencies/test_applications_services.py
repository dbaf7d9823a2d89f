"""Becoming a listed agency, service by service (Art 11–15, 22), with every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies import services
from agencies.models import (
    AgencyApplication,
    ApplicationStatus,
    DirectoryEntry,
    ExpertAssignment,
    MaterialReview,
    UsccCheck,
)
from portal import access, clock, notices
from portal.models import AgencySite, AgencyStatus, AuditEntry
from tests.agencies.builders import applicant, complete_application, published_call
from tests.catalog.builders import electrician_standard
from tests.portal.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    electrician_standard(world.osta_national)
    call = published_call(
        world.gd_official, min_years=6, min_total_assessed=50000, min_per_occupation=10000
    )
    user, agency = applicant()
    experts = [
        world.expert,
        world.expert2,
        make_user("expert3", role="expert", jurisdiction="440000"),
        make_user("expert4", role="expert", jurisdiction="440000"),
    ]
    return {"call": call, "user": user, "agency": agency, "experts": experts, "world": world}


def reload(application):
    return AgencyApplication.objects.get(pk=application.pk)


def test_submission_reports_every_problem_and_changes_nothing(setup):
    user, agency, call = setup["user"], setup["agency"], setup["call"]
    application = services.start_application(user, agency, call)
    with pytest.raises(ValidationError) as info:
        services.submit_application(user, application, pledge=False)
    errors = info.value.message_dict
    for key in (
        "address",
        "condition_1",
        "condition_5",
        "scope",
        "sites",
        "pledge",
        "declared_years",
        "declared_total_assessed",
    ):
        assert key in errors, key
    application = reload(application)
    assert application.status == ApplicationStatus.DRAFT and application.receipt is None
    assert not application.material_reviews.exists()


def test_thresholds_of_the_call_are_checked(setup):
    user, agency, call = setup["user"], setup["agency"], setup["call"]
    application = complete_application(user, agency, call, declared=9000)
    with pytest.raises(ValidationError) as info:
        services.submit_application(user, application, pledge=True)
    assert "10000" in " ".join(info.value.message_dict["scope"])


def test_one_application_per_call_and_kind_and_dates(setup, world):
    user, agency, call = setup["user"], setup["agency"], setup["call"]
    services.start_application(user, agency, call)
    with pytest.raises(ValidationError) as info:
        services.start_application(user, agency, call)
    assert info.value.code == "duplicate"
    employers_only = published_call(world.gd_official, title="企业征集", accepts_social_orgs=False)
    with pytest.raises(ValidationError) as info:
        services.start_application(user, agency, employers_only)
    assert info.value.code == "kind_not_accepted"
    with clock.frozen(clock.today() + dt.timedelta(days=31)), pytest.raises(ValidationError):
        services.start_application(user, agency, employers_only)


def test_a_national_call_admits_only_occupations_with_a_standard(world, setup):
    from agencies.services.applications import ScopeRequest
    from catalog.models import Occupation, SkillLevel

    national = published_call(
        world.ministry, jurisdiction="000000", standard_required=True, title="全国征集"
    )
    application = services.start_application(setup["user"], setup["agency"], national)
    no_standard = Occupation.objects.get(code="4-13-01-05")
    with pytest.raises(ValidationError) as info:
        services.set_scope(
            setup["user"],
            application,
            [ScopeRequest(no_standard, [SkillLevel.objects.get(pk="5")])],
        )
    assert "第十七条" in " ".join(info.value.message_dict["scope"])


def test_the_whole_way_to_the_directory(setup, world):
    user, agency, call, experts = setup["user"], setup["agency"], setup["call"], setup["experts"]
    application = complete_application(user, agency, call)
    application = services.submit_application(user, application, pledge=True)
    assert application.status == ApplicationStatus.SUBMITTED and application.receipt
    assert application.uscc_check == UsccCheck.VALID

    # Material check: returned with comments, corrected, resubmitted, accepted.
    with pytest.raises(PermissionDenied):  # the other province cannot vet
        services.return_materials(world.hlj_official, application, comments={"address": "x"})
    services.return_materials(
        world.gd_official, application, comments={"address": "请填写详细地址"}
    )
    application = reload(application)
    assert application.status == ApplicationStatus.RETURNED
    services.update_application(user, application, address="广州市天河区体育西路1号")
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=True, use_site_visit=True
    )
    assert list(application.material_reviews.values_list("round", "decision")) == [
        (1, MaterialReview.Decision.RETURNED),
        (2, MaterialReview.Decision.ACCEPTED),
    ]

    # Expert review: three of the pool, one withdraws for a conflict, a fourth replaces them.
    with pytest.raises(ValidationError):
        services.assign_experts(world.gd_official, application, experts[:2])
    services.assign_experts(world.gd_official, application, experts[:3])
    assignments = {a.expert_id: a for a in application.expert_assignments.all()}
    assert access.can(experts[0], "agencies.application.review", application)
    assert not access.can(experts[3], "agencies.application.review", application)
    with pytest.raises(PermissionDenied):
        services.declare_conflict(experts[3], assignments[experts[0].pk], has_conflict=False)
    services.declare_conflict(
        experts[2], assignments[experts[2].pk], has_conflict=True, note="曾在该机构任职"
    )
    assert not access.can(experts[2], "agencies.application.review", application)
    with pytest.raises(PermissionDenied):
        services.submit_expert_review(
            experts[2],
            assignments[experts[2].pk],
            scores=dict.fromkeys(range(1, 6), 80),
            opinion="x",
            recommendation="approve",
        )
    with pytest.raises(ValidationError):  # undeclared yet
        services.submit_expert_review(
            experts[0],
            assignments[experts[0].pk],
            scores=dict.fromkeys(range(1, 6), 80),
            opinion="x",
            recommendation="approve",
        )
    services.assign_experts(world.gd_official, application, [experts[3]])
    for expert in (experts[0], experts[1], experts[3]):
        assignment = ExpertAssignment.objects.get(application=application, expert=expert)
        services.declare_conflict(expert, assignment, has_conflict=False)
        services.submit_expert_review(
            expert,
            assignment,
            scores=dict.fromkeys(range(1, 6), 85),
            opinion="条件具备",
            recommendation="approve",
        )

    # Decision needs the site visit; then approval with a narrower scope goes on notice.
    with pytest.raises(ValidationError) as info:
        services.decide(world.gd_official, application, approve=True, reasons="符合条件")
    assert info.value.code == "visit_pending"
    services.record_site_visit(
        world.gd_official,
        application,
        visited_on=clock.today(),
        people="张三、李四",
        findings="场地设备符合要求",
    )
    item = application.scope.get()
    services.decide(
        world.gd_official,
        application,
        approve=True,
        reasons="符合条件",
        approved_levels={item.pk: ["4"]},
    )
    application = reload(application)
    assert application.status == ApplicationStatus.ON_NOTICE and application.decision_letter
    assert list(item.approved_levels.values_list("pk", flat=True)) == ["4"]
    notice = notices.PublicNotice.objects.get(
        subject=f"agencies.agencyapplication:{application.pk}"
    )
    assert notice.period_working_days == 5 and notice.agency == agency

    # An objection is dismissed; the notice cannot close while it is pending.
    objection = notices.file_objection(
        notice, name="异议人", contact="13900000000", content="该机构场地不足"
    )
    with clock.frozen(notice.ends_on + dt.timedelta(days=3)):
        assert notices.close_due_notices() == 0
        assert reload(application).status == ApplicationStatus.ON_NOTICE
        notices.dismiss_objection(world.gd_official, objection, reason="经核实场地充足")
        assert notices.close_due_notices() == 1
    application = reload(application)
    assert application.status == ApplicationStatus.APPROVED

    # The commitment letter lists the agency: code 0000 (provincial), a site awaiting a serial.
    with pytest.raises(PermissionDenied):
        services.sign_commitment(world.gd_official, application)
    entry = services.sign_commitment(user, application)
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.LISTED and agency.agency_code == "0000"
    assert agency.filing_jurisdiction == "440000" and agency.address == "广州市天河区体育西路1号"
    assert entry.valid_until == entry.valid_from.replace(year=entry.valid_from.year + 3)
    scope = entry.scope.get()
    assert list(scope.levels.values_list("pk", flat=True)) == ["4"] and scope.standard
    site = AgencySite.objects.get(agency=agency)
    assert site.site_serial == ""
    with pytest.raises(PermissionDenied):
        services.assign_site_serial(world.hlj_official, site)
    services.assign_site_serial(world.gd_official, site)
    site.refresh_from_db()
    assert site.site_serial == "000001"
    assert reload(application).status == ApplicationStatus.LISTED
    assert DirectoryEntry.objects.filter(agency=agency).exists()
    # Every step is in the audit trail.
    actions = set(AuditEntry.objects.filter(agency=agency).values_list("action", flat=True))
    for action in (
        "agencies.application.submit",
        "agencies.application.return",
        "agencies.application.accept",
        "agencies.application.assign_experts",
        "agencies.application.decide",
        "agencies.application.approval_stands",
        "agencies.agency.list",
        "agencies.site.serial",
    ):
        assert action in actions, action
    # Entries before listing already belong to the call's province, so its officials read them.
    assert AuditEntry.objects.get(action="agencies.application.accept").province == "440000"
    # The experts' identities stay with the authority.
    assign = AuditEntry.objects.get(
        action="agencies.application.assign_experts", changes__experts__1__contains="expert"
    )
    assert assign.audience == "authority"


def test_an_upheld_objection_turns_the_approval_into_a_rejection(setup, world):
    user, agency, call = setup["user"], setup["agency"], setup["call"]
    application = complete_application(user, agency, call)
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=False
    )
    services.decide(world.gd_official, application, approve=True, reasons="符合条件")
    notice = notices.PublicNotice.objects.get(
        subject=f"agencies.agencyapplication:{application.pk}"
    )
    objection = notices.file_objection(notice, name="甲", contact="a@b.cn", content="虚报业绩")
    notices.uphold_objection(world.gd_official, objection, reason="业绩数据不实")
    application = reload(application)
    assert application.status == ApplicationStatus.REJECTED
    assert "业绩数据不实" in application.decision_reasons
    with pytest.raises(ValidationError):
        services.sign_commitment(user, application)
    agency.refresh_from_db()
    assert agency.status == AgencyStatus.APPLICANT


def test_an_employer_is_listed_without_a_notice_and_a_nationwide_agency_gets_a_code(world, setup):
    national = published_call(world.ministry, jurisdiction="000000", title="全国征集")
    user, employer = applicant(
        "employer_admin", uscc="91110108MA01RT7Y5G", kind="Y", province="110000", name="某集团"
    )
    application = complete_application(user, employer, national)
    services.submit_application(user, application, pledge=True)
    with pytest.raises(PermissionDenied):  # a province does not vet a national call
        services.accept_materials(
            world.gd_official, application, use_expert_review=False, use_site_visit=False
        )
    services.accept_materials(
        world.ministry, application, use_expert_review=False, use_site_visit=False
    )
    services.decide(
        world.ministry, application, approve=True, reasons="符合条件", may_serve_others=True
    )
    application = reload(application)
    assert application.status == ApplicationStatus.APPROVED and application.may_serve_others
    entry = services.sign_commitment(user, application)
    employer.refresh_from_db()
    assert employer.agency_code == "0001" and entry.filing_jurisdiction == "000000"


def test_a_flagged_credit_code_must_be_confirmed_before_acceptance(setup, world):
    user, agency = applicant("flagged_admin", uscc="91440106MA5CKL8N3A", name="代码存疑机构")
    application = complete_application(user, agency, setup["call"])
    application = services.submit_application(user, application, pledge=True)
    assert application.uscc_check == UsccCheck.FLAGGED
    with pytest.raises(ValidationError) as info:
        services.accept_materials(
            world.gd_official, application, use_expert_review=False, use_site_visit=False
        )
    assert info.value.code == "uscc_flagged"
    with pytest.raises(ValidationError):
        services.confirm_uscc(world.gd_official, application, confirm=True, note="")
    services.confirm_uscc(
        world.gd_official, application, confirm=True, note="已在国家企业信用信息公示系统核实"
    )
    services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=False
    )
    assert reload(application).status == ApplicationStatus.UNDER_REVIEW


def test_withdrawal_before_a_decision_only(setup, world):
    user, agency, call = setup["user"], setup["agency"], setup["call"]
    application = complete_application(user, agency, call)
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=False
    )
    services.decide(world.gd_official, application, approve=False, reasons="业绩不足")
    with pytest.raises(ValidationError):
        services.withdraw_application(user, application)
    other_user, other = applicant("other_admin", uscc="91230103MA1CDE9F65", name="另一机构")
    draft = services.start_application(other_user, other, call)
    with pytest.raises(PermissionDenied):  # another agency's application
        services.withdraw_application(user, draft)
    assert services.withdraw_application(other_user, draft).status == ApplicationStatus.WITHDRAWN
