"""Issuing certificates (Art 20): numbers per (site, year, level), gap-free and parseable;
refusals; idempotence; frozen facts; one audit entry per batch; status-list entries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import Candidate, Result
from certificates import services
from certificates.models import Certificate, IssuanceState, StatusList
from certificates.services import numbering, status
from portal import clock, codes, counters
from portal.models import AgencyStatus, AuditEntry
from tests.certificates.builders import add_results, final_session

pytestmark = pytest.mark.django_db


def _year() -> str:
    return f"{clock.today().year % 100:02d}"


def test_numbers_parse_and_follow_the_key_without_gaps(world):
    session = final_session(world, 3)
    batch = services.issue_certificates(world.members["admin"], [session])
    assert batch.state == IssuanceState.DONE and batch.done == 3
    numbers = list(Certificate.objects.filter(batch=batch).values_list("number", flat=True))
    parts = [codes.parse_certificate_number(n) for n in numbers]
    assert {(p.kind, p.agency_code, p.province_prefix, p.site_serial) for p in parts} == {
        ("S", "0000", "44", "000101")
    }
    assert {p.year for p in parts} == {_year()} and {p.level for p in parts} == {"4"}
    assert sorted(int(p.sequence) for p in parts) == [1, 2, 3]
    key = numbering.counter_key(numbering.scope_for(world.gd_site, clock.today().year, "4"))
    assert counters.peek(key) == 3
    assert batch.first_number.endswith("000001") and batch.last_number.endswith("000003")


def test_each_level_has_its_own_counter(world):
    four = final_session(world, 2)
    three = final_session(world, 2, level="3")
    services.issue_certificates(world.members["staff"], [four, three])
    by_level = {}
    for number in Certificate.objects.values_list("number", flat=True):
        p = codes.parse_certificate_number(number)
        by_level.setdefault(p.level, []).append(int(p.sequence))
    assert {k: sorted(v) for k, v in by_level.items()} == {"4": [1, 2], "3": [1, 2]}
    more = final_session(world, 2)
    services.issue_certificates(world.members["staff"], [more])
    numbers = Certificate.objects.filter(session=more).values_list("number", flat=True)
    seq = sorted(int(n[-6:]) for n in numbers)
    assert seq == [3, 4], "the next batch continues the key's range"


def test_issuing_twice_issues_nothing_new(world):
    session = final_session(world, 3)
    services.issue_certificates(world.members["admin"], [session])
    again = services.issue_certificates(world.members["admin"], [session])
    assert again.done == 0 and again.skipped == 3
    assert Certificate.objects.filter(session=session).count() == 3
    # A new final passing result added later gets its certificate, the others stay.
    add_results(world, session, 1)
    third = services.issue_certificates(world.members["admin"], [session])
    assert third.done == 1 and third.skipped == 3
    assert Certificate.objects.filter(session=session).count() == 4


def test_only_final_passing_results_and_the_session_is_told(world):
    session = final_session(world, 2, failed=2)
    services.issue_certificates(world.members["admin"], [session])
    assert Certificate.objects.filter(session=session).count() == 2
    recorded = dict(Result.objects.filter(session=session).values_list("pk", "certificate_number"))
    issued = dict(Certificate.objects.values_list("result_id", "number"))
    assert {k: v for k, v in recorded.items() if v} == issued
    session.refresh_from_db()
    assert session.certificates_recorded_at is not None


def test_holder_and_facts_are_frozen(world):
    session = final_session(world, 1)
    services.issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.get(session=session)
    id_number = cert.id_number
    assert cert.holder_name.startswith("王证书")
    assert cert.work_type_name == "--"
    assert cert.level_display == "四级/中级工"
    assert cert.agency_name == "广东测试评价中心"
    assert cert.occupation_code == "6-31-01-03"
    # Later edits of the candidate, the enrolment and the agency do not reach the certificate.
    enrolment = cert.result.enrolment
    Candidate.objects.filter(pk=enrolment.candidate_id).update(real_name="改名")
    enrolment.real_name = "改名"
    enrolment.save(update_fields=["real_name"])
    world.gd_agency.name = "改名后的机构"
    world.gd_agency.save(update_fields=["name"])
    cert.refresh_from_db()
    assert cert.holder_name.startswith("王证书") and cert.agency_name == "广东测试评价中心"
    assert cert.id_number == id_number and cert.id_index
    raw = Certificate.objects.filter(pk=cert.pk).values_list("id_number", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM certificates_certificate WHERE id = %s", [cert.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("pii1:") and id_number not in stored
    assert list(raw)


def test_one_audit_entry_per_batch_names_the_range(world):
    session = final_session(world, 5)
    before = AuditEntry.objects.filter(action="certificates.batch.issue").count()
    batch = services.issue_certificates(world.members["admin"], [session])
    entries = AuditEntry.objects.filter(action="certificates.batch.issue")
    assert entries.count() == before + 1
    entry = entries.latest("pk")
    assert entry.changes["certificates"][1] == 5
    assert batch.first_number[:16] in entry.changes["ranges"][1]
    assert "000001–000005" in entry.changes["ranges"][1]
    assert entry.changes["first"][1] == batch.first_number


def test_status_entries_are_random_and_unique(world):
    session = final_session(world, 20)
    services.issue_certificates(world.members["admin"], [session])
    entries = list(Certificate.objects.values_list("status_list_id", "status_index"))
    assert len(set(entries)) == 20
    lst = StatusList.objects.get()
    assert lst.size >= 131_072 and lst.allocated == 20
    indexes = sorted(i for _, i in entries)
    assert indexes != list(range(indexes[0], indexes[0] + 20)), "not handed out in order"
    bits = status.decode_list(status.encoded_list(lst))
    assert len(bits) * 8 == lst.size and not any(bits)


def test_refused_without_site_serial_names_the_authority(world):
    session = final_session(world, 1)
    world.gd_site.site_serial = ""
    world.gd_site.save(update_fields=["site_serial"])
    session.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.issue_certificates(world.members["admin"], [session])
    assert "广东省人力资源和社会保障厅" in str(exc.value) or "广东" in str(exc.value)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("state", [AgencyStatus.SUSPENDED, AgencyStatus.REMOVED])
def test_refused_for_a_suspended_or_removed_agency(world, state):
    session = final_session(world, 1)
    world.gd_agency.status = state
    world.gd_agency.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.issue_certificates(world.members["admin"], [session])
    assert not Certificate.objects.exists()


def test_refused_when_the_agency_could_not_assess_on_the_last_sitting(world):
    session = final_session(world, 1)
    from agencies.models import DirectoryEntry

    DirectoryEntry.objects.filter(agency=world.gd_agency).update(
        valid_from=clock.today() - dt.timedelta(days=10)
    )
    with pytest.raises(ValidationError) as exc:
        services.issue_certificates(world.members["admin"], [session])
    assert exc.value.code == "agency_not_active"


def test_refused_while_results_are_not_final(world):
    session = final_session(world, 2)
    Result.objects.filter(session=session).filter(
        pk=Result.objects.filter(session=session).first().pk
    ).update(status="on_notice", final_at=None)
    with pytest.raises(ValidationError) as exc:
        services.issue_certificates(world.members["admin"], [session])
    assert exc.value.code == "results_not_final"
    assert not Certificate.objects.exists()


def test_only_the_agency_admin_or_staff_issues(world):
    session = final_session(world, 1)
    for user in (world.members["examiner"], world.gd_official, world.hlj_admin, world.nobody):
        with pytest.raises(PermissionDenied):
            services.issue_certificates(user, [session])
    assert not Certificate.objects.exists()


def test_refused_past_999999_and_never_wrapped(world):
    session = final_session(world, 2)
    key = numbering.counter_key(numbering.scope_for(world.gd_site, clock.today().year, "4"))
    counters.seed(key, 999_998)
    with pytest.raises(ValidationError) as exc:
        services.issue_certificates(world.members["admin"], [session])
    assert exc.value.code == "exhausted"
    assert counters.peek(key) == 999_998 and not Certificate.objects.exists()


def test_a_level_outside_the_rule_is_refused(world):
    site = world.gd_site
    with pytest.raises(ValidationError):
        numbering.scope_for(site, 2026, "6")


def test_queued_batch_runs_and_reports(world, django_capture_on_commit_callbacks):
    session = final_session(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.request_issuance(world.members["admin"], [session], variant="zh-en")
    batch.refresh_from_db()
    assert batch.state == IssuanceState.DONE and batch.done == 3  # eager under tests
    assert set(Certificate.objects.values_list("variant", flat=True)) == {"zh-en"}
    assert services.batch_progress(batch)["percent"] == 100
    assert services.run_batch(batch.pk).done == 3, "a finished batch is left as it is"
    assert Certificate.objects.count() == 3


def test_the_photo_is_frozen_and_survives_a_new_photo(world, settings, tmp_path):
    from tests.certificates.builders import give_photo

    settings.MEDIA_ROOT = tmp_path
    session = final_session(world, 1, failed=0, photo=True)
    services.issue_certificates(world.members["admin"], [session])
    cert = Certificate.objects.get()
    enrolment = cert.result.enrolment
    assert cert.photo_id == enrolment.photo_id is not None
    give_photo(world, enrolment)  # the candidate's photo is replaced later
    cert.refresh_from_db()
    assert cert.photo_id != enrolment.photo_id and cert.photo.file


def test_one_batch_is_one_agencys(world):
    from tests.agencies.builders import list_agency

    ours = final_session(world, 1)
    list_agency(world, world.hlj_agency, world.hlj_admin)
    from assessments.models import AssessmentSession

    theirs = AssessmentSession.objects.get(pk=ours.pk)
    theirs.pk = None
    theirs.agency = world.hlj_agency
    theirs.site = world.hlj_site
    theirs.save()
    refusal = services.issue_refusal([ours, theirs])
    assert refusal and refusal.code == "several_agencies"
