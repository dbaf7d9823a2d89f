"""Examiners and quality supervisors (Art 19, 23): qualification ranges, one record across
agencies, suspension by the testing centre everywhere, training, retirement, access."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import Engagement, QualificationStatus
from catalog.models import Occupation, SkillLevel
from portal import clock
from portal.models import AuditEntry
from tests.assessments.builders import person_input, resident_id
from tests.portal.builders import make_user


def levels(*codes):
    found = SkillLevel.objects.in_bulk(list(codes))
    return [found[c] for c in codes]


def electrician(low: str, high: str):
    lowest, highest = levels(low, high)
    return services.OccupationRange(Occupation.objects.get(code="6-31-01-03"), lowest, highest)


def add(world, **overrides):
    engagement, _created = services.add_person(
        world.members["admin"], world.gd_agency, "examiner", person_input(**overrides)
    )
    return engagement


def test_an_assessor_covers_levels_5_to_3_and_a_senior_all_levels(world):
    with pytest.raises(ValidationError) as refused:
        add(world, occupations=[electrician("5", "2")])
    assert "高级考评员" in str(refused.value.message_dict["occupations"])
    with pytest.raises(ValidationError) as refused:
        add(world, occupations=[electrician("3", "5")])
    assert refused.value.message_dict["occupations"]
    assert Engagement.objects.count() == 0  # nothing half-saved
    senior = add(world, grade="senior", occupations=[electrician("5", "1")])
    record = senior.examiner
    occupation = Occupation.objects.get(code="6-31-01-03")
    (level1,) = levels("1")
    assert services.serving_refusal(record, occupation=occupation, level=level1) is None
    other = Occupation.objects.exclude(pk=occupation.pk).first()
    assert services.serving_refusal(record, occupation=other, level=level1).code == "not_covered"


def test_bad_id_and_dates_are_refused_at_their_fields(world):
    with pytest.raises(ValidationError) as refused:
        add(world, id_number=resident_id()[:-1] + "0" if not resident_id().endswith("0") else "1")
    assert "id_number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add(world, valid_until=clock.today() - dt.timedelta(days=1))
    assert "valid_until" in refused.value.message_dict


def test_the_same_person_is_one_record_each_agency_its_own_use(world):
    mine = add(world)
    theirs, created = services.add_person(
        world.hlj_admin, world.hlj_agency, "examiner", person_input()
    )
    assert not created and theirs.examiner_id == mine.examiner_id
    with pytest.raises(ValidationError) as refused:
        services.add_person(world.hlj_admin, world.hlj_agency, "examiner", person_input())
    assert "id_number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.add_person(
            world.hlj_admin, world.hlj_agency, "examiner", person_input(real_name="李四")
        )
    assert "real_name" in refused.value.message_dict
    # Retiring in one agency leaves the other's use as it is.
    services.retire(world.hlj_admin, theirs)
    mine.refresh_from_db()
    assert mine.retired_on is None
    assert services.retirement_refusal(Engagement.objects.get(pk=theirs.pk)).code == "retired"


def test_suspension_by_the_testing_centre_takes_effect_in_every_agency(world):
    mine = add(world)
    theirs, _ = services.add_person(world.hlj_admin, world.hlj_agency, "examiner", person_input())
    hlj_centre = make_user("osta_hlj", role="osta_staff", jurisdiction="230000")
    with pytest.raises(PermissionDenied):
        services.suspend(hlj_centre, mine.examiner, reason="不属本省")
    with pytest.raises(ValidationError):
        services.suspend(world.osta_gd, mine.examiner, reason="  ")
    services.suspend(world.osta_gd, mine.examiner, reason="违规评分，暂停资格。")
    for engagement in (mine, theirs):
        record = Engagement.objects.get(pk=engagement.pk).examiner
        assert record.status == QualificationStatus.SUSPENDED
        assert "违规评分" in services.serving_refusal(record)
    entry = AuditEntry.objects.filter(action="assessments.examiner.suspend").get()
    assert entry.changes["reason"] == [None, "违规评分，暂停资格。"]
    with pytest.raises(ValidationError):
        services.suspend(world.osta_national, mine.examiner, reason="再次")
    services.reinstate(world.osta_national, mine.examiner)
    assert services.serving_refusal(Engagement.objects.get(pk=theirs.pk).examiner) is None


def test_training_is_recorded_and_checked(world):
    engagement = add(world)
    with pytest.raises(ValidationError) as refused:
        services.add_training(
            world.members["admin"],
            engagement,
            held_on=clock.today() + dt.timedelta(days=1),
            hours=Decimal("0"),
            organiser="",
            topic="评分规范",
        )
    assert set(refused.value.message_dict) == {"held_on", "hours", "organiser"}
    training = services.add_training(
        world.members["admin"],
        engagement,
        held_on=clock.today(),
        hours=Decimal("8"),
        organiser="广东省鉴定中心",
        topic="评分规范",
    )
    assert training.examiner_id == engagement.examiner_id and training.agency == world.gd_agency
    entry = AuditEntry.objects.filter(action="assessments.examiner.training").get()
    assert entry.changes["hours"] == [None, "8"]


def test_only_the_agency_admin_changes_people(world):
    with pytest.raises(PermissionDenied):
        services.add_person(world.members["staff"], world.gd_agency, "examiner", person_input())
    engagement = add(world)
    with pytest.raises(PermissionDenied):
        services.retire(world.hlj_admin, engagement)
    with pytest.raises(PermissionDenied):
        services.edit_person(world.members["examiner"], engagement, person_input())


def test_no_audit_entry_holds_the_id_number(world):
    add(world)
    services.add_person(world.hlj_admin, world.hlj_agency, "examiner", person_input())
    for entry in AuditEntry.objects.filter(action__startswith="assessments."):
        assert resident_id() not in str(entry.changes)


def test_the_agency_pages_and_the_registry(client, world):
    engagement = add(world, username="gd_examiner")
    client.force_login(world.members["staff"])
    page = client.get(reverse("assessments:people", args=[world.gd_agency.pk])).content.decode()
    assert "张考评" in page and "添加考评员" not in page
    detail = reverse("assessments:person", args=[world.gd_agency.pk, engagement.pk])
    page = client.get(detail).content.decode()
    assert "440***********" in page and resident_id() not in page
    client.force_login(world.hlj_admin)
    assert client.get(detail).status_code == 404
    client.force_login(world.osta_gd)
    page = client.get(reverse("assessments:registry")).content.decode()
    assert "张考评" in page and resident_id() not in page
    client.force_login(world.members["examiner"])
    page = client.get(reverse("assessments:my_qualifications")).content.decode()
    assert "张考评" in page and "广东测试评价中心" in page


def test_the_add_form_reads_gender_and_birth_date_from_the_id(client, world):
    client.force_login(world.members["admin"])
    url = reverse("assessments:person_add", args=[world.gd_agency.pk, "examiner"])
    data = {
        "real_name": "王考评",
        "id_type": "resident_id",
        "id_number": resident_id("44010619850606002"),
        "grade": "examiner",
        "province": "440000",
        "qualification_number": "GD-1",
        "valid_from": "2026-01-01",
        "valid_until": "2029-01-01",
        "occupation_1": "6-31-01-03",
        "lowest_1": "5",
        "highest_1": "2",
    }
    page = client.post(url, data).content.decode()
    assert "高级考评员" in page  # the range is refused at the occupation row
    data["highest_1"] = "3"
    response = client.post(url, data)
    assert response.status_code == 302
    record = Engagement.objects.get(agency=world.gd_agency).examiner
    assert record.gender == "F" and record.birth_date == dt.date(1985, 6, 6)


def test_qualifications_ending_within_30_days_are_a_to_do(client, world):
    add(world)
    ending = clock.today() + dt.timedelta(days=12)
    add(world, id_number=resident_id("44010619900101002"), real_name="刘将到期", valid_until=ending)
    client.force_login(world.osta_gd)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "资格即将到期" in page and "辖区内 1 人的资格将在 30 天内到期" in page
    listed = client.get(reverse("assessments:registry") + "?ending=1").content.decode()
    assert "刘将到期" in listed and "张考评" not in listed
    client.force_login(world.hlj_official)  # not their jurisdiction: neither panel nor rows
    assert "刘将到期" not in client.get(reverse("assessments:registry")).content.decode()
    client.force_login(world.members["admin"])
    page = client.get(reverse("portal:agency_home", args=[world.gd_agency.pk])).content.decode()
    assert "本机构 1 人的资格将在 30 天内到期" in page


def test_a_supervisor_is_added_with_the_account_and_sees_it(client, world):
    client.force_login(world.members["admin"])
    url = reverse("assessments:person_add", args=[world.gd_agency.pk, "supervisor"])
    assert "occupation_1" not in client.get(url).content.decode()
    data = {
        "real_name": "周督导",
        "id_type": "resident_id",
        "id_number": resident_id("44010619791111003"),
        "username": "gd_examiner",  # not a quality supervisor here
        "province": "440000",
        "qualification_number": "GD-DD-1",
        "valid_from": "2026-01-01",
        "valid_until": "2029-01-01",
    }
    assert "本机构没有该用户名且角色为" in client.post(url, data).content.decode()
    assert not Engagement.objects.exists()
    data["username"] = "gd_quality_supervisor"
    assert client.post(url, data).status_code == 302
    client.force_login(world.members["quality_supervisor"])
    page = client.get(reverse("assessments:my_qualifications")).content.decode()
    assert "周督导" in page and "GD-DD-1" in page


def test_the_audit_trail_links_the_record_for_who_may_open_it(world):
    from portal import audit

    engagement = add(world)
    pk = str(engagement.examiner_id)
    assert audit.object_url(world.osta_gd, "assessments.examiner", pk).endswith(
        f"/workspace/people/examiner/{pk}/"
    )
    assert audit.object_url(world.members["staff"], "assessments.examiner", pk).endswith(
        f"/people/{engagement.pk}/"
    )
    assert audit.object_url(world.hlj_admin, "assessments.examiner", pk) is None


def test_another_agencys_scan_is_named_not_linked(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("证书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    mine = add(world, document=scan)
    theirs, _ = services.add_person(world.hlj_admin, world.hlj_agency, "examiner", person_input())
    doc = mine.examiner.qualification_document
    link = reverse("portal:document_download", args=[doc.pk])
    client.force_login(world.members["admin"])
    page = client.get(reverse("assessments:person", args=[world.gd_agency.pk, mine.pk]))
    assert link in page.content.decode()
    client.force_login(world.hlj_admin)
    page = client.get(reverse("assessments:person", args=[world.hlj_agency.pk, theirs.pk]))
    assert page.status_code == 200 and link not in page.content.decode()
