"""Demo data of the agencies app: calls (national, 广东, 黑龙江) and applications in every
state, with listed agencies that have sites in two provinces. All marked 演示."""

from __future__ import annotations

import datetime as dt
import zlib

from django.core.files.base import ContentFile

from agencies import services
from agencies.models import (
    AgencyApplication,
    AgencyCall,
    ApplicationStatus,
    ChangeRequest,
    Condition,
    DirectoryEntry,
    ExpertAssignment,
    PublishedRules,
    RulesKind,
)
from agencies.services.applications import ScopeRequest
from catalog.models import Occupation, SkillLevel
from portal import clock, notices
from portal.models import Agency, AgencyKind, AgencyStatus, Province, User
from portal.roles import AgencyRole

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "Demo#2026pass"  # noqa: S105 - the README's demo password


def _call(official, jurisdiction, title, **extra):
    existing = AgencyCall.objects.filter(title=title).first()
    if existing:
        return existing
    today = clock.today()
    call = services.create_call(
        official,
        jurisdiction=jurisdiction,
        title=title,
        body="为贯彻《职业技能等级认定工作规程（试行）》，现面向社会公开征集评价机构。（演示数据）",
        opens_on=today - dt.timedelta(days=60),
        deadline=today + dt.timedelta(days=60),
        **extra,
    )
    return services.publish_call(official, call)


# Area codes of the demo agencies' office lines.
AREA_CODES = {"440000": "020", "230000": "0451", "110000": "010"}


def _public_contact(username: str, province: str) -> dict:
    """A role mailbox and an office line: the demo publishes no person's own details."""
    line = zlib.crc32(username.encode()) % 10000
    return {
        "public_contact_name": "考务办公室",
        "public_phone": f"{AREA_CODES.get(province, '010')}-8866{line:04d}",
        "public_email": f"kaowu.{username.replace('_', '-')}@demo.example.org",
    }


def _org(username, name, uscc, kind, province):
    agency = Agency.objects.filter(uscc=uscc).first()
    if agency:
        if not (agency.public_phone or agency.public_email):  # demo data seeded before
            Agency.objects.filter(pk=agency.pk).update(**_public_contact(username, province))
        return User.objects.get(username=username), agency
    user, agency = services.register_organisation(
        username=username,
        password=PASSWORD,
        real_name=f"{name}管理员",
        email=f"{username}@demo.example.org",
        phone="13800000000",
        org_name=name,
        uscc=uscc,
        kind=kind,
        province=Province.objects.get(code=province),
        **_public_contact(username, province),
    )
    Agency.objects.filter(pk=agency.pk).update(is_demo=True)
    agency.refresh_from_db()
    return user, agency


def _fill(user, agency, call, *, codes=("6-31-01-03",), levels=("4", "3"), sites=None):
    application = services.start_application(user, agency, call)
    services.update_application(
        user,
        application,
        address=f"{agency.registered_province.name}演示路8号",
        legal_representative="演示法人",
        contact_name="演示联系人",
        contact_phone="020-88888888",
        contact_email="contact@demo.example.org",
        declared_years=8,
        declared_total_assessed=80000,
    )
    for condition in Condition.values:
        services.set_condition(
            user, application, condition, f"{Condition(condition).label}：已具备（演示数据）。"
        )
        services.add_evidence(
            user,
            application,
            condition,
            ContentFile(PDF, name=f"evidence-{condition}.pdf"),
            title=f"条件{condition}证明材料（演示）",
        )
    services.set_scope(
        user,
        application,
        [
            ScopeRequest(
                Occupation.objects.get(code=code),
                list(SkillLevel.objects.filter(pk__in=levels)),
                None,
                20000,
            )
            for code in codes
        ],
    )
    services.set_sites(
        user,
        application,
        sites
        or [
            (
                "总部考核站（演示）",
                agency.registered_province,
                f"{agency.registered_province.name}演示路8号",
            )
        ],
    )
    return AgencyApplication.objects.get(pk=application.pk)


def _experts(jurisdiction):
    prefix = "expert_gd" if jurisdiction == "440000" else "expert_n"
    return list(User.objects.filter(username__startswith=prefix).order_by("username")[:3])


def _review(official, application, *, approve=True):
    services.accept_materials(official, application, use_expert_review=True, use_site_visit=True)
    services.assign_experts(official, application, _experts(application.call.jurisdiction))
    for assignment in ExpertAssignment.objects.filter(application=application):
        services.declare_conflict(assignment.expert, assignment, has_conflict=False)
        services.submit_expert_review(
            assignment.expert,
            assignment,
            scores=dict.fromkeys(Condition.values, 86),
            opinion="条件具备，建议通过。（演示）",
            recommendation=(
                ExpertAssignment.Recommendation.APPROVE
                if approve
                else ExpertAssignment.Recommendation.REJECT
            ),
        )
    services.record_site_visit(
        official,
        application,
        visited_on=clock.today(),
        people="演示检查组",
        findings="场地、设备与视频监控符合要求。（演示）",
    )


