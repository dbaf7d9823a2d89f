"""The candidates' pages: enrol through the form, the roster preview in Chinese column by
column, apply refused with errors and accepted once corrected, the downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Enrolment
from assessments.services import imports
from tests.assessments.builders import candidate_id, open_session
from tests.assessments.test_candidates import _image
from tests.assessments.test_roster import row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _url(name, world, session, *more):
    return reverse(f"assessments:{name}", args=[world.gd_agency.pk, session.pk, *more])


def test_enrol_through_the_form_with_a_photo(client, world):
    session = open_session(world)
    client.force_login(world.members["staff"])
    page = client.get(_url("candidate_new", world, session))
    assert page.status_code == 200
    answer = client.post(
        _url("candidate_new", world, session),
        {
            "real_name": "赵考生",
            "id_type": "resident_id",
            "id_number": candidate_id(9),
            "phone": "13800138000",
            "employer_uscc": "91440300MA5F8G9H2K",
            "started_on": "2015-01-01",
            "photo": SimpleUploadedFile("p.jpg", _image()),
        },
        follow=True,
    )
    assert "累计从事本职业6年" in answer.content.decode()
    enrolment = Enrolment.objects.get()
    assert enrolment.photo is not None
    listing = client.get(_url("candidates", world, session)).content.decode()
    assert "赵考生" in listing and candidate_id(9) not in listing


def test_an_ineligible_candidate_is_told_what_is_missing(client, world):
    session = open_session(world)
    client.force_login(world.members["admin"])
    page = client.post(
        _url("candidate_new", world, session),
        {"real_name": "钱考生", "id_type": "resident_id", "id_number": candidate_id(8),
         "phone": "13800138000", "employer_uscc": "91440300MA5F8G9H2K"},
    )  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 200 and "不符合本等级的申报条件" in text
    assert "累计从事本职业6年" in text and not Enrolment.objects.exists()


def test_roster_with_errors_then_corrected(client, world):
    session = open_session(world)
    client.force_login(world.members["admin"])
    bad = imports.template([row(1), row(2, phone="12"), row(3, id_number=int(candidate_id(3)))])
    answer = client.post(
        _url("roster_new", world, session), {"roster": SimpleUploadedFile("名单.xlsx", bad)}
    )
    assert answer.status_code == 302
    preview = client.get(answer["Location"]).content.decode()
    assert "请将证件号码列设为文本" in preview and "手机号码" in preview
    assert "第 3 行" in preview and "2 行有错误" in preview
    batch = session.roster_batches.get()
    refused = client.post(_url("roster_apply", world, session, batch.pk), follow=True)
    assert "2 行存在错误" in refused.content.decode() and not Enrolment.objects.exists()
    report = client.get(_url("roster_errors", world, session, batch.pk))
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd")
    good = imports.template([row(1), row(2), row(3)])
    answer = client.post(
        _url("roster_new", world, session), {"roster": SimpleUploadedFile("名单.xlsx", good)}
    )
    fixed = session.roster_batches.order_by("-pk").first()
    done = client.post(_url("roster_apply", world, session, fixed.pk), follow=True)
    assert "已从名单导入 3 名考生" in done.content.decode()
    assert session.enrolments.count() == 3
    export = client.get(_url("candidates_export", world, session))
    assert export.status_code == 200
    template = client.get(_url("roster_template", world, session))
    assert template.status_code == 200


def test_the_demo_sample_roster_has_three_bad_rows(world):
    from assessments.demo import sample_roster

    session = open_session(world)
    batch = imports.stage(
        world.members["admin"], session, SimpleUploadedFile("s.xlsx", sample_roster())
    )
    bad = {r.number: set(r.errors) for r in batch.rows.all() if r.errors}
    assert batch.total_rows == 8
    assert bad == {7: {"id_number"}, 8: {"id_number"}, 9: {"eligibility"}}


def test_officials_of_the_province_read_the_candidates_others_get_404(client, world):
    from assessments.services import candidates as cs
    from tests.assessments.builders import candidate_input

    session = open_session(world)
    inp = candidate_input(4)
    cs.enrol(world.members["admin"], session, inp)
    url = reverse("assessments:plan_candidates", args=[session.pk])
    client.force_login(world.gd_official)
    text = client.get(url).content.decode()
    assert "李考生4" in text and inp.id_number not in text
    client.force_login(world.hlj_official)
    assert client.get(url).status_code == 404


def test_the_audit_trail_links_an_enrolment_for_whom_may_open_it(world):
    from assessments.services import candidates as cs
    from portal import audit
    from tests.assessments.builders import candidate_input

    session = open_session(world)
    enrolment = cs.enrol(world.members["admin"], session, candidate_input(5))
    staff = audit.object_url(world.members["staff"], "assessments.enrolment", str(enrolment.pk))
    assert staff == _url("candidates", world, session)
    official = audit.object_url(world.gd_official, "assessments.enrolment", str(enrolment.pk))
    assert official == reverse("assessments:plan_candidates", args=[session.pk])
    assert audit.object_url(world.hlj_official, "assessments.enrolment", str(enrolment.pk)) is None
