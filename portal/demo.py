"""Demo data of the portal app: accounts for every role and one demo agency.

Idempotent: running it again changes nothing that is already there (a demo
user's changed password is kept). Everything invented is marked 演示.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from portal.models import (
    Agency,
    AgencyKind,
    AgencyMembership,
    AgencySite,
    AgencyStatus,
    CalendarDay,
    Province,
    User,
)
from portal.roles import NATIONAL, AgencyRole, AuthorityRole

DEMO_PASSWORD = "Demo#2026pass"  # noqa: S105 - documented in the README, demo only

# username, real name, authority role, jurisdiction
AUTHORITY_USERS: list[tuple[str, str, str, str]] = [
    ("ministry", "部级演示官员", AuthorityRole.MINISTRY_OFFICIAL, NATIONAL),
    ("gd_official", "广东演示官员", AuthorityRole.PROVINCIAL_OFFICIAL, "440000"),
    ("hlj_official", "黑龙江演示官员", AuthorityRole.PROVINCIAL_OFFICIAL, "230000"),
    ("osta_national", "国家鉴定中心演示人员", AuthorityRole.OSTA_STAFF, NATIONAL),
    ("osta_gd", "广东鉴定中心演示人员", AuthorityRole.OSTA_STAFF, "440000"),
    *[(f"expert_n{i}", f"国家库演示专家{i}", AuthorityRole.EXPERT, NATIONAL) for i in range(1, 5)],
    *[(f"expert_gd{i}", f"广东库演示专家{i}", AuthorityRole.EXPERT, "440000") for i in range(1, 5)],
    *[
        (f"inspector_gd{i}", f"广东演示检查员{i}", AuthorityRole.INSPECTOR, "440000")
        for i in range(1, 3)
    ],
    *[
        (f"inspector_hlj{i}", f"黑龙江演示检查员{i}", AuthorityRole.INSPECTOR, "230000")
        for i in range(1, 3)
    ],
]

AGENCY_USERS: list[tuple[str, str, str]] = [
    ("agency_admin", "演示机构管理员", AgencyRole.ADMIN),
    ("agency_staff", "演示机构工作人员", AgencyRole.STAFF),
    ("agency_examiner", "演示考评员", AgencyRole.EXAMINER),
    ("agency_supervisor", "演示督导员", AgencyRole.QUALITY_SUPERVISOR),
]

# What the demo agency publishes in the directory: an office, its line and role mailbox.
DEMO_PUBLIC_CONTACT = {
    "public_contact_name": "考务办公室",
    "public_phone": "020-87654321",
    "public_email": "kaowu@demo.example.org",
}
DEMO_AGENCY_USCC = "91440101MA5D7E0M1A"  # synthetic, with a valid GB 32100 check character

# 2026 public holidays and make-up working days (demo data: officials verify them
# against the State Council General Office's notice before relying on them).
CALENDAR_2026: list[tuple[str, str, str]] = [
    ("2026-01-01", "holiday", "元旦"),
    ("2026-01-02", "holiday", "元旦"),
    ("2026-01-03", "holiday", "元旦"),
    ("2026-01-04", "workday", "元旦调休上班"),
    *[(f"2026-02-{d:02d}", "holiday", "春节") for d in range(15, 24)],
    ("2026-02-14", "workday", "春节调休上班"),
    ("2026-02-28", "workday", "春节调休上班"),
    ("2026-04-04", "holiday", "清明节"),
    ("2026-04-05", "holiday", "清明节"),
    ("2026-04-06", "holiday", "清明节"),
    *[(f"2026-05-{d:02d}", "holiday", "劳动节") for d in range(1, 6)],
    ("2026-05-09", "workday", "劳动节调休上班"),
    ("2026-06-19", "holiday", "端午节"),
    ("2026-06-20", "holiday", "端午节"),
    ("2026-06-21", "holiday", "端午节"),
    ("2026-09-20", "workday", "国庆节调休上班"),
    ("2026-09-25", "holiday", "中秋节"),
    ("2026-09-26", "holiday", "中秋节"),
    ("2026-09-27", "holiday", "中秋节"),
    *[(f"2026-10-{d:02d}", "holiday", "国庆节") for d in range(1, 8)],
    ("2026-10-10", "workday", "国庆节调休上班"),
]


def _user(username: str, real_name: str, *, jurisdiction: str = "") -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "real_name": real_name,
            "jurisdiction": jurisdiction,
            "email": f"{username}@demo.example.org",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def demo_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        uscc=DEMO_AGENCY_USCC,
        defaults={
            "name": "广州市演示职业技能评价中心（演示）",
            "kind": AgencyKind.SOCIAL_ORG,
            "registered_province": Province.objects.get(code="440000"),
            "filing_jurisdiction": "440000",
            "agency_code": "0000",
            "status": AgencyStatus.LISTED,
            "address": "广东省广州市天河区演示路1号",
            "legal_representative": "演示法人",
            "contact_name": "演示联系人",
            "contact_phone": "020-00000000",
            "contact_email": "contact@demo.example.org",
            **DEMO_PUBLIC_CONTACT,
            "is_demo": True,
        },
    )
    if not (agency.public_phone or agency.public_email):  # demo data seeded before
        Agency.objects.filter(pk=agency.pk).update(**DEMO_PUBLIC_CONTACT)
        agency.refresh_from_db()
    AgencySite.objects.get_or_create(
        agency=agency,
        province_id="440000",
        name="天河考核站（演示）",
        defaults={"address": "广东省广州市天河区演示路1号", "site_serial": "000001"},
    )
    return agency


def seed(stdout=None) -> None:
    for username, real_name, role, jurisdiction in AUTHORITY_USERS:
        user = _user(username, real_name, jurisdiction=jurisdiction)
        user.groups.add(Group.objects.get(name=role))
    agency = demo_agency()
    for username, real_name, role in AGENCY_USERS:
        user = _user(username, real_name)
        AgencyMembership.objects.get_or_create(user=user, agency=agency, role=role)
    for date, kind, name in CALENDAR_2026:
        CalendarDay.objects.get_or_create(
            date=dt.date.fromisoformat(date), defaults={"kind": kind, "name": name}
        )
    if stdout is not None:
        stdout.write(
            f"portal: {len(AUTHORITY_USERS) + len(AGENCY_USERS)} demo accounts, 1 demo agency"
        )
