"""The audit trail links each entry's object to its page when the reader may open it
(portal.audit.register_object_url); otherwise it names the object without a link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal import accounts, audit, notices
from portal.roles import AuthorityRole

pytestmark = pytest.mark.django_db


def _account(world):
    account, _password = accounts.create_account(
        world.gd_official,
        username="gd_expert3",
        real_name="王专家",
        jurisdiction="440000",
        roles=[AuthorityRole.EXPERT],
    )
    return account


def test_an_account_is_linked_for_the_officials_who_manage_it(client, world):
    account = _account(world)
    link = f'<a href="{reverse("accounts:detail", args=[account.pk])}">'
    for official in (world.gd_official, world.ministry):
        client.force_login(official)
        page = client.get(reverse("portal:audit")).content.decode()
        assert f"{link}{account}</a>" in page, official
    # The testing centre reads the trail but does not manage accounts: the name, unlinked.
    client.force_login(world.osta_gd)
    page = client.get(reverse("portal:audit")).content.decode()
    assert str(account) in page and link not in page


def test_a_notice_links_to_the_deciding_officials_page_else_the_public_page(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    notices.register_kind(
        "tests.links",
        label="链接测试",
        on_stood=lambda notice: None,
        on_overturned=lambda notice, objection: None,
    )
    notice = notices.publish_notice(
        world.gd_official,
        world.gd_agency,
        kind="tests.links",
        title="链接测试公示",
        body="正文",
        period_working_days=5,
        jurisdiction="440000",
        agency=world.gd_agency,
    )
    objection = notices.file_objection(
        notice, name="张三", contact="13800138000", content="有异议。"
    )
    manage = reverse("notices:manage_detail", args=[notice.pk])
    public = reverse("notices:detail", args=[notice.pk])
    pk, opk = str(notice.pk), str(objection.pk)
    assert audit.object_url(world.gd_official, "portal.publicnotice", pk) == manage
    assert audit.object_url(world.hlj_official, "portal.publicnotice", pk) == public
    assert audit.object_url(world.members["admin"], "portal.publicnotice", pk) == public
    # An objection names its objector: only the officials deciding it are linked to it.
    assert audit.object_url(world.gd_official, "portal.objection", opk) == manage
    assert audit.object_url(world.hlj_official, "portal.objection", opk) is None
    assert audit.object_url(world.members["admin"], "portal.objection", opk) is None


def test_any_app_registers_how_its_objects_are_linked(world):
    seen = []

    def url(user, object_id):
        seen.append(object_id)
        return f"/things/{object_id}/" if user.jurisdiction == "000000" else None

    audit.register_object_url("Tests.Thing", url)
    entries = [
        audit.record(world.ministry, "tests.thing.made", province="000000"),
        audit.record(world.ministry, "tests.thing.made", province="000000"),
    ]
    for entry in entries:
        entry.object_type, entry.object_id = "tests.thing", "7"
    linked = audit.link_objects(world.ministry, entries)
    assert [e.object_url for e in linked] == ["/things/7/", "/things/7/"]
    assert seen == ["7"]  # one lookup per object on a page
    assert audit.link_objects(world.gd_official, entries)[0].object_url is None
    assert audit.object_url(world.ministry, "tests.unknown", "1") is None
    assert audit.object_url(world.ministry, "tests.thing", "") is None
