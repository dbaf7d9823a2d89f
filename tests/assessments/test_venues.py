"""Venues (Art 12 (3), 19): declared by the agency with rooms, a lease of at least a year and
video surveillance; verified by the authority of the site's province; back to verification when
the rooms change or the lease ends; reached only by whom the access rules name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import queries, services
from assessments.models import Room, RoomKind, Venue, VenueStatus
from portal import access, clock
from portal.jobs import periodic
from portal.models import (
    Agency,
    AgencyKind,
    AgencyMembership,
    AgencySite,
    AgencyStatus,
    AuditEntry,
    Document,
)
from tests.assessments.builders import (
    declared_venue,
    lease,
    pdf,
    rooms,
    venue_fields,
    verified_venue,
)
from tests.portal.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # lease contracts and verification records


def _entries(venue, action):
    return AuditEntry.objects.filter(
        object_type="assessments.venue", object_id=str(venue.pk), action=action
    )


# --- Declaring: the lease runs at least a year, nothing half-saved -----------------------------


def test_a_lease_shorter_than_a_year_is_refused_at_its_field_and_nothing_is_saved(world):
    documents_before = Document.objects.count()
    with pytest.raises(ValidationError) as refused:
        declared_venue(world, **lease(days=364))
    assert list(refused.value.message_dict) == ["lease_ends"]
    assert "不得少于一年" in refused.value.message_dict["lease_ends"][0]
    assert not Venue.objects.exists() and not Room.objects.exists()
    assert Document.objects.count() == documents_before


def test_a_lease_of_a_year_is_kept_with_its_contract_owned_by_the_sites_province(world):
    starts = clock.today() - dt.timedelta(days=10)
    venue = declared_venue(
        world,
        tenure="leased",
        lease_starts=starts,
        lease_ends=starts.replace(year=starts.year + 1),
        lease_upload=pdf(),
    )
    assert venue.status == VenueStatus.TO_VERIFY
    doc = venue.lease_document
    assert (doc.owner_agency, doc.owner_jurisdiction, doc.subject) == (
        world.gd_agency,
        "440000",
        f"assessments.venue:{venue.pk}",
    )


def test_a_leased_venue_needs_its_contract(world):
    fields = lease()
    fields.pop("lease_upload")
    with pytest.raises(ValidationError) as refused:
        declared_venue(world, **fields)
    assert "lease_document" in refused.value.message_dict


def test_a_bad_room_refuses_the_whole_venue(world):
    bad = [
        services.RoomData("技能考场", RoomKind.SKILL, 10, 2),
        services.RoomData("理论", RoomKind.THEORY, 30, 0),
    ]
    with pytest.raises(ValidationError) as refused:
        services.create_venue(world.members["admin"], world.gd_site, rooms=bad, **venue_fields())
    problems = refused.value.message_dict["rooms"]
    assert len(problems) == 2  # the skill room names no occupation; a room has no camera
    assert not Venue.objects.exists()


def test_a_refused_change_of_rooms_keeps_the_rooms_as_they_were(world):
    venue = declared_venue(world)
    before = sorted(venue.rooms.values_list("name", "places"))
    duplicate = [*rooms(skill_places=30), services.RoomData("理论考场 1", RoomKind.THEORY, 10, 1)]
    with pytest.raises(ValidationError):
        services.update_venue(world.members["admin"], venue, rooms=duplicate, **venue_fields())
    assert sorted(venue.rooms.values_list("name", "places")) == before


def test_only_the_agencys_admin_and_staff_declare(world):
    with pytest.raises(PermissionDenied):
        declared_venue(world, actor=world.members["examiner"])
    with pytest.raises(PermissionDenied):
        declared_venue(world, actor=world.hlj_admin)
    assert declared_venue(world, actor=world.members["staff"]).pk


# --- Verification and its reset ----------------------------------------------------------------


def test_the_sites_province_verifies_and_the_venue_takes_sessions(world):
    venue = declared_venue(world)
    assert not queries.verified_venues(world.gd_agency).exists()
    with pytest.raises(PermissionDenied):
        services.verify_venue(world.hlj_official, venue)
    services.verify_venue(
        world.gd_official, venue, remarks="现场核验通过", record_upload=pdf("record.pdf")
    )
    venue.refresh_from_db()
    assert (venue.status, venue.verified_by, venue.verified_on) == (
        VenueStatus.VERIFIED,
        world.gd_official,
        clock.today(),
    )
    assert venue.verification_record.owner_jurisdiction == "440000"
    assert list(queries.verified_venues(world.gd_agency)) == [venue]
    assert services.verification_refusal(venue, world.gd_official)
    with pytest.raises(ValidationError):
        services.refuse_venue(world.gd_official, venue, reason="晚了")


def test_a_refusal_needs_a_reason_and_a_correction_puts_the_venue_back_in_the_queue(world):
    venue = declared_venue(world)
    with pytest.raises(ValidationError) as refused:
        services.refuse_venue(world.osta_gd, venue, reason="  ")
    assert "reason" in refused.value.message_dict
    services.refuse_venue(world.osta_gd, venue, reason="技能考场工位不足")
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.REFUSED
    services.update_venue(
        world.members["admin"], venue, rooms=rooms(skill_places=20), **venue_fields()
    )
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.TO_VERIFY


def test_a_verified_venue_whose_rooms_change_is_verified_again(world):
    venue = verified_venue(world)
    admin = world.members["admin"]
    services.update_venue(admin, venue, rooms=rooms(), **venue_fields())  # nothing changed
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.VERIFIED
    assert not _entries(venue, "assessments.venue.change").exists()
    services.update_venue(admin, venue, rooms=rooms(skill_places=20), **venue_fields())
    venue.refresh_from_db()
    assert venue.status == VenueStatus.TO_VERIFY
    assert list(venue.rooms.filter(kind=RoomKind.SKILL).values_list("places", flat=True)) == [20]
    entry = _entries(venue, "assessments.venue.change").get()
    assert entry.changes["reason"] == [None, "房间有变化"]
    assert entry.changes["status"] == ["verified", "to_verify"]
    assert not queries.verified_venues(world.gd_agency).exists()


def test_a_verified_venue_whose_lease_ends_returns_to_verification(world):
    venue = verified_venue(world, **lease(days=400))
    ends = venue.lease_ends
    assert list(queries.verified_venues(world.gd_agency, on=ends)) == [venue]
    assert not queries.verified_venues(world.gd_agency, on=ends + dt.timedelta(days=1)).exists()
    job = periodic.jobs()["assessments.reset_ended_leases"]
    with clock.frozen(ends):
        assert job.func() == 0
    with clock.frozen(ends + dt.timedelta(days=1)):
        assert job.func() == 1
        assert job.func() == 0  # a second run finds nothing
    venue.refresh_from_db()
    assert venue.status == VenueStatus.TO_VERIFY
    entry = _entries(venue, "assessments.venue.lease_ended").get()
    assert entry.actor_id is None and ends.isoformat() in entry.changes["reason"][1]
    with clock.frozen(ends + dt.timedelta(days=1)):
        # Not verified again on an ended lease; refused, the agency uploads the new one.
        assert services.verification_refusal(venue).code == "lease_ended"
        with pytest.raises(ValidationError):
            services.verify_venue(world.gd_official, venue)
        services.refuse_venue(world.gd_official, venue, reason="租约已到期，请上传新租约。")


# --- Access ------------------------------------------------------------------------------------


def _get(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_the_agency_pages_are_its_admin_and_staffs(client, world):
    venue = declared_venue(world)
    url = reverse("assessments:venue", args=[world.gd_agency.pk, venue.pk])
    assert _get(client, world.members["admin"], url) == 200
    assert _get(client, world.members["staff"], url) == 200
    assert _get(client, world.members["examiner"], url) == 403
    assert _get(client, world.hlj_admin, url) == 404
    other = reverse("assessments:venue", args=[world.hlj_agency.pk, venue.pk])
    assert _get(client, world.hlj_admin, other) == 404  # another agency's venue under one's own


def test_officials_of_the_sites_province_and_national_ones_read_others_do_not(client, world):
    venue = declared_venue(world)
    url = reverse("assessments:venue_review", args=[venue.pk])
    for user in (world.gd_official, world.osta_gd, world.ministry, world.osta_national):
        assert _get(client, user, url) == 200, user
    assert _get(client, world.hlj_official, url) == 404
    assert _get(client, world.members["admin"], url) == 403
    assert _get(client, world.expert, url) == 403
    queue = reverse("assessments:venue_queue")
    client.force_login(world.hlj_official)
    assert venue.name not in client.get(queue).content.decode()
    client.force_login(world.gd_official)
    assert venue.name in client.get(queue).content.decode()


def test_a_nationwide_agencys_site_documents_reach_the_sites_province_only(client, world):
    nationwide = Agency.objects.create(
        name="全国测试评价机构",
        uscc="91110108MA01RT7Y5G",
        kind=AgencyKind.SOCIAL_ORG,
        registered_province_id="110000",
        filing_jurisdiction="000000",
        agency_code="0042",
        status=AgencyStatus.LISTED,
    )
    site = AgencySite.objects.create(
        agency=nationwide, name="广州站", province_id="440000", address="广州"
    )
    admin = make_user("nationwide_admin")
    AgencyMembership.objects.create(user=admin, agency=nationwide, role="admin")
    venue = declared_venue(world, site=site, actor=admin, **lease())
    services.verify_venue(world.gd_official, venue, record_upload=pdf("record.pdf"))
    venue.refresh_from_db()
    for doc in (venue.lease_document, venue.verification_record):
        assert access.can(world.gd_official, "portal.document.download", doc)
        assert access.can(world.osta_gd, "portal.document.download", doc)
        assert access.can(admin, "portal.document.download", doc)
        assert not access.can(world.hlj_official, "portal.document.download", doc)
        assert not access.can(world.members["admin"], "portal.document.download", doc)
        assert access.visible(world.gd_official, Document.objects.filter(pk=doc.pk)).exists()
        url = reverse("portal:document_download", args=[doc.pk])
        assert _get(client, world.gd_official, url) == 200
        assert _get(client, world.hlj_official, url) == 404


def test_the_officials_panel_counts_the_waiting_venues(client, world):
    declared_venue(world)
    client.force_login(world.gd_official)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "待核验的考核场地" in page and reverse("assessments:venue_queue") in page


def test_the_audit_trail_links_a_venue_for_whom_may_open_it(world):
    from portal import audit

    venue = declared_venue(world)
    pk = str(venue.pk)
    assert audit.object_url(world.gd_official, "assessments.venue", pk) == reverse(
        "assessments:venue_review", args=[venue.pk]
    )
    assert audit.object_url(world.members["staff"], "assessments.venue", pk) == reverse(
        "assessments:venue", args=[world.gd_agency.pk, venue.pk]
    )
    assert audit.object_url(world.hlj_official, "assessments.venue", pk) is None
    assert audit.object_url(world.hlj_admin, "assessments.venue", pk) is None


def test_the_agencys_panel_counts_its_venues_by_status(client, world):
    venue = declared_venue(world)
    services.refuse_venue(world.gd_official, venue, reason="工位不足")
    declared_venue(world, name="第二考点")
    client.force_login(world.members["staff"])
    page = client.get(reverse("portal:agency_home", args=[world.gd_agency.pk])).content.decode()
    assert "已核验 0 个，待核验 1 个，未通过 1 个。" in page


def _form_data(venue, rooms_rows) -> dict:
    data = {
        "name": venue.name,
        "address": venue.address,
        "tenure": venue.tenure,
        "recordings_kept_days": str(venue.recordings_kept_days),
        "recordings_stored_at": venue.recordings_stored_at,
        "rooms-TOTAL_FORMS": str(len(rooms_rows)),
        "rooms-INITIAL_FORMS": "0",
        "rooms-MIN_NUM_FORMS": "0",
        "rooms-MAX_NUM_FORMS": "60",
    }
    for n, row in enumerate(rooms_rows):
        data.update({f"rooms-{n}-{key}": value for key, value in row.items()})
    return data


def test_the_edit_page_shows_the_rooms_and_a_change_sends_the_venue_back(client, world):
    venue = verified_venue(world)
    url = reverse("assessments:venue_edit", args=[world.gd_agency.pk, venue.pk])
    client.force_login(world.members["admin"])
    page = client.get(url).content.decode()
    assert 'value="技能考场 1"' in page and 'value="6-31-01-03"' in page
    theory = {"name": "理论考场 1", "kind": "theory", "places": "40", "cameras": "2"}
    skill = {"name": "技能考场 1", "kind": "skill", "places": "16", "cameras": "3"}
    # A skill room without occupations, and an unknown code: refused at the row, nothing saved.
    response = client.post(url, _form_data(venue, [theory, {**skill, "occupations": "9-99-99-99"}]))
    assert response.status_code == 200
    assert "没有编码为 9-99-99-99 的职业" in response.content.decode()
    assert Venue.objects.get(pk=venue.pk).status == VenueStatus.VERIFIED
    response = client.post(url, _form_data(venue, [theory, {**skill, "occupations": "6-31-01-03"}]))
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.status == VenueStatus.TO_VERIFY
    assert venue.rooms.get(kind=RoomKind.SKILL).places == 16
