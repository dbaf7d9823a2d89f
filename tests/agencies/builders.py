"""Builders of the agencies tests: calls, applicants, applications at each step, listed agencies.

Test modules import builders from here (never from another test module). Three ways to fill
an application stay side by side because tests read their values back: ``fill`` (a small
social organisation, what the applicant pages post), ``complete_application`` (figures above
a demanding call's thresholds) and ``submitted_application`` (world.gd_agency, submitted).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies import services
from agencies.models import (
    AgencyApplication,
    ApplicationStatus,
    Condition,
    DirectoryEntry,
    ScopeItem,
)
from agencies.services.applications import ScopeRequest
from catalog.models import Occupation, SkillLevel
from portal import clock, documents
from portal.models import Province
from portal.roles import AuthorityRole
from tests.catalog.builders import electrician_standard
from tests.portal.builders import PASSWORD, make_user

PDF = b"%PDF-1.4\n%%EOF\n"


def published_call(official, *, jurisdiction: str = "440000", **extra):
    """A call of ``official``'s authority (any occupation), published and open for 30 days."""
    today = clock.today()
    fields = {
        "title": "广东省职业技能等级认定评价机构征集公告",
        "body": "征集正文",
        "opens_on": today,
        "deadline": today + dt.timedelta(days=30),
    }
    fields.update(extra)
    call = services.create_call(official, jurisdiction=jurisdiction, **fields)
    return services.publish_call(official, call)


def applicant(
    username: str = "org_admin",
    *,
    uscc: str = "91440104MA59XQ1B2C",
    kind: str = "S",
    province: str = "440000",
    name: str = "广州申请评价中心",
):
    """A social organisation of 广东 registers: (its administrator, the agency)."""
    user, agency = services.register_organisation(
        username=username,
        password="Org#pass2026",
        real_name="申请人",
        email=f"{username}@x.cn",
        phone="13800000000",
        org_name=name,
        uscc=uscc,
        kind=kind,
        province=Province.objects.get(code=province),
    )
    return user, agency


def complete_application(user, agency, call, *, levels=("4", "3"), declared: int = 20000):
    """A started and fully filled draft whose figures pass a demanding call's thresholds."""
    application = services.start_application(user, agency, call)
    services.update_application(
        user,
        application,
        address="广州市天河区",
        legal_representative="法人",
        contact_name="联系人",
        contact_phone="020-1234567",
        declared_years=8,
        declared_total_assessed=60000,
    )
    for condition in Condition.values:
        services.set_condition(user, application, condition, f"第{condition}项条件的说明")
        services.add_evidence(
            user,
            application,
            condition,
            SimpleUploadedFile(f"evidence{condition}.pdf", PDF),
            title=f"证明材料{condition}",
        )
    occupation = Occupation.objects.get(code="6-31-01-03")
    services.set_scope(
        user,
        application,
        [ScopeRequest(occupation, list(SkillLevel.objects.filter(pk__in=levels)), None, declared)],
    )
    province = Province.objects.get(
        code=call.jurisdiction if call.jurisdiction != "000000" else "440000"
    )
    services.set_sites(user, application, [("天河考核站", province, "广州市天河区1号")])
    return AgencyApplication.objects.get(pk=application.pk)


def uscc(body: str) -> str:
    """A USCC with the right check character for its first 17 characters."""
    from portal import codes

    return body + codes.uscc_check_char(body)


