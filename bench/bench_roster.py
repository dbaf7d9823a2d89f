"""Roster import: 10,000 rows validated and stored (issue 13; decision 0035).

Budget: stage (read, check every row, store the batch) plus apply (enrol every row in one
transaction) of a 10,000-row XLSX in at most 10 s, memory under 300 MB; printed beside the
time python-calamine alone takes to read the file and a bare bulk insert of the same rows.
"""

from __future__ import annotations

import io
import resource
import time

from bench.timing import Result

ROWS = 10_000


def _roster(n: int) -> bytes:
    from openpyxl import Workbook

    from assessments.services import imports
    from portal import codes

    book = Workbook(write_only=True)
    sheet = book.create_sheet("报名名单")
    sheet.append([c.header for c in imports.COLUMNS])
    for i in range(n):
        first17 = f"440305{1980 + i // 1000}0101{i % 1000:03d}"
        number = first17 + codes._resident_id_check_char(first17)
        values = {
            "real_name": f"考生{i}", "id_type": "居民身份证", "id_number": number,
            "phone": "13900139000", "employer_name": "广东测试机构",
            "employer_uscc": "91440300MA5F8G9H2K", "dispatched": "否",
            "started_on": "2015-03-01",
        }  # fmt: skip
        sheet.append([values.get(k, "") for k in imports.KEYS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run() -> list[Result]:
    import tempfile

    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.test import override_settings
    from python_calamine import CalamineWorkbook

    from assessments.models import Candidate, Enrolment
    from assessments.services import imports
    from tests.assessments.builders import open_session
    from tests.portal.builders import seed_world, world_view

    world = world_view(seed_world())
    media = tempfile.mkdtemp()
    with override_settings(MEDIA_ROOT=media):
        session = open_session(world, capacity=ROWS + 10)
        data = _roster(ROWS)
        print(f"  file: {ROWS} rows, {len(data) / 1e6:.1f} MB")

        start = time.perf_counter()
        rows = list(
            CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).iter_rows()
        )
        calamine_ms = (time.perf_counter() - start) * 1000
        assert len(rows) == ROWS + 1

        start = time.perf_counter()
        batch = imports.stage(
            world.members["admin"], session, ContentFile(data, name="roster.xlsx"), run_now=True
        )
        staged_ms = (time.perf_counter() - start) * 1000
        assert batch.error_rows == 0, batch.rows.exclude(errors={}).first().errors
        start = time.perf_counter()
        added = imports.apply(world.members["admin"], batch)
        applied_ms = (time.perf_counter() - start) * 1000
        assert added == ROWS
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # A bare bulk insert of the same rows (no reading, no checks, no encryption): the
        # enrolments again, withdrawn, rolled back.
        template = Enrolment.objects.filter(session=session).first()
        with transaction.atomic():
            people = list(Candidate.objects.filter(enrolments__session=session))
            start = time.perf_counter()
            Enrolment.objects.bulk_create(
                [
                    Enrolment(session=session, candidate=p, real_name=p.real_name, phone="1",
                              eligible_by="x", enrolled_by=template.enrolled_by,
                              enrolled_at=template.enrolled_at, status="withdrawn",
                              withdrawal_reason="bench")
                    for p in people
                ]
            )  # fmt: skip
            bare_ms = (time.perf_counter() - start) * 1000
            transaction.set_rollback(True)
    total = staged_ms + applied_ms
    print(
        f"  calamine read alone {calamine_ms:7.0f} ms · bare bulk insert {bare_ms:7.0f} ms · "
        f"stage {staged_ms:7.0f} ms + apply {applied_ms:7.0f} ms = {total:7.0f} ms"
    )
    print(
        f"  memory: process peak RSS {rss_mb:.0f} MB "
        f"(budget 300 MB) {'ok' if rss_mb < 300 else 'OVER BUDGET'}"
    )
    return [
        Result("roster 10,000 rows: stage + apply", [total], 10_000),
        Result("roster 10,000 rows: process peak RSS (MB as ms)", [rss_mb], 300),
    ]
