"""The sign-in page is headed and titled with the portal's name, never the server's address."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAME = "职业技能等级认定服务平台"


@pytest.mark.parametrize("host", ["testserver", "127.0.0.1:8000"])
def test_the_sign_in_page_shows_the_portals_name(client, settings, host):
    settings.ALLOWED_HOSTS = [host.split(":")[0]]
    body = client.get(reverse("portal:login"), HTTP_HOST=host).content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert title.strip() == f"登录 | {NAME}"
    brand = re.search(r'<a class="brand"[^>]*>(.*?)</a>', body, re.S).group(1)
    assert NAME in brand and host not in brand
    assert host not in title


def test_a_failed_sign_in_keeps_the_portals_name(client):
    response = client.post(reverse("portal:login"), {"username": "nobody", "password": "wrong"})
    body = response.content.decode()
    assert f"| {NAME}</title>" in body and "testserver" not in body
