"""The decision letter carries the deciding authority's real name and a document number (文号)
from the authority's yearly series, allocated at decision time (decision 0028)."""

from __future__ import annotations

import shutil

import pytest
from django.utils import timezone

from agencies import services
from agencies.models import AgencyApplication
from agencies.services.vetting import render_decision_letter
from portal import authorities, clock, notices
from portal.models import Authority
from tests.agencies.builders import (
    applicant,
    complete_application,
    electrician_standard,
    published_call,
    uscc,
)
from tests.portal.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def under_review(world, call, n: int):
    user, agency = applicant(f"org_{n}", uscc=uscc(f"91440101MA5CKD7E{n}"), name=f"评价中心{n}")
    application = complete_application(user, agency, call, levels=("4",))
    services.submit_application(user, application, pledge=True)
    official = world.ministry if call.jurisdiction == "000000" else world.gd_official
    services.accept_materials(official, application, use_expert_review=False, use_site_visit=False)
    return official, application


def year() -> int:
    return timezone.localtime(clock.now()).year


@needs_poppler
def test_the_letter_names_the_provincial_authority_and_its_number(
    world, tmp_path, django_capture_on_commit_callbacks
):
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    official, first = under_review(world, call, 0)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.decide(official, first, approve=True, reasons="符合遴选条件。")
    assert first.decision_number == f"粤人社认定〔{year()}〕1号"
    assert AgencyApplication.objects.get(pk=first.pk).decision_number == first.decision_number
    letter = first.decision_letter
    letter.refresh_from_db()
    with letter.file.open("rb") as handle:
        text = pdf_text(handle.read(), tmp_path)
    assert "广东省人力资源和社会保障厅" in text and f"粤人社认定〔{year()}〕1号" in text
    assert "（局）" not in text  # no more placeholder

    _official, second = under_review(world, call, 1)
    second = services.decide(official, second, approve=False, reasons="不符合条件。")
    assert second.decision_number == f"粤人社认定〔{year()}〕2号"


def test_a_renamed_authority_signs_later_letters_only(world):
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    official, first = under_review(world, call, 0)
    first = services.decide(official, first, approve=False, reasons="不符合条件。")
    gd = Authority.objects.get(pk="440000")
    renamed = {"name": "广东省人社厅（新名）", "letter_prefix": "粤人社"}
    authorities.change_authority(world.ministry, gd, **renamed)
    _official, second = under_review(world, call, 1)
    second = services.decide(official, second, approve=False, reasons="不符合条件。")
    assert first.decision_letter.render_params["authority"] == "广东省人力资源和社会保障厅"
    assert second.decision_letter.render_params["authority"] == "广东省人社厅（新名）"
    assert second.decision_number == f"粤人社〔{year()}〕2号"  # one series per authority


def test_a_national_call_is_decided_by_the_ministry(world):
    electrician_standard(world.osta_national)
    call = published_call(world.ministry, jurisdiction="000000", title="全国评价机构征集公告")
    official, application = under_review(world, call, 0)
    decided = services.decide(official, application, approve=False, reasons="不符合条件。")
    assert decided.decision_number == f"人社部认定〔{year()}〕1号"
    params = decided.decision_letter.render_params
    assert params["authority"] == "中华人民共和国人力资源和社会保障部"
    assert params["number"] == decided.decision_number


def test_an_overturned_approval_gets_a_new_letter_and_number(world):
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    official, application = under_review(world, call, 0)
    approved = services.decide(official, application, approve=True, reasons="符合遴选条件。")
    notice = notices.PublicNotice.objects.get(subject=notices.subject_key(approved))
    objection = notices.file_objection(notice, name="异议人", contact="13900000000", content="不足")
    notices.uphold_objection(official, objection, reason="考评人员不足")
    application.refresh_from_db()
    assert application.decision_number == f"粤人社认定〔{year()}〕2号"
    assert application.decision_letter.render_params["number"] == application.decision_number


def test_the_letters_html_before_pdf_has_the_name_and_number(world, monkeypatch):
    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    official, application = under_review(world, call, 0)
    decided = services.decide(official, application, approve=False, reasons="不符合条件。")
    seen = {}
    from portal import pdf

    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, **kw: seen.setdefault("html", html))
    render_decision_letter(decided.decision_letter)
    assert f'<p class="doc-number">粤人社认定〔{year()}〕1号</p>' in seen["html"]
    assert '<p class="signature">广东省人力资源和社会保障厅<br>' in seen["html"]


def test_the_officials_page_shows_the_letters_number(
    client, world, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    electrician_standard(world.osta_national)
    call = published_call(world.gd_official)
    official, application = under_review(world, call, 0)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.decide(official, application, approve=True, reasons="符合遴选条件。")
    client.force_login(official)
    page = client.get(reverse("agencies:vetting_detail", args=[application.pk])).content.decode()
    assert f"（粤人社认定〔{year()}〕1号）" in page
