"""Shared builders for the agencies tests: a published call, an applicant, a full application."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies import services
from agencies.models import AgencyApplication, Condition
from agencies.services.applications import ScopeRequest
from catalog import services as catalog_services
from catalog.models import Method, NationalStandard, Occupation, SkillLevel
from portal import clock
from portal.models import Province

PDF = b"%PDF-1.4\n%%EOF\n"


def electrician_standard(actor) -> NationalStandard:
    occupation = Occupation.objects.get(code="6-31-01-03")
    existing = NationalStandard.objects.filter(occupation=occupation).first()
    if existing:
        return existing
    levels = [
        catalog_services.LevelInput(c, [catalog_services.MethodInput(Method.THEORY)])
        for c in ("5", "4", "3", "2", "1")
    ]
    return catalog_services.create_standard(
        actor,
        occupation,
        title="电工国家职业技能标准",
        edition_year=2018,
        effective_from=dt.date(2018, 12, 1),
        levels=levels,
    )


def published_call(official, *, jurisdiction: str = "440000", **extra):
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
