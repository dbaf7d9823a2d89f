"""Theory score import: 10,000 rows read, checked and stored as one entry (issue 14; decision 0038).

Budget: ``enter_theory`` of a 10,000-row XLSX (准考证号 + 成绩: read with portal.spreadsheets,
every row checked, the document and the 10,000 ``TheoryEntry`` rows stored) in at most 10 s;
printed beside the bare read of the same file by python-calamine and by
``portal.spreadsheets.read_rows`` in the same run, and the acceptance of the second entry.
"""

from __future__ import annotations

import io
import time

from bench.timing import Result

ROWS = 10_000


def _sheet(codes: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("成绩")
    sheet.append(["准考证号", "姓名", "成绩"])
    for i, code in enumerate(codes):
        sheet.append([code, f"考生{i}", 40 + (i % 600) / 10])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _session(world):
    """A closed session with ROWS enrolled candidates, tickets and a theory sitting (made in
    bulk: enrolment is another benchmark)."""
    import datetime as dt

    from assessments.models import Candidate, Enrolment, Sitting, Ticket
    from portal import clock
    from tests.assessments.builders import SCORE_METHODS, open_session

    session = open_session(world, capacity=ROWS + 10)
    session.basis = {**session.basis, "methods": SCORE_METHODS}
    session.status = "closed"
    session.save(update_fields=["basis", "status"])
    admin = world.members["admin"]
    now = clock.now()
    from portal import codes, pii

    people = []
    for i in range(ROWS):
        first17 = f"440305{1980 + i // 1000}0101{i % 1000:03d}"
        number = first17 + codes._resident_id_check_char(first17)
        people.append(Candidate(id_type="resident_id", id_number=number, real_name=f"考生{i}"))
    for c in people:
        c.id_index = pii.blind_index(c.id_type, c.id_number)
    Candidate.objects.bulk_create(people, batch_size=2000)
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(session=session, candidate=c, real_name=c.real_name, phone="13900139000",
                      eligible_by="累计从事本职业6年", enrolled_by=admin, enrolled_at=now)
            for c in people
        ],
        batch_size=2000,
    )  # fmt: skip
    Ticket.objects.bulk_create(
        [Ticket(enrolment=e, code=f"B{session.pk:03d}{i:06d}", issued_at=now)
         for i, e in enumerate(enrolments)],
        batch_size=2000,
    )  # fmt: skip
    theory = Sitting.objects.create(
        session=session, method="theory", date=clock.today() - dt.timedelta(days=1),
        starts_at=dt.time(9), ends_at=dt.time(10, 30), room=session.venue.rooms.get(kind="theory"),
    )  # fmt: skip
    return session, theory, [f"B{session.pk:03d}{i:06d}" for i in range(ROWS)]


def run() -> list[Result]:
    import tempfile

    from django.core.files.base import ContentFile
    from django.test import override_settings
    from python_calamine import CalamineWorkbook

    from assessments.models import MethodScore
    from assessments.services import scores
    from portal import spreadsheets
    from tests.portal.builders import seed_world, world_view

    world = world_view(seed_world())
    media = tempfile.mkdtemp()
    with override_settings(MEDIA_ROOT=media):
        _session_obj, theory, codes = _session(world)
        data = _sheet(codes)
        print(f"  file: {ROWS} rows, {len(data) / 1e6:.2f} MB")

        start = time.perf_counter()
        rows = list(
            CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).iter_rows()
        )
        calamine_ms = (time.perf_counter() - start) * 1000
        assert len(rows) == ROWS + 1
        start = time.perf_counter()
        read = list(spreadsheets.read_rows(data))
        read_ms = (time.perf_counter() - start) * 1000
        assert len(read) == ROWS + 1

        start = time.perf_counter()
        sheet = scores.enter_theory(
            world.members["admin"], theory, upload=ContentFile(data, name="theory.xlsx")
        )
        import_ms = (time.perf_counter() - start) * 1000
        assert sheet.rows.count() == ROWS

        second = scores.enter_theory(
            world.members["staff"], theory, upload=ContentFile(data, name="theory2.xlsx")
        )
        assert second.entry == 2
        start = time.perf_counter()
        accepted = scores.accept_theory(world.members["admin"], theory)
        accept_ms = (time.perf_counter() - start) * 1000
        assert accepted == ROWS == MethodScore.objects.filter(method="theory").count()
    print(
        f"  calamine read alone {calamine_ms:7.0f} ms · portal.spreadsheets.read_rows "
        f"{read_ms:7.0f} ms · enter_theory (read, check, store) {import_ms:7.0f} ms · "
        f"accept (compare both entries, make the scores) {accept_ms:7.0f} ms"
    )
    return [
        Result("theory scores 10,000 rows: import one entry", [import_ms], 10_000),
        Result("theory scores 10,000 rows: accept both entries", [accept_ms], 10_000),
    ]
