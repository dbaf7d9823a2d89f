"""Slow work after the commit and gap-free numbering in the agencies app (decision 0017).

The receipt, the decision letter and the commitment letter are pending Document rows inside the
service's transaction and real PDFs once it commits; the term-reminder e-mail goes out after
the commit; agency codes and site serials come from counters that hand out the lowest free
number and never one twice, even to two processes at once.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
from django.db import connections, transaction
from django.urls import reverse

from agencies import services
from agencies.models import AgencyApplication, DirectoryEntry, TermReminder
from agencies.services.listing import next_agency_code
from portal import clock, notices
from portal.models import Agency, AgencyKind, AgencySite, AgencyStatus, DocumentStatus
from portal.roles import NATIONAL
from tests.agencies.builders import (
    applicant,
    complete_application,
    electrician_standard,
    published_call,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def assert_ready_pdf(doc) -> None:
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY
    assert doc.content_type == "application/pdf" and doc.size > 0
    with doc.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_the_three_letters_are_pending_in_the_transaction_and_pdfs_after_it(
    client, world, django_capture_on_commit_callbacks
):
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    user, agency = applicant()
    application = complete_application(user, agency, call, levels=("4",))
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_application(user, application, pledge=True)
        assert submitted.receipt.status == DocumentStatus.PENDING
        client.force_login(user)
        page = client.get(reverse("agencies:application", args=[agency.pk, application.pk]))
        assert "正在生成" in page.content.decode()  # the link says the file is on its way
    assert_ready_pdf(submitted.receipt)
    page = client.get(reverse("agencies:application", args=[agency.pk, application.pk]))
    assert "正在生成" not in page.content.decode()

    official = world.gd_official
    services.accept_materials(official, submitted, use_expert_review=False, use_site_visit=False)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide(official, submitted, approve=True, reasons="符合")
        assert decided.decision_letter.status == DocumentStatus.PENDING
    assert_ready_pdf(decided.decision_letter)

    notice = notices.PublicNotice.objects.get(subject=notices.subject_key(decided))
    with clock.frozen(notice.ends_on + dt.timedelta(days=1)):
        notices.close_due_notices()  # the typed subject leads back to the application
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.sign_commitment(user, AgencyApplication.objects.get(pk=application.pk))
        # The directory entry points at the letter before it exists.
        assert entry.commitment.status == DocumentStatus.PENDING
    assert_ready_pdf(entry.commitment)


@pytest.mark.django_db
def test_an_overturned_approval_gets_a_new_pending_rejection_letter(world):
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    user, agency = applicant()
    application = complete_application(user, agency, call, levels=("4",))
    services.submit_application(user, application, pledge=True)
    official = world.gd_official
    services.accept_materials(official, application, use_expert_review=False, use_site_visit=False)
    approved = services.decide(official, application, approve=True, reasons="符合")
    notice = notices.PublicNotice.objects.get(subject=notices.subject_key(approved))
    objection = notices.file_objection(
        notice, name="异议人", contact="13900000000", content="考评人员数量不足。"
    )
    notices.uphold_objection(official, objection, reason="考评人员不足")
    application.refresh_from_db()
    assert application.status == "rejected"
    letter = application.decision_letter
    assert letter.pk != approved.decision_letter_id and letter.is_pending
    assert letter.render_params["approved"] is False


@pytest.mark.django_db
def test_the_term_reminder_is_mailed_after_the_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    agency = world.gd_agency
    admin = world.members["admin"]
    admin.email = "gd_admin@example.org"
    admin.save(update_fields=["email"])
    entry = _entry(world, agency)
    day = entry.valid_until - dt.timedelta(days=80)
    with clock.frozen(day), django_capture_on_commit_callbacks(execute=True):
        assert services.send_term_reminders() == 1
        assert mailoutbox == []  # nothing is sent before the reminder is recorded
    assert TermReminder.objects.filter(entry=entry).count() == 1
    assert [m.to for m in mailoutbox] == [["gd_admin@example.org"]]
    assert str(entry.valid_until) in mailoutbox[0].subject


def _entry(world, agency) -> DirectoryEntry:
    """A directory entry for the conftest agency, without going through an application."""
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    user, other = applicant()
    application = complete_application(user, other, call, levels=("4",))
    return DirectoryEntry.objects.create(
        agency=agency,
        application=application,
        filing_jurisdiction="440000",
        valid_from=clock.today(),
        valid_until=clock.today() + dt.timedelta(days=365),
        commitment=application.conditions.first().evidence.first(),
        commitment_signed_by=world.members["admin"],
        commitment_signed_at=clock.now(),
        listed_at=clock.now(),
    )


@pytest.mark.django_db
def test_numbering_gives_the_lowest_free_number_and_never_one_twice(world):
    for code, uscc in (
        ("0001", "91110108MA01RT7Y5G"),
        ("0002", "91440104MA59XQ1B2C"),
        ("0004", "91440106MA5CKL8N3W"),
    ):
        Agency.objects.create(
            name=f"全国评价机构{code}",
            uscc=uscc,
            kind=AgencyKind.SOCIAL_ORG,
            registered_province_id="110000",
            filing_jurisdiction=NATIONAL,
            agency_code=code,
            status=AgencyStatus.LISTED,
        )
    with transaction.atomic():
        assert next_agency_code() == "0003"
        assert next_agency_code() == "0005"  # 0004 is taken
    # 广东 already has 000101; a serial typed in by an official is skipped, never repeated.
    sites = [
        AgencySite.objects.create(
            agency=world.gd_agency, name=name, province_id="440000", address=name
        )
        for name in ("珠海站", "佛山站", "东莞站")
    ]
    services.assign_site_serial(world.gd_official, sites[0], "000002")
    assert services.assign_site_serial(world.gd_official, sites[1]).site_serial == "000001"
    assert services.assign_site_serial(world.gd_official, sites[2]).site_serial == "000003"
    # 黑龙江 numbers its own sites.
    assert services.assign_site_serial(world.hlj_official, world.hlj_site).site_serial == "000001"


def _serial_worker(barrier, out, official_pk: int, site_pk: int) -> None:
    from portal.models import User

    try:
        official = User.objects.get(pk=official_pk)
        site = AgencySite.objects.get(pk=site_pk)
        with transaction.atomic():
            barrier.wait(timeout=30)
            out.put(("ok", services.assign_site_serial(official, site).site_serial))
    except Exception as exc:  # report, never hang the parent
        out.put(("error", repr(exc)))
    finally:
        connections.close_all()


def _code_worker(barrier, out, agency_pk: int) -> None:
    try:
        with transaction.atomic():
            barrier.wait(timeout=30)
            code = next_agency_code()
            Agency.objects.filter(pk=agency_pk).update(agency_code=code)
        out.put(("ok", code))
    except Exception as exc:
        out.put(("error", repr(exc)))
    finally:
        connections.close_all()


def _run_in_parallel(target, argsets) -> list[str]:
    connections.close_all()  # each forked process opens its own connection
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(len(argsets)), ctx.SimpleQueue()
    procs = [ctx.Process(target=target, args=(barrier, out, *args)) for args in argsets]
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    assert [status for status, _ in results] == ["ok"] * len(procs), results
    return sorted(value for _, value in results)


@pytest.mark.fork
@pytest.mark.django_db(transaction=True)
def test_two_first_serials_and_codes_at_once_are_distinct(world):
    if connections["default"].vendor != "postgresql":
        pytest.skip("the row-lock behaviour under test is PostgreSQL's")
    # 黑龙江 has no serial yet: locking the numbered rows had nothing to lock here.
    other = AgencySite.objects.create(
        agency=world.hlj_agency, name="大庆站", province_id="230000", address="大庆"
    )
    official = world.hlj_official.pk
    serials = _run_in_parallel(
        _serial_worker, [(official, world.hlj_site.pk), (official, other.pk)]
    )
    assert serials == ["000001", "000002"]
    agencies = [
        Agency.objects.create(
            name=f"全国评价机构{n}",
            uscc=uscc,
            kind=AgencyKind.SOCIAL_ORG,
            registered_province_id="110000",
            filing_jurisdiction=NATIONAL,
            status=AgencyStatus.APPLICANT,
        )
        for n, uscc in enumerate(("91110108MA01RT7Y5G", "91440104MA59XQ1B2C"))
    ]
    codes = _run_in_parallel(_code_worker, [(a.pk,) for a in agencies])
    assert codes == ["0001", "0002"]
