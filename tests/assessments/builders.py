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


# --- Statistics and archive (Art 21) ------------------------------------------------------------

ARCHIVE_METHODS = [
    {"method": "theory", "label": "理论知识考试", "full_marks": 100, "pass_mark": 60},
    {"method": "skill", "label": "操作技能考核", "full_marks": 100, "pass_mark": 60},
]
# name: (present at theory, present at skill, theory score, skill score, skill locked, outcome)
CONCLUDED = {
    "甲": (True, True, 80, 70, True, "passed"),
    "乙": (True, True, 59, 90, False, "failed"),
    "丙": (True, True, 60, 60, True, "passed"),
    "丁": (False, False, None, None, True, "absent"),
    "戊": (True, False, 75, None, True, "absent"),
    "己": (True, True, 85, 88, True, "disqualified"),
}


def concluded_session(world, *, n0: int = 0, site=None, actor=None, people=None, days_ago=20):
    """A 电工 四级 session whose sittings are over and whose results are final (made directly):
    six enrolled (``CONCLUDED``) and one withdrawn; a warning on 甲 at theory and 己
    disqualified at skill. Returns the session."""
    from decimal import Decimal

    from assessments.models import (
        Attendance,
        Candidate,
        Enrolment,
        Incident,
        MethodScore,
        Result,
        Sitting,
    )

    site = site or world.gd_site
    actor = actor or (world.members["admin"] if site == world.gd_site else world.hlj_admin)
    people = CONCLUDED if people is None else people
    now = clock.now()
    last = clock.today() - dt.timedelta(days=days_ago)
    venue = declared_venue(world, site=site, actor=actor, name=f"测试考点{n0}")
    session = open_session(
        world,
        agency=site.agency,
        site=site,
        venue=venue,
        basis={"methods": ARCHIVE_METHODS, "eligibility": CANDIDATE_RULES, "title": "电工"},
        status="closed",
        registration_opens=last - dt.timedelta(days=40),
        registration_closes=last - dt.timedelta(days=10),
        first_sitting_on=last - dt.timedelta(days=1),
        last_sitting_on=last,
        results_published_at=now,
        results_final_at=now,
        created_by=actor,
    )
    sittings = {}
    for offset, method in ((1, "theory"), (0, "skill")):
        sittings[method] = Sitting.objects.create(
            session=session,
            method=method,
            date=last - dt.timedelta(days=offset),
            starts_at=dt.time(9),
            ends_at=dt.time(11),
            room=venue.rooms.get(kind=method),
        )

    def person(n: int, name: str):
        return Candidate.objects.create(
            real_name=name, id_type="resident_id", id_number=candidate_id(n)
        )

    def enrol(n: int, name: str, **extra):
        return Enrolment.objects.create(
            session=session, candidate=person(n, name), real_name=f"考生{name}",
            phone="13800138000", eligible_by="累计从事本职业6年", enrolled_by=actor,
            enrolled_at=now, **extra,
        )  # fmt: skip

    found = {}
    for i, (name, (at_theory, at_skill, theory, skill, locked, outcome)) in enumerate(
        people.items(), start=n0 + 1
    ):
        e = found[name] = enrol(i, name)
        for method, present in (("theory", at_theory), ("skill", at_skill)):
            Attendance.objects.create(
                sitting=sittings[method], enrolment=e, marked_by=actor, marked_at=now,
                status="present" if present else "absent",
            )  # fmt: skip
        for method, value, lock in (("theory", theory, True), ("skill", skill, locked)):
            if value is not None:
                MethodScore.objects.create(
                    enrolment=e, method=method, value=Decimal(value), source="marks",
                    submitted_at=now if lock else None, submitted_by=actor if lock else None,
                )  # fmt: skip
        Result.objects.create(
            enrolment=e, session=session, outcome=outcome, status="final", computed_at=now,
            final_at=now, scores={"theory": theory, "skill": skill},
        )  # fmt: skip
    enrol(n0 + 50, "庚", status="withdrawn", withdrawal_reason="本人申请退出")
    if "甲" in found:
        Incident.objects.create(
            sitting=sittings["theory"], enrolment=found["甲"], kind="device",
            description="携带手机", reported_by=actor, reported_at=now, decision="warning",
            decision_reason="初次违规，予以警告", decided_by=actor, decided_at=now,
        )  # fmt: skip
    if "己" in found:
        Incident.objects.create(
            sitting=sittings["skill"], enrolment=found["己"], kind="impersonation",
            description="替考", reported_by=actor, reported_at=now, decision="disqualified",
            decision_reason="经核实替考", decided_by=actor, decided_at=now,
        )  # fmt: skip
    return session


