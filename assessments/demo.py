"""Demo data of exam affairs, grouped by stage. All invented, marked 演示.

people: the listed 广东 demo agency (广州市演示职业技能评价中心) uses three examiners (one
高级考评员, one whose qualification ends within 30 days) and a quality supervisor, each with a
sign-in account of the agency; one examiner has a training record. The ID numbers are
synthetic (valid check characters, no real person) and stored encrypted.

venues: on the same agency, a verified venue with a theory room and a skill room, and a leased
venue waiting for verification by ``gd_official``.

sessions: at the verified venue, four plans of 电工 at a level of the agency's scope: one filed
with registration open, a draft, a filed plan with an open question from ``gd_official``, and
a plan ``gd_official`` stopped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import (
    Engagement,
    Examiner,
    Grade,
    QualitySupervisor,
    RoomKind,
    Tenure,
    Venue,
)
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


def _venues(stdout=None) -> None:
    agency = Agency.objects.filter(uscc=DEMO_AGENCY_USCC).first()
    admin = User.objects.filter(username="agency_admin").first()
    official = User.objects.filter(username="gd_official").first()
    site = agency.sites.order_by("pk").first() if agency else None
    if site is None or admin is None or official is None:
        return
    if Venue.objects.filter(site__agency=agency).exists():
        if stdout is not None:
            stdout.write("assessments: demo venues already present")
        return
    electrician = list(Occupation.objects.filter(code="6-31-01-03"))
    verified = services.create_venue(
        admin,
        site,
        name="天河考点（演示）",
        address="广州市天河区演示路18号3楼",
        tenure=Tenure.OWNED,
        lease_starts=None,
        lease_ends=None,
        recordings_kept_days=90,
        recordings_stored_at="考点视频监控服务器（机房 301）",
        rooms=[
            services.RoomData("理论考场 301", RoomKind.THEORY, 40, 2),
            services.RoomData("技能考场 302", RoomKind.SKILL, 36, 3, electrician),
        ],
    )
    services.verify_venue(
        official, verified, remarks="现场核验：考场、设备与视频监控符合要求。（演示）"
    )
    today = clock.today()
    services.create_venue(
        admin,
        site,
        name="番禺考点（演示）",
        address="广州市番禺区演示大道66号",
        tenure=Tenure.LEASED,
        lease_starts=today - dt.timedelta(days=30),
        lease_ends=today + dt.timedelta(days=700),
        lease_upload=ContentFile(PDF, name="lease.pdf"),
        recordings_kept_days=60,
        recordings_stored_at="省级考务监控平台",
        rooms=[
            services.RoomData("理论考场 A", RoomKind.THEORY, 60, 4),
            services.RoomData("评审室", RoomKind.REVIEW, 10, 1),
        ],
    )


def _demo_candidate(i: int):
    from assessments.services.candidates import CandidateInput

    employers = [("广州市演示职业技能评价中心", DEMO_AGENCY_USCC), ("广州演示电气工程有限公司", "")]
    name, uscc = employers[0]
    return CandidateInput(
        real_name=f"演示考生{i:02d}",
        id_type="resident_id",
        id_number=resident_id(f"44010619{90 + i % 8}0{1 + i % 9}1{i % 10}{100 + i:03d}"[:17]),
        phone=f"139{i:08d}",
        employer_name=name,
        employer_uscc=uscc,
        education="senior_middle" if i % 3 == 0 else "",
        started_on=clock.today() - dt.timedelta(days=365 * (7 + i % 5)),
    )


def sample_roster() -> bytes:
    """An XLSX roster with five good rows and three bad ones (a bad check character, an ID
    number typed as a number, a candidate without the years), to try the import."""
    from assessments.services import imports

    def row(i, **over):
        values = {
            "real_name": f"名单考生{i}", "id_type": "居民身份证",
            "id_number": resident_id(f"44010419920301{i:03d}"), "phone": f"138{i:08d}",
            "employer_name": "广州市演示职业技能评价中心", "employer_uscc": DEMO_AGENCY_USCC,
            "dispatched": "否", "education": "高中/中专/技校",
            "started_on": (clock.today() - dt.timedelta(days=365 * 8)).isoformat(),
        }  # fmt: skip
        values.update(over)
        return [values.get(k, "") for k in imports.KEYS]

    good6 = resident_id("44010419920301006")
    bad_check = good6[:-1] + ("0" if good6[-1] != "0" else "1")
    rows = [row(i) for i in range(1, 6)]
    rows.append(row(6, id_number=bad_check))
    rows.append(row(7, id_number=int(resident_id("44010419920301007"))))  # check char 8
    rows.append(row(8, started_on=clock.today().isoformat(), education=""))
    return imports.template(rows)


def _candidates(stdout=None) -> None:
    """About 30 candidates on the open demo session, and the sample roster beside them."""
    from assessments.models import AssessmentSession
    from assessments.services import candidates as cs
    from portal import documents

    agency = Agency.objects.filter(uscc=DEMO_AGENCY_USCC).first()
    admin = User.objects.filter(username="agency_admin").first()
    if agency is None or admin is None:
        return
    today = clock.today()
    session = next(
        (
            s
            for s in AssessmentSession.objects.filter(agency=agency).select_related("site")
            if s.registration_open_on(today)
        ),
        None,
    )
    if session is None:
        if stdout is not None:
            stdout.write("assessments: no open demo session, no demo candidates")
        return
    if session.enrolments.exists():
        return
    added = 0
    # About 30: five places stay free for the sample roster's five good rows.
    for i in range(1, session.capacity - 4):
        if cs.enrolment_refusal(session):
            break
        inp = _demo_candidate(i)
        if cs.eligibility_of(session, inp.facts).eligible:
            cs.enrol(admin, session, inp)
            added += 1
    documents.store_document(
        admin,
        ContentFile(sample_roster(), name="示例名单（含错误行）.xlsx"),
        title="示例报名名单（含 3 行错误，演示）",
        kind="roster_sample",
        owner_agency=agency,
        owner_jurisdiction=session.site.province_id,
        subject=session,
        allowed=documents.SPREADSHEETS,
    )
    if stdout is not None:
        stdout.write(f"assessments: {added} demo candidates and a sample roster on {session}")


def _sessions(stdout=None) -> None:
    from assessments.models import AssessmentSession, VenueStatus
    from catalog.queries import basis_for

    agency = Agency.objects.filter(uscc=DEMO_AGENCY_USCC).first()
    admin = User.objects.filter(username="agency_admin").first()
    official = User.objects.filter(username="gd_official").first()
    venue = (
        Venue.objects.filter(site__agency=agency, status=VenueStatus.VERIFIED).first()
        if agency
        else None
    )
    if venue is None or admin is None or official is None:
        return
    if AssessmentSession.objects.filter(agency=agency).exists():
        if stdout is not None:
            stdout.write("assessments: demo sessions already present")
        return
    from agencies import queries as agency_queries

    electrician = Occupation.objects.get(code="6-31-01-03")
    today = clock.today()
    level = next(
        (
            lv
            for lv in SkillLevel.objects.order_by("rank")
            if agency_queries.scope_refusal(agency, electrician, None, lv, on=today) is None
            and basis_for(electrician, lv, agency=agency, on=today) is not None
        ),
        None,
    )
    if level is None:
        return
    basis = basis_for(electrician, level, agency=agency, on=today)
    rooms = {r.kind: r for r in venue.rooms.all()}

    def plan(first_day: int, opens: int, capacity: int = 30):
        sittings = []
        for index, method in enumerate(m.method for m in basis.methods):
            room = rooms.get(method) or rooms[RoomKind.THEORY]
            sittings.append(
                services.SittingData(
                    method,
                    today + dt.timedelta(days=first_day + index),
                    dt.time(9, 0),
                    dt.time(11, 30),
                    room,
                )
            )
        return services.plan_session(
            admin,
            agency,
            sittings=sittings,
            venue=venue,
            city="广州市",
            occupation=electrician,
            work_type=None,
            level=level,
            capacity=min(capacity, *(s.room.places for s in sittings)),
            registration_opens=today + dt.timedelta(days=opens),
            registration_closes=today + dt.timedelta(days=first_day - 5),
            fee=Decimal("260.00"),
            how_to_register=(
                "携带身份证原件和一寸照片到天河考点一楼报名处报名，"
                "或电话 020-12345678 咨询。（演示）"
            ),
        )

    services.file_session(admin, plan(30, 0))  # registration open
    plan(40, 10)  # a draft
    asked = services.file_session(admin, plan(50, 5))
    services.ask_question(official, asked, text="请补充技能考场的设备清单和考评员安排。（演示）")
    stopped = services.file_session(admin, plan(60, 7))
    services.stop_session(
        official, stopped, reason="考点同期承接其他考试，场地冲突，请调整后重新编制。（演示）"
    )
    if stdout is not None:
        stdout.write("assessments: 4 demo sessions (open, draft, asked, stopped)")


def seed(stdout=None) -> None:
    _people(stdout)
    _venues(stdout)
    _sessions(stdout)
    _candidates(stdout)  # after the sessions: candidates go on the open demo session
    from assessments import demo_conduct

    demo_conduct.seed(stdout)  # sessions at each stage after planning
