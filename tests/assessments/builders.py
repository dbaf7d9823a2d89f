"""Builders of the exam-affairs tests. People: synthetic resident IDs and a person's input.
Venues: a declared venue of world.gd_site with a theory and a skill room, owned or leased; a
verified one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import DirectoryEntry
from assessments import services
from assessments.models import RoomKind, Tenure, Venue
from catalog.models import Occupation, SkillLevel
from portal import clock, codes


def resident_id(first17: str = "44010619800101003") -> str:
    """A synthetic resident ID with a valid check character."""
    return first17 + codes._resident_id_check_char(first17)


def person_input(**overrides):
    """What an agency states about an examiner: 考评员 for 电工 levels 5 to 3."""
    from assessments.services import OccupationRange, PersonInput
    from catalog.models import Occupation, SkillLevel
    from portal.models import Province

    levels = SkillLevel.objects.in_bulk(["5", "3", "1"])
    data = {
        "real_name": "张考评",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "province": Province.objects.get(code="440000"),
        "qualification_number": "GD-KPY-0001",
        "valid_from": clock.today() - dt.timedelta(days=30),
        "valid_until": clock.today() + dt.timedelta(days=700),
        "grade": "examiner",
        "occupations": [
            OccupationRange(Occupation.objects.get(code="6-31-01-03"), levels["5"], levels["3"])
        ],
    }
    data.update(overrides)
    return PersonInput(**data)


PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name: str = "lease.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def rooms(*, skill_places: int = 12) -> list[services.RoomData]:
    electrician = list(Occupation.objects.filter(code="6-31-01-03"))
    return [
        services.RoomData("理论考场 1", RoomKind.THEORY, 40, 2),
        services.RoomData("技能考场 1", RoomKind.SKILL, skill_places, 3, electrician),
    ]


def venue_fields(**extra) -> dict:
    fields = {
        "name": "测试考点",
        "address": "深圳市南山区测试路1号",
        "tenure": Tenure.OWNED,
        "lease_starts": None,
        "lease_ends": None,
        "recordings_kept_days": 90,
        "recordings_stored_at": "考点监控服务器",
    }
    fields.update(extra)
    return fields


def lease(days: int = 400) -> dict:
    """A lease that started a month ago and runs ``days`` from its start."""
    starts = clock.today() - dt.timedelta(days=30)
    return {
        "tenure": Tenure.LEASED,
        "lease_starts": starts,
        "lease_ends": starts + dt.timedelta(days=days),
        "lease_upload": pdf(),
    }


def declared_venue(world, *, site=None, actor=None, **extra):
    """A venue of ``site`` (world.gd_site), declared by the agency's admin, waiting."""
    site = site or world.gd_site
    actor = actor or world.members["admin"]
    return services.create_venue(actor, site, rooms=rooms(), **venue_fields(**extra))


def verified_venue(world, **extra):
    venue = declared_venue(world, **extra)
    return services.verify_venue(world.gd_official, venue, remarks="符合要求")


# --- Sessions (Art 17, 18) ---------------------------------------------------------------------


def ready_agency(world, *, levels=("4", "3")):
    """World's 广东 agency listed for 电工 at ``levels`` with a verified venue (theory room of 40,
    skill room of 12 equipped for 电工): what planning a session needs. The venue."""
    from tests.agencies.builders import list_agency

    if not DirectoryEntry.objects.filter(agency=world.gd_agency).exists():
        list_agency(world, world.gd_agency, world.members["admin"], levels=levels)
    return Venue.objects.filter(site__agency=world.gd_agency, status="verified").first() or (
        verified_venue(world)
    )


def sitting(venue, method: str = "theory", *, days: int = 30, room_kind=None, **extra):
    room = venue.rooms.get(kind=room_kind or method)
    data = {
        "method": method,
        "date": clock.today() + dt.timedelta(days=days),
        "starts_at": dt.time(9, 0),
        "ends_at": dt.time(11, 0),
        "room": room,
    }
    data.update(extra)
    return services.SittingData(**data)


def session_fields(venue, **extra) -> dict:
    today = clock.today()
    fields = {
        "venue": venue,
        "city": "深圳市",
        "occupation": Occupation.objects.get(code="6-31-01-03"),
        "work_type": None,
        "level": SkillLevel.objects.get(pk="4"),
        "capacity": 30,
        "registration_opens": today + dt.timedelta(days=3),
        "registration_closes": today + dt.timedelta(days=20),
        "fee": Decimal("260.00"),
        "how_to_register": "携带身份证到深圳站报名，电话 0755-12345678。",
    }
    fields.update(extra)
    return fields


def planned_session(world, *, venue=None, sittings=None, actor=None, **extra):
    venue = venue or ready_agency(world)
    return services.plan_session(
        actor or world.members["admin"],
        world.gd_agency,
        sittings=sittings if sittings is not None else [sitting(venue)],
        **session_fields(venue, **extra),
    )


# --- Candidates (Art 16, 18) --------------------------------------------------------------------

