"""Demo data of data submission (Art 21; decision 0052): the demo agency has submitted two
batches to its testing centre, the first acknowledged, the second waiting (the testing
centre's demo accounts, ``osta_gd`` or ``osta_national``, acknowledge it in the browser).

Idempotent: once the agency has batches nothing is added.
"""

from __future__ import annotations


def seed(stdout=None) -> None:
    from certificates.models import Certificate, IssuanceBatch, SubmissionBatch
    from certificates.services import submission
    from portal.models import Agency, User

    agency = (
        Agency.objects.filter(is_demo=True, pk__in=Certificate.objects.values("agency_id"))
        .order_by("pk")
        .first()
    )
    if agency is None or SubmissionBatch.objects.filter(agency=agency).exists():
        return
    runs = list(
        IssuanceBatch.objects.filter(agency=agency, finished_at__isnull=False)
        .order_by("finished_at")
        .values_list("finished_at", flat=True)
    )
    # The first batch covers the first issuing run, the second everything since.
    first = submission.submit_batch(agency, until=runs[0] if len(runs) > 1 else None)
    second = submission.submit_batch(agency)
    if first is not None:
        centres = User.objects.filter(groups__name="osta_staff", is_active=True)
        centre = (
            centres.filter(jurisdiction=first.jurisdiction).first()
            or centres.filter(jurisdiction="000000").first()
        )
        if centre is not None:
            submission.acknowledge_batch(centre, first, "已核对，数据完整。")
    if stdout is not None:
        made = [b for b in (first, second) if b is not None]
        stdout.write(
            f"data submission: {len(made)} batches of {agency.name} "
            f"({sum(b.total for b in made)} events), the first acknowledged"
        )
