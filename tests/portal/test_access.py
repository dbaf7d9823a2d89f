"""portal.access: can() and visible() decide, by role, membership and jurisdiction (Art 24)."""

from __future__ import annotations

import pytest

from portal import access
from portal.models import Agency, AgencyKind, AgencyMembership, AgencySite, AgencyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def nationwide(world):
    agency = Agency.objects.create(
        name="全国测试评价机构",
        uscc="91110000MA01H6J7KB",
        kind=AgencyKind.SOCIAL_ORG,
        registered_province_id="110000",
        filing_jurisdiction="000000",
        agency_code="0001",
        status=AgencyStatus.LISTED,
    )
    AgencySite.objects.create(agency=agency, name="广州站", province_id="440000", address="广州")
    return agency


def names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_national_officials_see_every_agency(world, nationwide):
    assert names(access.visible(world.ministry, Agency.objects.all())) == {
        "广东测试评价中心",
        "黑龙江测试评价中心",
        "全国测试评价机构",
    }


def test_provincial_officials_see_agencies_filed_or_assessing_in_their_province(world, nationwide):
    assert names(access.visible(world.gd_official, Agency.objects.all())) == {
        "广东测试评价中心",
        "全国测试评价机构",
    }
    assert names(access.visible(world.hlj_official, Agency.objects.all())) == {"黑龙江测试评价中心"}
    sites = access.visible(world.gd_official, AgencySite.objects.all())
    assert {s.name for s in sites} == {"深圳站", "广州站"}


def test_members_see_their_own_agency_only(world, nationwide):
    assert names(access.visible(world.members["examiner"], Agency.objects.all())) == {
        "广东测试评价中心"
    }
    assert names(access.visible(world.hlj_admin, Agency.objects.all())) == {"黑龙江测试评价中心"}


def test_experts_inspectors_and_people_without_a_role_see_nothing_unassigned(world):
    for user in (world.expert, world.inspector, world.nobody):
        assert not access.visible(user, Agency.objects.all()).exists()


def test_a_person_in_two_agencies_sees_both(world):
    AgencyMembership.objects.create(user=world.hlj_admin, agency=world.gd_agency, role="examiner")
    assert names(access.visible(world.hlj_admin, Agency.objects.all())) == {
        "广东测试评价中心",
        "黑龙江测试评价中心",
    }


def test_removing_a_membership_takes_access_away_at_once(client, world):
    member = world.members["staff"]
    client.force_login(member)
    url = f"/workspace/agency/{world.gd_agency.pk}/"
    assert client.get(url).status_code == 200
    AgencyMembership.objects.filter(user=member).delete()
    assert client.get(url).status_code == 404


def test_deactivated_users_can_do_nothing(world):
    world.ministry.is_active = False
    world.ministry.save()
    assert not access.can(world.ministry, "portal.audit.view")
    assert not access.visible(world.ministry, Agency.objects.all()).exists()


def test_an_unregistered_action_is_an_error_not_a_silent_no(world):
    with pytest.raises(LookupError):
        access.can(world.ministry, "portal.no_such.action")


def test_agency_role_rules_use_the_objects_agency(world):
    rule = access.agency_role("admin")
    assert rule(world.members["admin"], world.gd_site)
    assert not rule(world.members["staff"], world.gd_site)
    assert not rule(world.hlj_admin, world.gd_site)


def test_jurisdiction_rules_follow_the_objects_province(world, nationwide):
    rule = access.in_jurisdiction("provincial_official")
    assert rule(world.gd_official, world.gd_agency)
    assert rule(world.gd_official, nationwide)  # through its site in 广东
    assert not rule(world.hlj_official, world.gd_agency)
    assert not rule(world.osta_gd, world.gd_agency)  # wrong role
