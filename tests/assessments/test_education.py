"""The education route (Art 18): a candidate eligible through an education rule is 学历待核验
until the agency uploads the diploma and confirms it shows the stated education; the other
routes need no diploma. The roster import marks such rows the same way."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.services import candidates as cs
from assessments.services import imports
from portal import clock
from portal.models import AuditEntry, Document
from tests.assessments.builders import candidate_input, open_session
from tests.assessments.test_roster import row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def diploma(name="毕业证.pdf", data=b"%PDF-1.4\n%%EOF\n"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def by_education(n=1, **over):
    """Senior middle school and 3 years of work: eligible through the education rule only."""
    return candidate_input(
        n, education="senior_middle", started_on=clock.today() - dt.timedelta(days=3 * 366), **over
    )


def test_the_education_route_needs_the_diploma_and_the_confirmation(world):
    session = open_session(world)
    staff = world.members["staff"]
    enrolment = cs.enrol(staff, session, by_education())
    assert enrolment.diploma_required and enrolment.education_pending
    with pytest.raises(ValidationError) as refused:
        cs.confirm_education(staff, enrolment, diploma=None, confirmed=False)
    assert set(refused.value.message_dict) == {"diploma", "confirmed"}
    with pytest.raises(ValidationError) as refused:
        cs.confirm_education(staff, enrolment, diploma=diploma(), confirmed=False)
    assert "confirmed" in refused.value.message_dict
    with pytest.raises(ValidationError):  # not a PDF, JPEG or PNG
        cs.confirm_education(staff, enrolment, diploma=diploma("a.txt", b"hello"), confirmed=True)
    enrolment.refresh_from_db()
    assert enrolment.education_pending and enrolment.diploma_id is None  # nothing half-saved

    done = cs.confirm_education(staff, enrolment, diploma=diploma(), confirmed=True)
    assert not done.education_pending and done.education_confirmed_by == staff
    document = Document.objects.get(pk=done.diploma_id)
    assert document.owner_agency == session.agency
    assert document.owner_jurisdiction == session.site.province_id
    assert document.kind == "candidate_diploma"
    entry = AuditEntry.objects.get(action="assessments.candidate.confirm_education")
    assert entry.object_id == str(enrolment.pk)
    refusal = cs.confirm_education_refusal(done)
    assert refusal and refusal.code == "confirmed"
    with pytest.raises(ValidationError) as again:
        cs.confirm_education(staff, done, diploma=diploma(), confirmed=True)
    assert again.value.messages == [str(refusal)]


def test_other_routes_need_no_diploma(world):
    session = open_session(world)
    enrolment = cs.enrol(world.members["admin"], session, candidate_input(2))  # 6+ years
    assert not enrolment.diploma_required and not enrolment.education_pending
    refusal = cs.confirm_education_refusal(enrolment)
    assert refusal.code == "not_education"
    with pytest.raises(ValidationError) as refused:
        cs.confirm_education(world.members["admin"], enrolment, diploma=diploma(), confirmed=True)
    assert refused.value.messages == [str(refusal)]
    assert str(refusal) == "该考生不是按学历条件申报，无需核验学历证书。"


def test_the_page_shows_pending_confirms_and_refuses_with_the_services_text(client, world):
    session = open_session(world)
    enrolment = cs.enrol(world.members["admin"], session, by_education(3))
    other = cs.enrol(world.members["admin"], session, candidate_input(4))
    client.force_login(world.members["staff"])
    args = [world.gd_agency.pk, session.pk]
    listing = client.get(reverse("assessments:candidates", args=args)).content.decode()
    assert listing.count("学历待核验") == 1
    url = reverse("assessments:candidate_education", args=[*args, enrolment.pk])
    page = client.get(url).content.decode()
    assert "学历待核验" in page and "核验学历" in page
    answer = client.post(url, {"confirmed": "1"})
    assert answer.status_code == 200
    assert "请上传学历证书（PDF、JPEG 或 PNG）。" in answer.content.decode()
    answer = client.post(url, {"diploma": diploma(), "confirmed": "1"})
    assert answer.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.education_confirmed_at is not None
    listing = client.get(reverse("assessments:candidates", args=args)).content.decode()
    assert "学历待核验" not in listing and "学历已核验" in listing
    sheet = load_workbook(io.BytesIO(cs.export_xlsx(session))).active
    column = [r[8] for r in sheet.iter_rows(values_only=True)]
    assert column == ["学历核验", "学历已核验", None]  # the other route: nothing to check
    download = reverse("portal:document_download", args=[enrolment.diploma_id])
    assert download in client.get(url).content.decode()
    assert client.get(download).status_code == 200  # the agency's staff read the diploma
    # Another route: the button is disabled with the service's refusal, a POST is refused.
    url = reverse("assessments:candidate_education", args=[*args, other.pk])
    page = client.get(url).content.decode()
    assert str(cs.confirm_education_refusal(other)) in page
    client.post(url, {"diploma": diploma(), "confirmed": "1"})
    other.refresh_from_db()
    assert other.diploma_id is None and other.education_confirmed_at is None


def test_the_roster_marks_education_rows_as_needing_a_diploma(world):
    session = open_session(world)
    admin = world.members["admin"]
    label = next(k for k, v in imports.education_names().items() if v == "senior_middle")
    three_years = (clock.today() - dt.timedelta(days=3 * 366)).isoformat()
    batch = imports.stage(
        admin, session, xlsx([row(11), row(12, education=label, started_on=three_years)])
    )
    assert batch.error_rows == 0
    assert imports.apply(admin, batch) == 2
    by_row = {e.real_name: e for e in session.enrolments.all()}
    assert not by_row["王考生11"].diploma_required
    assert by_row["王考生12"].education_pending
    cs.confirm_education(admin, by_row["王考生12"], diploma=diploma(), confirmed=True)
    assert not session.enrolments.get(real_name="王考生12").education_pending