def seed(stdout=None) -> None:
    if AgencyCall.objects.exists():
        if stdout is not None:
            stdout.write("agencies: demo data already present")
        seed_running(stdout)
        return
    ministry = User.objects.get(username="ministry")
    gd = User.objects.get(username="gd_official")
    hlj = User.objects.get(username="hlj_official")
    national = _call(
        ministry,
        "000000",
        "2026年全国性职业技能等级认定社会培训评价组织征集公告（演示）",
        accepts_employers=False,
        standard_required=True,
        min_years=6,
        min_total_assessed=50000,
        min_per_occupation=10000,
    )
    gd_call = _call(
        gd, "440000", "广东省2026年职业技能等级认定评价机构征集公告（演示）", min_years=3
    )
    hlj_call = _call(hlj, "230000", "黑龙江省2026年职业技能等级认定评价机构征集公告（演示）")

    past = clock.now() - dt.timedelta(days=40)
    with clock.frozen(past):
        # Listed: a nationwide organisation with sites in 广东 and 黑龙江, through a notice.
        user, org = _org(
            "demo_national_org",
            "华夏职业技能评价研究院（演示）",
            "91110108MA01RT7Y5G",
            AgencyKind.SOCIAL_ORG,
            "110000",
        )
        app = _fill(
            user,
            org,
            national,
            codes=("6-31-01-03", "6-18-01-01"),
            levels=("5", "4", "3"),
            sites=[
                ("广州考核站（演示）", Province.objects.get(code="440000"), "广州市演示大道1号"),
                ("哈尔滨考核站（演示）", Province.objects.get(code="230000"), "哈尔滨市演示街2号"),
            ],
        )
        services.submit_application(user, app, pledge=True)
        _review(ministry, app)
        services.decide(
            ministry, app, approve=True, reasons="材料完备，专家论证与现场考察通过。（演示）"
        )
        # Listed: an employer in 广东 (no notice needed) that may serve others.
        emp_user, employer = _org(
            "demo_employer",
            "广东演示电力集团有限公司（演示）",
            "91440104MA59XQ1B2C",
            AgencyKind.EMPLOYER,
            "440000",
        )
        emp_app = _fill(emp_user, employer, gd_call)
        services.submit_application(emp_user, emp_app, pledge=True)
        services.accept_materials(gd, emp_app, use_expert_review=False, use_site_visit=False)
        services.decide(
            gd,
            emp_app,
            approve=True,
            reasons="符合用人单位自主评价条件。（演示）",
            may_serve_others=True,
        )
        # Listed: a 黑龙江 employer assessing its own staff only.
        hlj_user, hlj_employer = _org(
            "demo_hlj_employer",
            "黑龙江演示装备制造有限公司（演示）",
            "91230103MA1CDE9F65",
            AgencyKind.EMPLOYER,
            "230000",
        )
        hlj_app = _fill(hlj_user, hlj_employer, hlj_call, codes=("6-18-01-01",), levels=("5", "4"))
        services.submit_application(hlj_user, hlj_app, pledge=True)
        services.accept_materials(hlj, hlj_app, use_expert_review=False, use_site_visit=False)
        services.decide(hlj, hlj_app, approve=True, reasons="符合用人单位自主评价条件。（演示）")
        # The portal's demo agency (its members are the agency-role demo accounts) goes the
        # same way, so that its listing has an application, a term and a directory entry.
        own_admin = User.objects.get(username="agency_admin")
        own = Agency.objects.get(uscc="91440101MA5D7E0M1A")
        own_site = own.sites.first()
        own_app = _fill(
            own_admin,
            own,
            gd_call,
            codes=("6-31-01-03", "4-10-01-05"),
            levels=("5", "4", "3"),
            sites=[(own_site.name, own_site.province, own_site.address)],
        )
        services.submit_application(own_admin, own_app, pledge=True)
        services.accept_materials(gd, own_app, use_expert_review=False, use_site_visit=False)
        services.decide(gd, own_app, approve=True, reasons="符合遴选条件。（演示）")
    notices.close_due_notices()
    for listed_user, listed in (
        (user, app),
        (emp_user, emp_app),
        (hlj_user, hlj_app),
        (own_admin, own_app),
    ):
        services.sign_commitment(listed_user, AgencyApplication.objects.get(pk=listed.pk))
    for site in hlj_employer.sites.all():
        services.assign_site_serial(hlj, site)
    for site in org.sites.filter(province_id="440000"):
        services.assign_site_serial(gd, site)

    # 广东: draft, submitted, returned, under expert review, on notice with an objection, rejected.
    u, a = _org(
        "demo_draft",
        "广州演示培训学校（演示）",
        "91440106MA5CKL8N3W",
        AgencyKind.SOCIAL_ORG,
        "440000",
    )
    services.start_application(u, a, gd_call)
    u, a = _org(
        "demo_submitted",
        "深圳演示评价中心（演示）",
        "91440300MA5GHJ2K87",
        AgencyKind.SOCIAL_ORG,
        "440000",
    )
    services.submit_application(u, _fill(u, a, gd_call), pledge=True)
    u, a = _org(
        "demo_returned",
        "佛山演示技能评价中心（演示）",
        "91440600MA4UJK7L2N",
        AgencyKind.SOCIAL_ORG,
        "440000",
    )
    returned = _fill(u, a, gd_call)
    services.submit_application(u, returned, pledge=True)
    services.return_materials(
        gd,
        returned,
        comments={"condition_3": "请补充视频监控设备清单。"},
        general_comment="材料不全，请补正后重新提交。（演示）",
    )
    u, a = _org(
        "demo_review",
        "东莞演示职业培训学院（演示）",
        "91441900MA51XY3K85",
        AgencyKind.SOCIAL_ORG,
        "440000",
    )
    reviewing = _fill(u, a, gd_call)
    services.submit_application(u, reviewing, pledge=True)
    services.accept_materials(gd, reviewing, use_expert_review=True, use_site_visit=False)
    services.assign_experts(gd, reviewing, _experts("440000"))
    u, a = _org(
        "demo_notice",
        "珠海演示技能鉴定所（演示）",
        "91440400MA4WQE5R10",
        AgencyKind.SOCIAL_ORG,
        "440000",
    )
    noticed = _fill(u, a, gd_call)
    services.submit_application(u, noticed, pledge=True)
    services.accept_materials(gd, noticed, use_expert_review=False, use_site_visit=False)
    services.decide(gd, noticed, approve=True, reasons="符合遴选条件。（演示）")
    notice = notices.PublicNotice.objects.get(subject=notices.subject_key(noticed))
    notices.file_objection(
        notice, name="演示异议人", contact="13900000000", content="该机构考评人员数量不足。（演示）"
    )
    u, a = _org(
        "demo_rejected",
        "汕头演示培训中心（演示）",
        "91440500MA52TR6H0H",
        AgencyKind.SOCIAL_ORG,
        "440000",
    )
    rejected = _fill(u, a, gd_call)
    services.submit_application(u, rejected, pledge=True)
    services.accept_materials(gd, rejected, use_expert_review=False, use_site_visit=False)
    services.decide(gd, rejected, approve=False, reasons="近三年评价人次未达征集要求。（演示）")
    if stdout is not None:
        counts = {
            s: AgencyApplication.objects.filter(status=s).count() for s in ApplicationStatus.values
        }
        stdout.write(f"agencies: 3 calls, applications {counts}")
    seed_running(stdout)


