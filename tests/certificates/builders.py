"""Builders of the certificates tests: a session of world.gd_agency whose results are final,
made directly (session via tests/assessments/builders.py, Enrolment, Result final and passed),
so these tests do not depend on the exam-affairs stages before them."""

from __future__ import annotations

import datetime as dt
import itertools

from assessments.models import Candidate, Enrolment, Result, ResultOutcome, ResultStatus
from portal import clock
from tests.assessments.builders import open_session, ready_agency, resident_id

_serial = itertools.count(1)


def candidate_number(n: int) -> str:
    """A synthetic resident ID (广州, born from 1960 on), unique per ``n`` below 10**7."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=n // 1000)
    return resident_id(f"440106{born:%Y%m%d}{n % 1000:03d}")


def portrait() -> bytes:
    """A checked 1-inch style portrait (white), as enrolment stores it."""
    import io

    from PIL import Image, ImageDraw

    from assessments.services.candidates import check_photo

    image = Image.new("RGB", (300, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((95, 60, 205, 190), fill=(222, 184, 150))
    draw.rectangle((60, 220, 240, 420), fill=(40, 70, 120))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return check_photo(out.getvalue())


def give_photo(world, enrolment) -> None:
    """Store a portrait as the enrolment's photo (a document of the session)."""
    from assessments.services.candidates import store_photo

    doc = store_photo(world.members["admin"], enrolment.session, portrait(), "证件照")
    enrolment.photo = doc
    enrolment.save(update_fields=["photo"])


def final_session(
    world, n: int = 3, *, failed: int = 1, level: str = "4", photo: bool = False, **extra
):
    """A closed 电工 session of world.gd_agency (listed, so it can assess) whose last sitting
    was a fortnight ago, with ``n`` final passing results and ``failed`` final failures."""
    from catalog.models import SkillLevel

    ready_agency(world, levels=("4", "3"))
    today = clock.today()
    fields = {
        "status": "closed",
        "level": SkillLevel.objects.get(code=level),
        "first_sitting_on": today - dt.timedelta(days=16),
        "last_sitting_on": today - dt.timedelta(days=15),
        "results_published_at": clock.now() - dt.timedelta(days=8),
        "results_final_at": clock.now() - dt.timedelta(days=1),
        "capacity": max(30, n + failed),
    }
    fields.update(extra)
    session = open_session(world, **fields)
    enrolments = add_results(world, session, n, failed=failed)
    if photo and enrolments:
        give_photo(world, enrolments[0])
    return session


def add_results(world, session, n: int, *, failed: int = 0, start: int | None = None):
    """``n`` final passing and ``failed`` final failing results in ``session`` (bulk)."""
    if start is None:
        start = next(_serial)
        for _ in range(n + failed - 1):
            next(_serial)
    now = clock.now()
    people = [
        Candidate(real_name=f"王证书{start + i}", id_number=candidate_number(start + i))
        for i in range(n + failed)
    ]
    people = Candidate.objects.bulk_create(people)
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                session=session,
                candidate=c,
                real_name=c.real_name,
                phone="13800138000",
                eligible_by="累计从事本职业6年",
                enrolled_by=world.members["admin"],
                enrolled_at=now,
            )
            for c in people
        ]
    )
    Result.objects.bulk_create(
        [
            Result(
                enrolment=e,
                session=session,
                outcome=ResultOutcome.PASSED if i < n else ResultOutcome.FAILED,
                status=ResultStatus.FINAL,
                scores={"theory": 80 if i < n else 40},
                computed_at=now,
                final_at=now,
            )
            for i, e in enumerate(enrolments)
        ]
    )
    return enrolments
