"""Admission tickets (issue 14; decision 0037): one ticket's PDF beside bare WeasyPrint.

Budgets: the portal's cost of one ticket (load the rows, build the context and the QR code,
render the template, WeasyPrint through the portal's fetcher) at most 1.2 × bare WeasyPrint
writing the very same HTML, measured side by side in this run; the batch PDF of a
500-candidate session (one ticket a page) in at most 60 s.
"""

from __future__ import annotations

import statistics
import tempfile
import time

from bench.timing import Result

CANDIDATES = 500
REPEAT = 7


def run() -> list[Result]:
    from django.db import transaction
    from django.template.loader import render_to_string
    from django.test import override_settings
    from weasyprint import HTML

    from assessments.models import Ticket
    from assessments.services import sittings as svc
    from portal import pdf
    from tests.assessments.builders import sitting_session
    from tests.portal.builders import seed_world, world_view

    world = world_view(seed_world())
    media = tempfile.mkdtemp()
    with override_settings(MEDIA_ROOT=media), transaction.atomic():
        admin = world.members["admin"]
        session = sitting_session(world, candidates=CANDIDATES, theory_places=50, rounds=10)
        svc.allocate_seats(admin, session.sittings.get(), rule="random")
        svc.issue_tickets(admin, session)
        ticket = Ticket.objects.filter(enrolment__session=session).first()
        document = ticket.document

        rows = {t.pk: d for t, d in svc._tickets_with_data(session)}
        html = render_to_string(
            "assessments/pdf/tickets.html",
            {
                "tickets": [svc._ticket_context(ticket, rows[ticket.pk])],
                "is_demo": False,
                "rules": svc.CANDIDATE_RULES,
            },
        )
        svc.render_ticket(document)  # warm-up: fonts, templates
        HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=pdf._weasy_fetcher()).write_pdf()
        fetcher = pdf._weasy_fetcher()  # the same stylesheet and fonts as the portal's
        portal_ms, bare_ms = [], []
        for _i in range(REPEAT):  # interleaved, so both meet the same machine load
            start = time.perf_counter()
            svc.render_ticket(document)
            portal_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).write_pdf()
            bare_ms.append((time.perf_counter() - start) * 1000)
        ratio = statistics.median(portal_ms) / statistics.median(bare_ms)

        start, cpu = time.perf_counter(), time.process_time()
        data = svc.render_batch(session.ticket_batch.document)
        batch_ms = (time.perf_counter() - start) * 1000
        cpu_s = time.process_time() - cpu  # the shared machine's load shows in the wall time
        transaction.set_rollback(True)
    print(
        f"  one ticket: portal p50 {statistics.median(portal_ms):6.0f} ms · bare WeasyPrint "
        f"p50 {statistics.median(bare_ms):6.0f} ms · ratio {ratio:.2f} (budget 1.20) "
        f"{'ok' if ratio <= 1.2 else 'OVER BUDGET'}"
    )
    print(
        f"  batch of {CANDIDATES}: {batch_ms / 1000:.1f} s ({cpu_s:.1f} s of CPU), "
        f"{len(data) / 1e6:.1f} MB"
    )
    return [
        Result("ticket: portal / bare WeasyPrint (×100 as ms)", [ratio * 100], 120),
        Result(f"ticket batch PDF, {CANDIDATES} candidates", [batch_ms], 60_000),
    ]