def certify(session) -> None:
    """Record certificate numbers for the session's final passing results."""
    from assessments import services as assessment_services
    from assessments.models import Result

    passed = Result.objects.filter(session=session, outcome="passed").order_by("pk")
    numbers = {r.pk: f"S0000{session.pk:04d}{n:05d}" for n, r in enumerate(passed, start=1)}
    assessment_services.record_certificates_issued(session, numbers)


# --- Results (Art 20) ----------------------------------------------------------------------------

RESULT_METHODS = [
    {"method": "theory", "label": "理论知识考试", "full_marks": 100, "pass_mark": 60},
    {"method": "skill", "label": "技能操作考核", "full_marks": 100, "pass_mark": 60},
]


def sat_session(world, *, candidates: int = 3, results: bool = True, days_ago: int = 2, **extra):
    """An 电工 四级 session of world.gd_agency that sat ``days_ago`` days ago, with
    ``candidates`` enrolled (ticket ``T<session>-<n>``) and, with ``results``, a provisional
    result each: the first fails the theory (59), the others pass. Made directly, as the
    scores stage would leave it (``compute_results``)."""
    from assessments.models import Result, Ticket
    from assessments.services.candidates import enrol

    session = open_session(world, capacity=max(candidates, 1), **extra)
    enrolments = [
        enrol(world.members["admin"], session, candidate_input(n)) for n in range(candidates)
    ]
    sat_on = clock.today() - dt.timedelta(days=days_ago)
    session.status = "closed"
    session.first_sitting_on = session.last_sitting_on = sat_on
    session.registration_opens = sat_on - dt.timedelta(days=20)
    session.registration_closes = sat_on - dt.timedelta(days=5)
    session.basis = {**session.basis, "methods": RESULT_METHODS}
    session.save()
    for n, enrolment in enumerate(enrolments):
        Ticket.objects.create(enrolment=enrolment, code=f"T{session.pk}-{n}", issued_at=clock.now())
        if results:
            theory = 59 if n == 0 else 80 + n
            Result.objects.create(
                enrolment=enrolment,
                session=session,
                outcome="failed" if n == 0 else "passed",
                scores={"theory": theory, "skill": 75},
                computed_at=clock.now(),
            )
    return session


# --- Scores (Art 18, 20; decision 0038) ---------------------------------------------------------

SCORE_METHODS = [
    {"method": "theory", "label": "理论知识考试", "full_marks": 100, "pass_mark": 60,
     "duration_minutes": 90},
    {"method": "skill", "label": "操作技能考核", "full_marks": 100, "pass_mark": 60,
     "duration_minutes": 120},
]  # fmt: skip


def qualified(model, username: str, n: int, world=None):
    """An examiner or quality supervisor record of 广东 with an account ``username``."""
    from portal.models import Province
    from tests.portal.builders import make_user

    user = make_user(username, real_name=f"考评员{n}")
    return model.objects.create(
        user=user,
        real_name=f"考评员{n}",
        id_number=resident_id(f"44010619700101{n:03d}"),
        province=Province.objects.get(code="440000"),
        qualification_number=f"GD-KPY-{n:04d}",
        valid_from=clock.today() - dt.timedelta(days=30),
        valid_until=clock.today() + dt.timedelta(days=700),
        **({"grade": "examiner"} if model.__name__ == "Examiner" else {}),
    )


def assign(world, session, *, sitting=None, kind="examiner", person=None, leader=False,
           declared=True):  # fmt: skip
    """An Assignment made directly (the assignment stage is another piece), declared, with
    the guardian grant that lets the person read the session."""
    from assessments.models import Assignment
    from portal import access

    assignment = Assignment.objects.create(
        session=session,
        sitting=sitting,
        kind=kind,
        examiner=person if kind != "supervisor" else None,
        supervisor=person if kind == "supervisor" else None,
        user=person.user,
        is_leader=leader,
        declared_at=clock.now() if declared else None,
        assigned_by=world.members["admin"],
        assigned_at=clock.now(),
    )
    access.grant(person.user, "view_assessmentsession", session)
    return assignment