# --- Running listed agencies: rules and fees, staff, a change request, a term near its end, a
# suspended and a removed agency (Art 16, 19, 22, 27, 28). Safe to run again.

RULES_TEXT = {
    RulesKind.EXAM_AFFAIRS: "考务管理制度：考前公告、身份核验、考场监控、试卷保密。（演示）",
    RulesKind.QUALITY: "质量管理制度：内部质量督导员全程督导，问题整改闭环管理。（演示）",
    RulesKind.CERTIFICATES: "证书管理制度：按统一编码规则颁发，数据按时报送。（演示）",
    RulesKind.FEES: "收费标准：五级/初级工 300元，四级/中级工 400元，三级/高级工 500元。（演示）",
}


def _listed_extra(gd, call, username, name, uscc):
    """A 广东 employer listed at once (no notice for employers), for the sanctions demo."""
    user, agency = _org(username, name, uscc, AgencyKind.EMPLOYER, "440000")
    if agency.status != AgencyStatus.APPLICANT:
        return user, agency
    application = AgencyApplication.objects.filter(agency=agency, call=call).first()
    if application is None:
        application = _fill(user, agency, call)
        services.submit_application(user, application, pledge=True)
        services.accept_materials(gd, application, use_expert_review=False, use_site_visit=False)
        services.decide(gd, application, approve=True, reasons="符合用人单位自主评价条件。（演示）")
    services.sign_commitment(user, AgencyApplication.objects.get(pk=application.pk))
    agency.refresh_from_db()
    return user, agency


