"""The pages of the list and the pools (Art 25, 26): they render for their keepers, forms put
the services' refusals at the field in Chinese, another jurisdiction gets 404, and the object
pool page stays within a fixed number of queries however many agencies it lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import Agency, AgencyKind, AgencyStatus
from supervision.models import CheckItem, ConflictTag, ExternalSupervisor, Inspector
from supervision.services import pools as services
from supervision.services.pools import INSPECTORS
from tests.supervision.builders_pools import check_item, findings, member_input

pytestmark = pytest.mark.django_db


def test_the_official_keeps_the_check_item_list_through_its_pages(client, world):
    client.force_login(world.gd_official)
    url = reverse("supervision:check_item_add")
    data = {
        "code": "gd-02",
        "title": "成绩按时公示",
        "legal_basis": "第二十条",
        "method": "document",
        "records": "公示日期",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    item = CheckItem.objects.get(code="GD-02")
    response = client.post(url, data)  # the same code again: at the field, in Chinese
    assert response.status_code == 200
    assert "清单中已有此编号的事项" in response.content.decode()
    page = client.get(reverse("supervision:check_items")).content.decode()
    assert "成绩按时公示" in page and "抽查事项清单" in page
    client.post(reverse("supervision:check_item_retire", args=[item.pk]))
    item.refresh_from_db()
    assert not item.active
    public = client.get(reverse("supervision:public_check_items", args=["440000"]))
    assert "成绩按时公示" not in public.content.decode()  # retired: not on the published list
    edit = client.get(reverse("supervision:check_item_edit", args=[item.pk]))
    assert edit.status_code == 200


def test_the_published_list_shows_active_items_and_refuses_unknown_jurisdictions(client, world):
    check_item(world, "GD-01")
    page = client.get(reverse("supervision:public_check_items", args=["440000"]))
    assert page.status_code == 200 and "GD-01" in page.content.decode()
    assert "广东" in page.content.decode()
    assert client.get(reverse("supervision:public_check_items", args=["000000"])).status_code == 200
    for code in ("999999", "44000", "abc"):
        url = reverse("supervision:public_check_items", args=[code])
        assert client.get(url).status_code == 404


def test_the_inspector_pool_pages_refuse_bad_accounts_at_the_field(client, world):
    client.force_login(world.gd_official)
    url = reverse("supervision:inspector_add")
    data = {"username": "expert", "organisation": "某单位", "capacity": 5}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "此账号不是执法检查人员角色" in response.content.decode()
    assert not Inspector.objects.exists()
    response = client.post(url, {**data, "username": "inspector"})
    entry = Inspector.objects.get(user=world.inspector)
    assert response["Location"] == reverse("supervision:inspector", args=[entry.pk])
    detail = reverse("supervision:inspector", args=[entry.pk])
    conflicts = reverse("supervision:inspector_conflict_add", args=[entry.pk])
    response = client.post(conflicts, {"agency": "不存在的机构", "kind": "relation"})
    assert response.status_code == 200
    assert "评价机构目录中没有" in response.content.decode()
    response = client.post(
        conflicts, {"agency": world.gd_agency.uscc, "kind": "former_employer", "note": "曾任职"}
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert world.gd_agency.name in page and "原工作单位" in page
    listing = client.get(reverse("supervision:inspectors")).content.decode()
    assert "inspector" in listing
    tag = ConflictTag.objects.get()
    remove = reverse("supervision:inspector_conflict_remove", args=[entry.pk, tag.pk])
    asked = client.post(remove)  # first the confirmation page; nothing changes yet
    assert asked.status_code == 200 and "移除此利益冲突" in asked.content.decode()
    assert ConflictTag.objects.exists()
    client.post(remove, {"confirmed": "1"})
    assert not ConflictTag.objects.exists()
    deactivate = reverse("supervision:inspector_active", args=[entry.pk])
    asked = client.post(deactivate, {"active": "0"})
    assert asked.status_code == 200 and "移出名录库" in asked.content.decode()
    entry.refresh_from_db()
    assert entry.active
    client.post(deactivate, {"active": "0", "confirmed": "1"})
    entry.refresh_from_db()
    assert not entry.active
    # Another province and the ministry do not see the 广东 entry.
    for other in (world.hlj_official, world.ministry):
        client.force_login(other)
        assert client.get(detail).status_code == 404


def test_the_testing_centre_keeps_the_external_supervisors(client, world):
    client.force_login(world.osta_gd)
    response = client.post(
        reverse("supervision:supervisor_add"),
        {"username": "expert", "organisation": "广东技术师范大学", "capacity": 4},
    )
    entry = ExternalSupervisor.objects.get(user=world.expert)
    assert response.status_code == 302
    page = client.get(reverse("supervision:supervisors")).content.decode()
    assert "外部质量督导人员库" in page and "广东技术师范大学" in page
    edit = reverse("supervision:supervisor_edit", args=[entry.pk])
    assert client.get(edit).status_code == 200
    client.force_login(world.gd_official)
    assert client.get(reverse("supervision:supervisors")).status_code == 403


def test_the_menu_offers_the_pages_to_their_keepers(client, world):
    client.force_login(world.gd_official)
    page = client.get(reverse("portal:dashboard")).content.decode()
    for name in ("check_items", "inspectors", "objects"):
        assert reverse(f"supervision:{name}") in page
    assert reverse("supervision:supervisors") not in page
    client.force_login(world.osta_gd)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("supervision:supervisors") in page
    assert reverse("supervision:inspectors") not in page


def test_the_object_pool_page_shows_tiers_and_facts_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    Agency.objects.bulk_create(
        [
            Agency(
                name=f"广东批量机构{n:04d}",
                uscc=f"9144BULK{n:010d}",
                kind=AgencyKind.SOCIAL_ORG,
                registered_province_id="440000",
                filing_jurisdiction="440000",
                agency_code="0000",
                status=AgencyStatus.LISTED,
            )
            for n in range(1, 301)
        ]
    )
    findings(world, world.gd_agency, serious=2)
    client.force_login(world.gd_official)
    url = reverse("supervision:objects")
    with django_assert_max_num_queries(30):
        page = client.get(url)
    assert page.status_code == 200
    with django_assert_max_num_queries(30):
        high = client.get(url, {"tier": "1"}).content.decode()
    assert world.gd_agency.name in high and "以往检查发现的严重问题" in high
    assert "广东批量机构0001" not in high
    low = client.get(url, {"tier": "4", "q": "批量机构0002"}).content.decode()
    assert "广东批量机构0002" in low and "低风险" in low
    # A tier value that is no tier is dropped (the other filters still apply).
    assert client.get(url, {"tier": "9"}).status_code == 200


def test_pages_of_an_entry_of_another_jurisdiction_answer_404(client, world):
    entry = services.add_member(world.gd_official, INSPECTORS, "inspector", member_input())
    item = check_item(world)
    client.force_login(world.hlj_official)
    for url in (
        reverse("supervision:inspector_edit", args=[entry.pk]),
        reverse("supervision:check_item_edit", args=[item.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(reverse("supervision:inspector_active", args=[entry.pk]), {})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.active


def test_the_audit_trail_links_pool_entries_and_items_for_their_keepers_only(world):
    from portal import audit

    entry = services.add_member(world.gd_official, INSPECTORS, "inspector", member_input())
    item = check_item(world)
    url = audit.object_url(world.gd_official, "supervision.inspector", str(entry.pk))
    assert url == reverse("supervision:inspector", args=[entry.pk])
    assert audit.object_url(world.hlj_official, "supervision.inspector", str(entry.pk)) is None
    url = audit.object_url(world.gd_official, "supervision.checkitem", str(item.pk))
    assert url == reverse("supervision:check_item_edit", args=[item.pk])
    assert audit.object_url(world.osta_gd, "supervision.checkitem", str(item.pk)) is None
