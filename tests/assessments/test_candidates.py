"""Candidates (Art 16, 18): enrolment one by one with its refusals, eligibility by the frozen
rules, the employer agency's own staff, withdrawal, the photo, the export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from agencies.models import AffiliatedEmployer, AffiliateStatus
from assessments.models import AssessmentSession, Candidate, Enrolment, EnrolmentStatus
from assessments.services import candidates as cs
from assessments.services import eligibility
from portal import clock
from portal.models import AgencyKind, AuditEntry
from tests.assessments.builders import CANDIDATE_RULES, candidate_input, open_session

pytestmark = pytest.mark.django_db

RULES = CANDIDATE_RULES
OTHER_EMPLOYER = "91440101MA59ABCD1X"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def person(n: int = 1, **overrides) -> cs.CandidateInput:
    return candidate_input(n, **overrides)


# --- Eligibility: which route, or what is missing ---------------------------------------------


def test_eligibility_names_the_route_or_what_each_route_misses():
    on = dt.date(2026, 6, 1)
    by_years = eligibility.evaluate(RULES, eligibility.Facts(started_on=dt.date(2019, 1, 1)), on=on)
    assert by_years.eligible and by_years.route["route"] == "total_years"
    by_level = eligibility.evaluate(
        RULES,
        eligibility.Facts(prior_level="5", prior_date=dt.date(2022, 5, 1)),
        on=on,
    )
    assert by_level.route["route"] == "prior_level"
    none = eligibility.evaluate(
        RULES,
        eligibility.Facts(education="junior_middle", started_on=dt.date(2025, 1, 1)),
        on=on,
    )
    assert not none.eligible
    text = none.explanation()
    assert [label for label, _ in none.missing] == [r["label"] for r in RULES]
    assert "五级" in text and "6" in text


def test_a_certificate_too_recent_or_too_low_says_so():
    on = dt.date(2026, 6, 1)
    recent = eligibility.missing_for(
        RULES[0], eligibility.Facts(prior_level="5", prior_date=dt.date(2025, 1, 1)), on=on
    )
    higher_level = eligibility.missing_for(
        RULES[0], eligibility.Facts(prior_level="4", prior_date=dt.date(2020, 1, 1)), on=on
    )
    assert len(recent) == 1 and higher_level == []
    assert eligibility.full_years(dt.date(2023, 6, 2), on) == 2


# --- Enrolment ---------------------------------------------------------------------------------


def test_enrolment_records_the_route_and_keeps_no_id_number_in_the_audit(world):
    session = open_session(world)
    inp = person()
    enrolment = cs.enrol(world.members["admin"], session, inp)
    assert enrolment.eligible_by == "累计从事本职业6年"
    candidate = enrolment.candidate
    assert candidate.gender == "M" and candidate.birth_date == dt.date(1990, 1, 1)
    assert candidate.masked_id.startswith("440") and inp.id_number not in candidate.masked_id
    entry = AuditEntry.objects.get(action="assessments.candidate.enrol")
    assert inp.id_number not in str(entry.changes) and inp.id_number[:14] not in str(entry.changes)


def test_the_same_person_is_one_record_across_sessions(world):
    first, second = open_session(world), open_session(world)
    cs.enrol(world.members["admin"], first, person())
    cs.enrol(world.members["staff"], second, person(id_number=person().id_number.lower()))
    assert Candidate.objects.count() == 1
    assert Enrolment.objects.filter(candidate__isnull=False).count() == 2


def test_refusals_second_enrolment_full_session_registration_not_open(world):
    session = open_session(world, capacity=1)
    admin = world.members["admin"]
    cs.enrol(admin, session, person())
    with pytest.raises(ValidationError) as full:
        cs.enrol(admin, session, person(2))
    assert full.value.code == "full"
    roomy = open_session(world)
    cs.enrol(admin, roomy, person())
    with pytest.raises(ValidationError) as again:
        cs.enrol(admin, roomy, person())
    assert "id_number" in again.value.message_dict
    closed = open_session(world, registration_closes=clock.today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as shut:
        cs.enrol(admin, closed, person(3))
    assert shut.value.code == "not_open"
    asked = open_session(world, awaiting_answer=True)
    assert cs.enrolment_refusal(asked).code == "not_open"


def test_an_ineligible_candidate_is_not_enrolled_and_told_what_is_missing(world):
    session = open_session(world)
    with pytest.raises(ValidationError) as exc:
        cs.enrol(world.members["admin"], session, person(started_on=clock.today()))
    assert exc.value.code == "ineligible"
    assert not Enrolment.objects.exists() and not Candidate.objects.exists()


def test_a_bad_id_check_character_is_refused(world):
    bad = person().id_number[:-1] + ("0" if person().id_number[-1] != "0" else "1")
    with pytest.raises(ValidationError):
        cs.enrol(world.members["admin"], open_session(world), person(id_number=bad))


# --- Art 16: an employer agency enrols its own staff -------------------------------------------


def _as_employer(world):
    world.gd_agency.kind = AgencyKind.EMPLOYER
    world.gd_agency.save(update_fields=["kind"])


def test_a_social_organisation_enrols_anyone(world):
    session = open_session(world)
    cs.enrol(world.members["admin"], session, person(employer_uscc=OTHER_EMPLOYER))
    assert session.enrolments.count() == 1


def test_an_employer_agency_enrols_only_its_own_staff(world):
    _as_employer(world)
    session = open_session(world)
    admin = world.members["admin"]
    with pytest.raises(ValidationError) as exc:
        cs.enrol(admin, session, person(employer_uscc=OTHER_EMPLOYER))
    assert "employer_uscc" in exc.value.message_dict
    cs.enrol(admin, session, person(1))  # the agency's own USCC
    # dispatched staff: the unit where the person works is the agency
    cs.enrol(
        admin,
        session,
        person(
            2, employer_uscc=OTHER_EMPLOYER, dispatched=True, work_unit_uscc=world.gd_agency.uscc
        ),
    )
    assert session.enrolments.count() == 2


def test_a_confirmed_affiliate_counts_as_own_staff_a_declared_one_does_not(world):
    _as_employer(world)
    session = open_session(world)
    admin = world.members["admin"]
    affiliate = AffiliatedEmployer.objects.create(
        agency=world.gd_agency,
        name="子公司",
        uscc=OTHER_EMPLOYER,
        relation="全资子公司",
        status=AffiliateStatus.PENDING,
        declared_by=admin,
        declared_at=clock.now(),
    )
    assert cs.own_staff_refusal(session, [OTHER_EMPLOYER]).code == "not_own_staff"
    affiliate.status = AffiliateStatus.CONFIRMED
    affiliate.decided_by = world.gd_official
    affiliate.decided_at = clock.now()
    affiliate.save()
    cs.enrol(admin, session, person(employer_uscc=OTHER_EMPLOYER))


# --- Withdrawal --------------------------------------------------------------------------------


def test_withdrawal_keeps_the_reason_and_frees_the_place(world):
    session = open_session(world, capacity=1)
    admin = world.members["admin"]
    enrolment = cs.enrol(admin, session, person())
    with pytest.raises(ValidationError):
        cs.withdraw(admin, enrolment, reason=" ")
    cs.withdraw(admin, enrolment, reason="本人申请退出")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert enrolment.withdrawal_reason == "本人申请退出"
    assert cs.withdrawal_refusal(enrolment).code == "withdrawn"
    cs.enrol(admin, session, person(2))  # the place is free again
    assert AuditEntry.objects.filter(action="assessments.candidate.withdraw").count() == 1


def test_no_withdrawal_once_the_sitting_began(world):
    session = open_session(world, first_sitting_on=clock.today() + dt.timedelta(days=1))
    enrolment = cs.enrol(world.members["admin"], session, person())
    AssessmentSession.objects.filter(pk=session.pk).update(first_sitting_on=clock.today())
    enrolment.refresh_from_db()
    assert cs.withdrawal_refusal(enrolment).code == "sat"


def test_another_agency_cannot_enrol(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        cs.enrol(world.hlj_admin, open_session(world), person())


# --- The photo ---------------------------------------------------------------------------------


def _image(size=(300, 420), kind="JPEG", exif=True) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, "white")
    if exif and kind == "JPEG":
        data = Image.Exif()
        data[0x010F] = "CameraMaker"
        image.save(out, kind, exif=data)
    else:
        image.save(out, kind)
    return out.getvalue()


def test_photo_checks_and_reencoding():
    jpeg = cs.check_photo(_image())
    assert b"CameraMaker" in _image() and b"CameraMaker" not in jpeg
    assert Image.open(io.BytesIO(cs.check_photo(_image(kind="PNG", exif=False)))).format == "JPEG"
    for bad, code in [
        (_image((200, 300)), "photo_small"),
        (_image((500, 400)), "photo_shape"),
        (b"GIF89a" + b"0" * 100, "photo_type"),
        (b"0" * (2 * 1024 * 1024 + 1), "photo_size"),
    ]:
        with pytest.raises(ValidationError) as exc:
            cs.check_photo(bad)
        assert exc.value.code == code


def test_the_photo_is_stored_as_a_document_of_the_session(world):
    session = open_session(world)
    enrolment = cs.enrol(world.members["admin"], session, person(photo=cs.check_photo(_image())))
    assert enrolment.photo.subject == f"assessments.assessmentsession:{session.pk}"
    assert enrolment.photo.owner_jurisdiction == "440000"


def test_export_lists_the_candidates_with_masked_ids(world):
    from openpyxl import load_workbook

    session = open_session(world)
    inp = person()
    cs.enrol(world.members["admin"], session, inp)
    sheet = load_workbook(io.BytesIO(cs.export_xlsx(session))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "姓名" and rows[1][1] == "李考生1"
    assert inp.id_number not in str(rows)


def test_a_cancelled_session_tells_its_enrolled_candidates_by_e_mail(
    world, django_capture_on_commit_callbacks
):
    from django.core import mail

    from assessments import services

    session = open_session(world)
    admin = world.members["admin"]
    cs.enrol(admin, session, person(1, email="one@example.com"))
    gone = cs.enrol(admin, session, person(2, email="two@example.com"))
    cs.enrol(admin, session, person(3, email=""))
    cs.withdraw(admin, gone, reason="本人申请退出")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(admin, session, reason="考场检修")
    assert sorted(address for m in mail.outbox for address in m.to) == ["one@example.com"]
    assert "考场检修" in mail.outbox[0].body