def pdf(name: str = "证明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def gd_call(world, **extra):
    """A call of 广东 for 电工, published and open since five days, for another 30 days."""
    today = clock.today()
    fields = {
        "title": "广东省2026年评价机构征集公告",
        "body": "面向本省征集评价机构。",
        "opens_on": today - dt.timedelta(days=5),
        "deadline": today + dt.timedelta(days=30),
        "occupations": [Occupation.objects.get(code="6-31-01-03")],
        **extra,
    }
    call = services.create_call(world.gd_official, jurisdiction="440000", **fields)
    return services.publish_call(world.gd_official, call)


def register(name: str, code: str, *, kind: str = "S", username: str | None = None):
    """An organisation of 广东 registers (its administrator and the agency, not yet listed)."""
    return services.register_organisation(
        username=username or f"u{code[-6:]}",
        password=PASSWORD,
        real_name="申请人",
        email="a@example.org",
        phone="13800000000",
        org_name=name,
        uscc=code,
        kind=kind,
        province=Province.objects.get(code="440000"),
    )


def fill(user, application, *, levels=("4", "3"), declared=500):
    """Every section of a small social organisation's draft, ready to submit."""
    services.update_application(
        user,
        application,
        address="广州市天河路1号",
        legal_representative="法人",
        contact_name="联系人",
        contact_phone="020-12345678",
        declared_years=6,
        declared_total_assessed=5000,
    )
    for n in Condition.values:
        services.set_condition(user, application, n, f"第{n}项条件已具备。")
        services.add_evidence(user, application, n, pdf(), title=f"条件{n}证明")
    services.set_scope(
        user,
        application,
        [
            ScopeRequest(
                Occupation.objects.get(code="6-31-01-03"),
                list(SkillLevel.objects.filter(code__in=levels)),
                None,
                declared,
            )
        ],
    )
    services.set_sites(
        user, application, [("广州考点", Province.objects.get(code="440000"), "广州市黄埔路2号")]
    )
    return AgencyApplication.objects.get(pk=application.pk)


def listed_agency(world, name: str, body: str, *, kind: str = "Y", call=None):
    """Register, apply, pass vetting and sign: a listed agency with a directory entry."""
    call = call or gd_call(world, title=f"{name}征集")
    user, agency = register(name, uscc(body), kind=kind)
    application = fill(user, services.start_application(user, agency, call))
    services.submit_application(user, application, pledge=True)
    services.accept_materials(
        world.gd_official, application, use_expert_review=False, use_site_visit=False
    )
    services.decide(world.gd_official, application, approve=True, reasons="符合条件。")
    if kind == "S":  # the public notice stood
        AgencyApplication.objects.filter(pk=application.pk).update(
            status=ApplicationStatus.APPROVED
        )
    services.sign_commitment(user, application)
    agency.refresh_from_db()
    return user, agency, application


def submitted_application(
    world, *, call=None, agency=None, admin=None, levels=("5", "4", "3")
) -> AgencyApplication:
    """world.gd_agency (or ``agency``) applies to a 广东 call for 电工 levels 5–3 and submits."""
    electrician_standard(world.osta_national)
    call = call or gd_call(world)
    agency = agency or world.gd_agency
    admin = admin or world.members["admin"]
    application = services.start_application(admin, agency, call)
    services.update_application(
        admin,
        application,
        address="广州市天河区测试路1号",
        legal_representative="张三",
        contact_name="李四",
        contact_phone="020-12345678",
        declared_years=5,
        declared_total_assessed=3000,
    )
    for condition in range(1, 6):
        services.set_condition(admin, application, condition, f"第{condition}项条件的说明")
        services.add_evidence(
            admin,
            application,
            condition,
            SimpleUploadedFile(f"evidence-{condition}.pdf", PDF, content_type="application/pdf"),
            title=f"条件{condition}证明材料",
        )
    services.set_scope(
        admin,
        application,
        [
            ScopeRequest(
                Occupation.objects.get(code="6-31-01-03"),
                list(SkillLevel.objects.filter(code__in=levels)),
                declared_assessed=800,
            )
        ],
    )
    services.set_sites(
        admin, application, [("广州站", Province.objects.get(code="440000"), "广州市天河区")]
    )
    return services.submit_application(admin, application, pledge=True)


def more_experts(n: int, start: int = 3):
    """``n`` more experts of 广东 (world has expert and expert2), for the three reviews."""
    return [
        make_user(
            f"expert{i}", role=AuthorityRole.EXPERT, jurisdiction="440000", real_name=f"专家{i}"
        )
        for i in range(start, start + n)
    ]


def under_review(world, application, experts) -> AgencyApplication:
    """Materials accepted for expert review; ``experts`` assigned."""
    services.accept_materials(
        world.gd_official, application, use_expert_review=True, use_site_visit=False
    )
    services.assign_experts(world.gd_official, application, experts)
    return AgencyApplication.objects.get(pk=application.pk)


def list_agency(world, agency, admin, *, levels=("4", "3"), valid_until=None) -> DirectoryEntry:
    """A directory entry with the electrician scope, built directly (vetting is not the subject)."""
    standard = electrician_standard(world.osta_national)
    application = services.start_application(
        admin, agency, gd_call(world, title=f"征集公告 {agency.pk}")
    )
    AgencyApplication.objects.filter(pk=application.pk).update(status="listed")
    doc = documents.store_document(
        admin,
        SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"),
        title="承诺书",
        kind="evidence",
        owner_agency=agency,
    )
    today = clock.today()
    entry = DirectoryEntry.objects.create(
        agency=agency,
        application=application,
        filing_jurisdiction=agency.filing_jurisdiction,
        valid_from=today - dt.timedelta(days=365),
        valid_until=valid_until or today + dt.timedelta(days=3 * 365),
        commitment=doc,
        commitment_signed_by=admin,
        commitment_signed_at=clock.now(),
        listed_at=clock.now(),
    )
    item = ScopeItem.objects.create(
        entry=entry, occupation=Occupation.objects.get(code="6-31-01-03"), standard=standard
    )
    item.levels.set(SkillLevel.objects.filter(pk__in=levels))
    return entry


def call_data(**overrides) -> dict:
    """A complete POST of the call form of an official (Art 11)."""
    today = clock.today()
    data = {
        "title": "广东省评价机构征集公告",
        "body": "公告正文",
        "accepts_employers": "on",
        "accepts_social_orgs": "on",
        "occupation_codes": "6-31-01-03, 4-13-01-05",
        "min_years": "3",
        "min_total_assessed": "1000",
        "min_per_occupation": "200",
        "opens_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=20)).isoformat(),
        "notice_period_days": "5",
        "filing_term_years": "3",
        "commitment_text": "承诺书正文",
    }
    data.update(overrides)
    return data


def edit_data(application, **overrides) -> dict:
    """A complete POST of the edit page, as the browser would send it."""
    data = {
        "legal_name": application.legal_name,
        "uscc": application.uscc,
        "kind": application.kind,
        "registered_province": "440000",
        "address": "广州市天河路1号",
        "legal_representative": "法人",
        "contact_name": "联系人",
        "contact_phone": "020-1234567",
        "contact_email": "",
        "declared_years": "6",
        "declared_total_assessed": "5000",
        "scope-TOTAL_FORMS": "1",
        "scope-INITIAL_FORMS": str(application.scope.count()),
        "scope-MIN_NUM_FORMS": "0",
        "scope-MAX_NUM_FORMS": "50",
        "scope-0-occupation": "6-31-01-03",
        "scope-0-work_type": "",
        "scope-0-levels": ["4", "3"],
        "scope-0-declared_assessed": "300",
        "sites-TOTAL_FORMS": "1",
        "sites-INITIAL_FORMS": str(application.sites.count()),
        "sites-MIN_NUM_FORMS": "0",
        "sites-MAX_NUM_FORMS": "40",
        "sites-0-name": "广州考点",
        "sites-0-province": "440000",
        "sites-0-address": "广州市黄埔路2号",
    }
    for n in Condition.values:
        data[f"condition_{n}-statement"] = f"第{n}项条件已具备。"
    data.update(overrides)
    return data


def _apply(call, name: str, body: str, *, kind: str = "S"):
    user, agency = register(name, uscc(body), kind=kind)
    application = fill(user, services.start_application(user, agency, call))
    return user, services.submit_application(user, application, pledge=True)


def vetting_pipeline(world, start: dt.date) -> dict:
    """Applications of one 广东 call, each stopped at another step of the vetting: submitted
    on ``start`` (a Monday); accepted and decided the next day, accepted for a site visit the
    day after, an objection to the notice the day after that. Keys: check (world.gd_agency),
    assign, visit, decide, opinions (world.expert among the three experts), notice, returned,
    employer (approved, to sign); ``<key>_user`` their administrators; ``notice_ends``."""
    from portal import notices
    from portal.models import PublicNotice

    day = dt.timedelta(days=1)
    apps: dict = {}

    def accept(application, *, experts=False, visit=False):
        services.accept_materials(
            world.gd_official, application, use_expert_review=experts, use_site_visit=visit
        )

    with clock.frozen(start):
        electrician_standard(world.osta_national)
        call = gd_call(world, notice_period_days=5)
        apps["check"] = submitted_application(world, call=call)
        for key, name, body in [
            ("assign", "珠江技能评价中心", "91440101MA5QUE0A0"),
            ("visit", "白云职业评价中心", "91440101MA5QUE0B0"),
            ("decide", "天河技能评价中心", "91440101MA5QUE0C0"),
            ("opinions", "越秀技能评价中心", "91440101MA5QUE0D0"),
            ("notice", "番禺技能评价中心", "91440101MA5QUE0E0"),
            ("returned", "花都技能评价中心", "91440101MA5QUE0F0"),
        ]:
            apps[f"{key}_user"], apps[key] = _apply(call, name, body)
        apps["employer_user"], apps["employer"] = _apply(
            call, "广州某制造有限公司", "91440101MA5QUE0G0", kind="Y"
        )
    with clock.frozen(start + day):
        accept(apps["assign"], experts=True)
        accept(apps["decide"])
        under_review(world, apps["opinions"], [world.expert, *more_experts(2)])
        for key in ("notice", "employer"):
            accept(apps[key])
            services.decide(world.gd_official, apps[key], approve=True, reasons="符合条件。")
        services.return_materials(
            world.gd_official, apps["returned"], comments={}, general_comment="请补充证明。"
        )
    with clock.frozen(start + 2 * day):
        accept(apps["visit"], visit=True)
    with clock.frozen(start + 3 * day):
        notice = PublicNotice.objects.get(subject=notices.subject_key(apps["notice"]))
        notices.file_objection(notice, name="张三", contact="13800138000", content="有异议。")
    apps["notice_ends"] = notice.ends_on
    return apps
