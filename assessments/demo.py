"""Demo data of exam affairs, grouped by stage. All invented, marked 演示.

people: the listed 广东 demo agency (广州市演示职业技能评价中心) uses three examiners (one
高级考评员, one whose qualification ends within 30 days) and a quality supervisor, each with a
sign-in account of the agency; one examiner has a training record. The ID numbers are
synthetic (valid check characters, no real person) and stored encrypted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import Engagement, Examiner, Grade, QualitySupervisor
from catalog.models import Occupation, SkillLevel
from portal import clock, codes
from portal.demo import DEMO_AGENCY_USCC, DEMO_PASSWORD
from portal.models import Agency, AgencyMembership, Province, User
from portal.roles import AgencyRole

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def resident_id(first17: str) -> str:
    """A synthetic resident ID with its check character (GB 11643-1999)."""
    return first17 + codes._resident_id_check_char(first17)


# username, real name, kind, grade, first 17 digits of the ID, days of validity left
PEOPLE = [
    ("agency_examiner", "演示考评员", "examiner", Grade.EXAMINER, "44010619800101003", 900),
    (
        "agency_examiner_senior",
        "演示高级考评员",
        "examiner",
        Grade.SENIOR,
        "44010419750315002",
        1200,
    ),
    (
        "agency_examiner_ending",
        "演示考评员（将到期）",
        "examiner",
        Grade.EXAMINER,
        "44030519880720004",
        20,
    ),
    ("agency_supervisor", "演示督导员", "supervisor", "", "44010619820505006", 700),
]


def _account(agency: Agency, username: str, real_name: str, kind: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"real_name": real_name, "email": f"{username}@demo.example.org"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    role = AgencyRole.EXAMINER if kind == "examiner" else AgencyRole.QUALITY_SUPERVISOR
    AgencyMembership.objects.get_or_create(user=user, agency=agency, role=role)
    return user


def _people(stdout=None) -> None:
    agency = Agency.objects.filter(uscc=DEMO_AGENCY_USCC).first()
    admin = User.objects.filter(username="agency_admin").first()
    if agency is None or admin is None:
        return
    today = clock.today()
    electrician = Occupation.objects.get(code="6-31-01-03")
    levels = SkillLevel.objects.in_bulk(["5", "3", "1"])
    for username, real_name, kind, grade, first17, days in PEOPLE:
        user = _account(agency, username, real_name, kind)
        model = Examiner if kind == "examiner" else QualitySupervisor
        if model.objects.filter(user=user).exists():
            continue
        highest = levels["1"] if grade == Grade.SENIOR else levels["3"]
        engagement, _created = services.add_person(
            admin,
            agency,
            kind,
            services.PersonInput(
                real_name=real_name,
                id_type="resident_id",
                id_number=resident_id(first17),
                province=Province.objects.get(code="440000"),
                qualification_number=f"GD-KPY-2025-{first17[-4:]}",
                valid_from=today - dt.timedelta(days=365),
                valid_until=today + dt.timedelta(days=days),
                grade=grade,
                username=username,
                document=SimpleUploadedFile("资格证书.pdf", PDF, content_type="application/pdf"),
                occupations=[services.OccupationRange(electrician, levels["5"], highest)]
                if kind == "examiner"
                else [],
            ),
        )
        if username == "agency_examiner":
            services.add_training(
                admin,
                engagement,
                held_on=today - dt.timedelta(days=40),
                hours=Decimal("16"),
                organiser="广东省职业技能鉴定指导中心（演示）",
                topic="考评员职业道德与评分规范（演示）",
                certificate=SimpleUploadedFile("培训证明.pdf", PDF, content_type="application/pdf"),
            )
    if stdout is not None:
        count = Engagement.objects.filter(agency=agency).count()
        stdout.write(f"assessments: {count} examiners and supervisors of the 广东 demo agency")


def seed(stdout=None) -> None:
    _people(stdout)
