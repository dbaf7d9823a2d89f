"""Demo sessions at each stage after planning (Art 18–21), chained from the stage demos.

On the 广东 demo agency, at its verified venue, five more sessions of 电工 besides the four plans
of ``assessments.demo``: their sittings lie in the past, so each is planned, filed and filled
with the clock frozen on the days it would have happened, then taken as far as its stage with
the real services:

* the open demo session (sittings ahead): staff assigned, seats and tickets issued;
* 「已考试」: sat two days ago, checked in with one absentee and an incident not yet decided;
* 「公示中」: sat a week ago, scored, results published today and open for objections;
* 「待发证」: sat six weeks ago, results final: ready for certificates (the agency issues them);
* 「已发证」 and 「已归档」: results final; the certificates demo issues their certificates (one
  batch bilingual) and archives the older one.

All marked 演示; the candidates' ID numbers are synthetic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assessments import demo_assign, demo_results, demo_scores, demo_sitting, services
from assessments.models import AssessmentSession, RoomKind, SeatRule, Venue, VenueStatus
from assessments.services import candidates as cs
from assessments.services import sittings as sitting_services
from catalog.models import Occupation, SkillLevel
from portal import clock
from portal.demo import DEMO_AGENCY_USCC
from portal.models import Agency, User

#: (label, days before today of the first sitting, candidates, stage)
STAGES = (
    ("已考试", 2, 8, "sat"),
    ("公示中", 8, 10, "on_notice"),
    ("待发证", 42, 10, "final"),
    ("已发证", 56, 8, "final"),
    ("已归档", 70, 8, "final"),
)
HOW_TO_REGISTER = "携带身份证原件和一寸照片到天河考点一楼报名处报名。（演示）"


def _context():
    agency = Agency.objects.filter(uscc=DEMO_AGENCY_USCC).first()
    admin = User.objects.filter(username="agency_admin").first()
    venue = (
        Venue.objects.filter(site__agency=agency, status=VenueStatus.VERIFIED).first()
        if agency
        else None
    )
    return agency, admin, venue


def _listed_since(agency, day: dt.date) -> None:
    """The demo agency was listed on the day the demo was seeded; the sessions of this module
    happened before, so its directory entry's term starts earlier (demo history only)."""
    from agencies.models import DirectoryEntry

    DirectoryEntry.objects.filter(agency=agency, valid_from__gt=day).update(valid_from=day)


def _level(agency, electrician, on: dt.date):
    from agencies import queries as agency_queries
    from catalog.queries import basis_for

    for level in SkillLevel.objects.order_by("rank"):
        if agency_queries.scope_refusal(agency, electrician, None, level, on=on) is None:
            basis = basis_for(electrician, level, agency=agency, on=on)
            if basis is not None:
                return level, basis
    return None, None


def _past_session(agency, admin, venue, label: str, days_ago: int, candidates: int, first_i: int):
    """Plan, file and fill a session whose first sitting was ``days_ago`` days ago."""
    from assessments.demo import _demo_candidate

    electrician = Occupation.objects.get(code="6-31-01-03")
    first = clock.today() - dt.timedelta(days=days_ago)
    plan_day = first - dt.timedelta(days=30)
    with clock.frozen(plan_day):
        level, basis = _level(agency, electrician, plan_day)
        if level is None:
            return None
        rooms = {r.kind: r for r in venue.rooms.all()}
        sittings = [
            services.SittingData(
                m.method,
                first + dt.timedelta(days=index),
                dt.time(9, 0),
                dt.time(11, 30),
                rooms.get(m.method) or rooms[RoomKind.THEORY],
            )
            for index, m in enumerate(basis.methods)
        ]
        session = services.plan_session(
            admin,
            agency,
            sittings=sittings,
            venue=venue,
            city="广州市",
            occupation=electrician,
            work_type=None,
            level=level,
            capacity=min(candidates + 4, *(s.room.places for s in sittings)),
            registration_opens=plan_day,
            registration_closes=first - dt.timedelta(days=8),
            fee=Decimal("260.00"),
            how_to_register=f"{HOW_TO_REGISTER}（{label}）",
        )
        session = services.file_session(admin, session)
    with clock.frozen(plan_day + dt.timedelta(days=2)):
        added, i = 0, first_i
        while added < candidates and i < first_i + 3 * candidates:
            inp = _demo_candidate(i)
            i += 1
            if (
                cs.enrolment_refusal(session) is None
                and cs.eligibility_of(session, inp.facts).eligible
            ):
                cs.enrol(admin, session, inp)
                added += 1
    with clock.frozen(first - dt.timedelta(days=6)):
        services.advance_sessions()
        demo_assign.assign_full_staff(session)
    session.refresh_from_db()
    return session


def _ticketed(session: AssessmentSession) -> None:
    """Staff and tickets for a session whose sittings are still ahead."""
    demo_assign.assign_full_staff(session)
    for sitting in session.sittings.order_by("date", "starts_at"):
        if not hasattr(sitting, "seat_allocation"):
            sitting_services.allocate_seats(session.created_by, sitting, rule=SeatRule.RANDOM)
    sitting_services.issue_tickets(session.created_by, session)


def seed(stdout=None) -> None:
    agency, admin, venue = _context()
    if agency is None or admin is None or venue is None:
        return
    if AssessmentSession.objects.filter(
        agency=agency, how_to_register__startswith=HOW_TO_REGISTER
    ).exists():
        if stdout is not None:
            stdout.write("assessments: demo sessions at each stage already present")
        return
    today = clock.today()
    _listed_since(agency, today - dt.timedelta(days=max(d for _l, d, _c, _s in STAGES) + 45))
    open_session = next(
        (
            s
            for s in AssessmentSession.objects.filter(agency=agency).order_by("pk")
            if s.registration_open_on(today) and s.enrolments.exists()
        ),
        None,
    )
    if open_session is not None:
        _ticketed(open_session)
    first_i = 40
    for label, days_ago, candidates, stage in STAGES:
        session = _past_session(agency, admin, venue, label, days_ago, candidates, first_i)
        first_i += 3 * candidates
        if session is None:
            continue
        demo_sitting.advance(session, decided=stage != "sat")
        if stage == "sat":
            continue
        with clock.frozen(session.last_sitting_on + dt.timedelta(days=1)):
            demo_scores.advance(session, stdout)
        if stage == "on_notice":
            demo_results.publish(session)
        else:
            demo_results.make_final(session)
    if stdout is not None:
        stdout.write("assessments: demo sessions sat, on notice, final (three) and a ticketed one")