def scoring_session(world, *, candidates: int = 4, examiners: int = 2, tag: str = "s"):
    """A closed 电工 四级 session of world.gd_agency sat yesterday: theory and skill (each out
    of 100, pass 60), ``candidates`` enrolled with tickets, ``examiners`` declared skill
    examiners (the first the group leader) and a declared quality supervisor. A namespace."""
    from types import SimpleNamespace

    from assessments.models import Examiner, QualitySupervisor, Sitting, Ticket
    from assessments.services import candidates as cs

    session = open_session(world, capacity=max(30, candidates))
    venue = session.venue
    people = [cs.enrol(world.members["admin"], session, candidate_input(i + 1))
              for i in range(candidates)]  # fmt: skip
    yesterday = clock.today() - dt.timedelta(days=1)
    session.basis = {**session.basis, "methods": SCORE_METHODS}
    session.status = "closed"
    session.first_sitting_on = session.last_sitting_on = yesterday
    session.save(update_fields=["basis", "status", "first_sitting_on", "last_sitting_on"])
    theory = Sitting.objects.create(session=session, method="theory", date=yesterday,
                                    starts_at=dt.time(9), ends_at=dt.time(10, 30),
                                    room=venue.rooms.get(kind="theory"))  # fmt: skip
    skill = Sitting.objects.create(session=session, method="skill", date=yesterday,
                                   starts_at=dt.time(13), ends_at=dt.time(15),
                                   room=venue.rooms.get(kind="skill"))  # fmt: skip
    for i, e in enumerate(people):
        Ticket.objects.create(enrolment=e, code=f"{tag}{session.pk:04d}{i + 1:04d}",
                              issued_at=clock.now())  # fmt: skip
    base = {"s": 0, "m": 100, "d": 200, "b": 300}.get(tag, 400) + session.pk % 50 * 0
    found = [qualified(Examiner, f"{tag}examiner{i}", base + i) for i in range(1, examiners + 1)]
    panel = [assign(world, session, sitting=skill, person=p, leader=(i == 0))
             for i, p in enumerate(found)]  # fmt: skip
    supervisor = qualified(QualitySupervisor, f"{tag}supervisor", base + 50)
    supervision = assign(world, session, kind="supervisor", person=supervisor)
    return SimpleNamespace(session=session, theory=theory, skill=skill, people=people,
                           panel=panel, supervision=supervision)  # fmt: skip


def absent(world, sitting, enrolment):
    from assessments.models import Attendance

    return Attendance.objects.create(
        sitting=sitting, enrolment=enrolment, status="absent",
        marked_by=world.members["admin"], marked_at=clock.now(),
    )  # fmt: skip


def incident(world, sitting, enrolment, decision: str = ""):
    from assessments.models import Incident

    return Incident.objects.create(
        sitting=sitting, enrolment=enrolment, kind="cheating", description="夹带纸条",
        reported_by=world.members["admin"], reported_at=clock.now(), decision=decision,
        decision_reason="监控录像确认" if decision else "",
        decided_by=world.members["admin"] if decision else None,
        decided_at=clock.now() if decision else None,
    )  # fmt: skip


# --- Assignment (Art 19) ------------------------------------------------------------------------

METHOD_LABELS = {"theory": "理论知识考试", "skill": "操作技能考核", "review": "综合评审"}
RATIOS = {
    "theory_candidates_per_invigilator": 15,
    "theory_min_invigilators_per_room": 2,
    "skill_candidates_per_examiner": 5,
    "skill_min_examiners": 3,
    "skill_examiners_odd": True,
    "review_panel_min": 3,
    "review_panel_odd": True,
}


def conduct_session(
    world, *, agency=None, site=None, ratios=None, methods=("theory", "skill"), days=30,
    times=None, status="closed", level="4", venue=None,
):  # fmt: skip
    """A filed 电工 session (registration closed by default) with one sitting per method, made
    directly so the assignment tests control the ratios; theory 09:00–11:00, the others after."""
    from assessments.models import AssessmentSession, Sitting

    venue = venue or declared_venue(world)
    day = clock.today() + dt.timedelta(days=days)
    session = AssessmentSession.objects.create(
        agency=agency or world.gd_agency,
        site=site or world.gd_site,
        venue=venue,
        city="深圳",
        occupation=Occupation.objects.get(code="6-31-01-03"),
        level=SkillLevel.objects.get(code=level),
        capacity=200,
        registration_opens=clock.today() - dt.timedelta(days=20),
        registration_closes=clock.today() - dt.timedelta(days=1),
        fee="200.00",
        how_to_register="联系机构报名",
        basis={
            "methods": [
                {
                    "method": m,
                    "label": METHOD_LABELS.get(m, m),
                    "full_marks": 100,
                    "pass_mark": 60,
                    "duration_minutes": 120,
                }
                for m in methods
            ],  # fmt: skip
            "ratios": {**RATIOS, **(ratios or {})},
            "eligibility": CANDIDATE_RULES,
        },
        basis_planned_on=clock.today() - dt.timedelta(days=30),
        first_sitting_on=day,
        last_sitting_on=day,
        status=status,
        filed_at=clock.now(),
        created_by=world.members["admin"],
    )
    default_times = {"theory": (9, 11), "skill": (13, 16), "review": (16, 18)}
    for method in methods:
        start, end = (times or {}).get(method, default_times.get(method, (8, 9)))
        room = venue.rooms.filter(kind=method).first() or venue.rooms.first()
        Sitting.objects.create(
            session=session, method=method, date=day, starts_at=dt.time(start),
            ends_at=dt.time(end), room=room,
        )  # fmt: skip
    return session