CANDIDATE_RULES = [
    {
        "route": "prior_level",
        "prior_level": "5",
        "years": 3,
        "label": "取得五级证书后从事本职业3年",
    },  # noqa: E501
    {"route": "total_years", "years": 6, "label": "累计从事本职业6年"},
    {"route": "education", "education": "senior_middle", "years": 2, "label": "中专毕业从事2年"},
]


def open_session(world, *, capacity=30, **extra):
    """An open 电工 四级 session of world.gd_agency with the rules above (made directly, so
    the candidates' tests do not depend on planning)."""
    from assessments.models import AssessmentSession
    from catalog.models import SkillLevel

    today = clock.today()
    fields = {
        "agency": world.gd_agency,
        "site": world.gd_site,
        "venue": declared_venue(world),
        "city": "深圳",
        "occupation": Occupation.objects.get(code="6-31-01-03"),
        "level": SkillLevel.objects.get(code="4"),
        "capacity": capacity,
        "registration_opens": today - dt.timedelta(days=3),
        "registration_closes": today + dt.timedelta(days=10),
        "fee": "200.00",
        "how_to_register": "联系机构报名",
        "basis": {"methods": [], "eligibility": CANDIDATE_RULES},
        "basis_planned_on": today - dt.timedelta(days=10),
        "first_sitting_on": today + dt.timedelta(days=20),
        "status": "open",
        "filed_at": clock.now(),
        "created_by": world.members["admin"],
    }
    fields.update(extra)
    return AssessmentSession.objects.create(**fields)


def candidate_id(n: int) -> str:
    return resident_id(f"44030519900101{n:03d}")


def candidate_input(n: int = 1, **overrides):
    from assessments.services.candidates import CandidateInput

    data = {
        "real_name": f"李考生{n}",
        "id_type": "resident_id",
        "id_number": candidate_id(n),
        "phone": "13800138000",
        "employer_name": "广东测试机构",
        "employer_uscc": "91440300MA5F8G9H2K",
        "started_on": clock.today() - dt.timedelta(days=7 * 366),
    }
    data.update(overrides)
    return CandidateInput(**data)


# --- The sitting (Art 18, 19) -------------------------------------------------------------------


def sitting_session(world, *, candidates: int = 6, theory_places: int | None = None,
                    rounds: int = 1, days: int = 0):  # fmt: skip
    """An open 电工 session of world.gd_agency with one theory sitting ``days`` from today (0:
    today, so check-in is open) in the venue's theory room, and ``candidates`` enrolled
    (made directly). The session."""
    from assessments.models import Candidate, Enrolment, Sitting

    session = open_session(world, capacity=max(candidates, 1) + 5)
    room = session.venue.rooms.get(kind="theory")
    if theory_places is not None:
        room.places = theory_places
        room.save(update_fields=["places"])
    day = clock.today() + dt.timedelta(days=days)
    Sitting.objects.create(
        session=session, method="theory", date=day, starts_at=dt.time(9, 0),
        ends_at=dt.time(11, 0), room=room, rounds=rounds,
    )  # fmt: skip
    session.first_sitting_on = session.last_sitting_on = day
    session.save(update_fields=["first_sitting_on", "last_sitting_on"])
    for n in range(1, candidates + 1):
        number = resident_id(f"4403{session.pk % 100:02d}19900101{n:03d}")
        candidate = Candidate.objects.create(
            real_name=f"王考生{n}", id_type="resident_id", id_number=number
        )
        Enrolment.objects.create(
            session=session, candidate=candidate, real_name=candidate.real_name,
            phone="13800138000", eligible_by="累计从事本职业6年",
            enrolled_by=world.members["admin"], enrolled_at=clock.now(),
        )  # fmt: skip
    return session


def assign(world, sitting, user, *, kind: str = "invigilator", declared: bool = True, n: int = 1):
    """An active Assignment of ``user`` (made directly, as assignment's stage would) with the
    session grant; ``kind`` supervisor puts the user on the whole session."""
    from assessments.models import Assignment
    from assessments.services import add_person
    from portal import access

    record_kind = "supervisor" if kind == "supervisor" else "examiner"
    engagement, _created = add_person(
        world.members["admin"],
        world.gd_agency,
        record_kind,
        person_input(
            username=user.username,
            id_number=resident_id(f"440106197501{n:02d}012"),
            real_name=f"张监考{n}",
        ),
    )
    person = engagement.supervisor if kind == "supervisor" else engagement.examiner
    assignment = Assignment.objects.create(
        session=sitting.session,
        sitting=None if kind == "supervisor" else sitting,
        kind=kind,
        examiner=None if kind == "supervisor" else person,
        supervisor=person if kind == "supervisor" else None,
        user=user,
        declared_at=clock.now() if declared else None,
        assigned_by=world.members["admin"],
        assigned_at=clock.now(),
    )
    access.grant(user, "view_assessmentsession", sitting.session)
    return assignment