def _staff(admin, agency, username, real_name, role):
    if User.objects.filter(username=username).exists():
        return
    membership, _password = services.add_member(
        admin, agency, role=role, username=username, real_name=real_name, create=True
    )
    user = membership.user
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])


AFFILIATES = (
    ("广州演示电力设备维修有限公司（演示）", "91440106MA5CK7D3X", "全资子公司", True),
    ("佛山演示电气安装工程有限公司（演示）", "91440604MA4WR2E6Q", "控股子公司（持股 70%）", False),
)


def _affiliates(gd, admin, employer) -> None:
    from portal import codes

    for name, body, relation, confirm in AFFILIATES:
        code = body + codes.uscc_check_char(body)
        if employer.affiliates.filter(uscc=code).exists():
            continue
        affiliate = services.declare_affiliate(
            admin, employer, name=name, uscc=code, relation=relation
        )
        if confirm:
            services.decide_affiliate(gd, affiliate, confirm=True)


def seed_running(stdout=None) -> None:
    gd = User.objects.get(username="gd_official")
    admins = {
        "demo_national_org": "demo_national_org_staff",
        "demo_employer": "demo_employer_staff",
        "demo_hlj_employer": "demo_hlj_employer_staff",
    }
    for admin_name, staff_name in admins.items():
        admin = User.objects.filter(username=admin_name).first()
        membership = admin and admin.memberships.select_related("agency").first()
        if membership is None or membership.agency.status != AgencyStatus.LISTED:
            continue
        agency = membership.agency
        for kind, text in RULES_TEXT.items():
            if not PublishedRules.objects.filter(agency=agency, kind=kind).exists():
                services.publish_rules(admin, agency, kind, text)
        _staff(admin, agency, staff_name, f"{agency.name[:6]}工作人员", AgencyRole.STAFF)
    # A pending change of details for the 广东 employer.
    employer = Agency.objects.filter(uscc="91440104MA59XQ1B2C").first()
    emp_admin = User.objects.filter(username="demo_employer").first()
    if employer and emp_admin and not ChangeRequest.objects.filter(agency=employer).exists():
        services.request_details_change(
            emp_admin,
            employer,
            {"contact_phone": "020-66668888", "address": "广州市天河区演示路18号"},
            "办公地址搬迁，联系电话随之变更。（演示）",
        )
    # Affiliated employers of the 广东 employer (Art 16): one confirmed, one awaiting 广东.
    if employer and emp_admin and employer.status == AgencyStatus.LISTED:
        _affiliates(gd, emp_admin, employer)
    # The 黑龙江 employer's filing term ends in about 60 days (renewal reminders, 续期).
    today = clock.today()
    DirectoryEntry.objects.filter(
        agency__uscc="91230103MA1CDE9F65", valid_until__gt=today + dt.timedelta(days=90)
    ).update(valid_until=today + dt.timedelta(days=60))
    # A suspended and a removed agency, both filed with 广东.
    gd_call = AgencyCall.objects.filter(jurisdiction="440000", title__contains="（演示）").first()
    if gd_call is None:
        return
    _u, suspended = _listed_extra(
        gd, gd_call, "demo_suspended", "韶关演示技能评价中心（演示）", "91440200MA53QW7P2W"
    )
    if suspended.status == AgencyStatus.LISTED:
        services.suspend_agency(
            gd,
            suspended,
            reason="日常检查发现考评人员配备不足，责令整改。（演示）",
            legal_basis="《职业技能等级认定工作规程（试行）》第二十七条",
            until=today + dt.timedelta(days=45),
            password=PASSWORD,
        )
    _u, removed = _listed_extra(
        gd, gd_call, "demo_removed", "江门演示职业技能鉴定所（演示）", "91440700MA4UHK3N82"
    )
    if removed.status != AgencyStatus.REMOVED:
        services.remove_agency(
            gd,
            removed,
            reason="不履行工作承诺，违规颁发证书，经调查核实。（演示）",
            legal_basis="《职业技能等级认定工作规程（试行）》第二十七条",
            follow_up_plan=(
                "已报名尚未认定的考生转由江门市职业技能鉴定指导中心组织认定，费用全额退还；"
                "已颁发的证书继续有效，可在平台查询。（演示）"
            ),
            password=PASSWORD,
        )
    if stdout is not None:
        stdout.write("agencies: rules, staff, a change request, a suspended and a removed agency")