def enrol_many(world, session, count: int, *, start: int = 1, **overrides) -> list:
    """``count`` enrolled candidates, made directly (no eligibility check)."""
    from assessments.models import Candidate, Enrolment
    from portal import pii

    out = []
    for n in range(start, start + count):
        number = candidate_id(n)
        candidate = Candidate.objects.filter(
            id_index=pii.blind_index("resident_id", number)
        ).first()
        if candidate is None:
            candidate = Candidate.objects.create(
                real_name=f"李考生{n}", id_type="resident_id", id_number=number
            )
        fields = {
            "session": session,
            "candidate": candidate,
            "real_name": candidate.real_name,
            "phone": "13800138000",
            "employer_name": "广东测试机构",
            "employer_uscc": world.gd_agency.uscc,
            "eligible_by": "累计从事本职业6年",
            "status": "enrolled",
            "enrolled_by": world.members["admin"],
            "enrolled_at": clock.now(),
        }
        fields.update(overrides)
        out.append(Enrolment.objects.create(**fields))
    return out


def engaged_person(
    world, n: int, *, kind="examiner", agency=None, grade="examiner", highest="3",
    valid_until=None, username=None,
):  # fmt: skip
    """An examiner (or quality supervisor) ``n`` with a sign-in account that is a member of the
    agency with the matching role, engaged by the agency."""
    from assessments.models import Engagement, Examiner, ExaminerOccupation, QualitySupervisor
    from portal.models import AgencyMembership, Province
    from tests.portal.builders import make_user

    agency = agency or world.gd_agency
    user = make_user(username or f"assign_{kind}_{n}", real_name=f"考评{n}")
    role = "examiner" if kind == "examiner" else "quality_supervisor"
    AgencyMembership.objects.create(user=user, agency=agency, role=role)
    fields = {
        "user": user,
        "real_name": f"考评员{n}" if kind == "examiner" else f"督导员{n}",
        "id_type": "resident_id",
        "id_number": resident_id(f"44010619700101{n:03d}"),
        "province": Province.objects.get(code="440000"),
        "qualification_number": f"Q-{kind}-{n}",
        "valid_from": clock.today() - dt.timedelta(days=100),
        "valid_until": valid_until or clock.today() + dt.timedelta(days=700),
    }
    if kind == "examiner":
        person = Examiner.objects.create(grade=grade, **fields)
        ExaminerOccupation.objects.create(
            examiner=person,
            occupation=Occupation.objects.get(code="6-31-01-03"),
            lowest=SkillLevel.objects.get(code="5"),
            highest=SkillLevel.objects.get(code=highest),
        )
        Engagement.objects.create(
            agency=agency, examiner=person, started_on=clock.today(),
            added_by=world.members["admin"],
        )  # fmt: skip
    else:
        person = QualitySupervisor.objects.create(**fields)
        Engagement.objects.create(
            agency=agency, supervisor=person, started_on=clock.today(),
            added_by=world.members["admin"],
        )  # fmt: skip
    return person


def join_agency(world, person, agency) -> None:
    """``person`` is also engaged by ``agency`` (with a membership of the matching role)."""
    from assessments.models import Engagement
    from portal.models import AgencyMembership

    role = "examiner" if person.kind == "examiner" else "quality_supervisor"
    AgencyMembership.objects.create(user=person.user, agency=agency, role=role)
    Engagement.objects.create(
        agency=agency, started_on=clock.today(), added_by=world.members["admin"],
        **{person.kind: person},
    )  # fmt: skip


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


def assign_to_sitting(
    world, sitting, user, *, kind: str = "invigilator", declared: bool = True, n: int = 1
):
    """An active Assignment of ``user`` (made directly, as assignment's stage would) with the
    session grant; ``kind`` supervisor puts the user on the whole session."""
    from assessments.models import Assignment, Examiner, QualitySupervisor
    from assessments.services import add_person
    from portal import access

    record_kind = "supervisor" if kind == "supervisor" else "examiner"
    model = QualitySupervisor if kind == "supervisor" else Examiner
    person = model.objects.filter(user=user).first()  # one record per account
    if person is None:
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
