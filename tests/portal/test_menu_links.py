"""Every menu link a demo account sees answers 200: a menu entry is shown exactly when the
view it links to lets the user in (issue 10)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from portal import demo
from portal.models import User
from portal.ui import navigation

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav class="side-nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')


def _refused_links(client, user, page_url: str) -> dict[str, int]:
    client.force_login(user)
    page = client.get(page_url)
    assert page.status_code == 200, (user.username, page_url)
    block = MENU.search(page.content.decode())
    links = LINK.findall(block.group(1)) if block else []
    assert links, f"{user.username} has a menu on {page_url}"
    codes = {url: client.get(url).status_code for url in links}
    return {url: code for url, code in codes.items() if code != 200}


def test_every_menu_link_of_every_demo_account_answers_200(client, seeded_demo):
    """One seeding for all accounts (the session's seed_demo, restored: tests/conftest.py):
    the authority accounts walk their workspace menu, the agency accounts their agency's menu
    as well."""
    agency = demo.demo_agency()
    refused = {}
    for username, *_rest in demo.AUTHORITY_USERS:
        user = User.objects.get(username=username)
        refused[username] = _refused_links(client, user, "/workspace/")
    for username, *_rest in demo.AGENCY_USERS:
        user = User.objects.get(username=username)
        refused[username] = _refused_links(client, user, f"/workspace/agency/{agency.pk}/")
    assert {name: links for name, links in refused.items() if links} == {}


def test_a_menu_entry_follows_the_policy_of_its_view(rf):
    """osta_gd (a provincial testing centre) has the role the catalogue entries name, but
    the catalogue pages are for national keepers only (Art 8): the entries are not shown."""
    demo.seed()
    request = rf.get("/workspace/")
    request.user = User.objects.get(username="osta_gd")
    urls = {i.url for i in navigation.menu(navigation.WORKSPACE, request, roles={"osta_staff"})}
    assert "/workspace/catalog/standards/" not in urls
    request.user = User.objects.get(username="osta_national")
    urls = {i.url for i in navigation.menu(navigation.WORKSPACE, request, roles={"osta_staff"})}
    assert "/workspace/catalog/standards/" in urls
    request.user = AnonymousUser()
    assert navigation.view_admits(request, "/workspace/catalog/standards/") is False
    assert navigation.view_admits(request, "/") is True
    assert navigation.view_admits(request, "/no/such/page/") is False
