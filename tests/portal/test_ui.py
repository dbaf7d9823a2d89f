"""The UI shell: public home, sign-in, dashboards per role, the agency workspace."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.portal.builders import PASSWORD

pytestmark = pytest.mark.django_db


def test_home_page_is_chinese_and_public(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "职业技能等级认定服务平台" in body
    assert "首页" in body
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_english_is_available_from_the_language_switch(client):
    response = client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Skill-Level Recognition Service Portal" in body


def test_the_footer_shows_the_sponsor_and_privacy_notice(client, settings):
    settings.SITE_ICP_NUMBER = "京ICP备00000000号"
    body = client.get("/").content.decode()
    assert "京ICP备00000000号" in body
    assert reverse("portal:privacy") in body
    assert client.get(reverse("portal:privacy")).status_code == 200


def test_signing_in_leads_to_the_dashboard(client, world):
    response = client.post(
        reverse("portal:login"), {"username": "gd_official", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    body = response.content.decode()
    assert "省级人社部门官员" in body
    assert "广东省" in body


def test_a_wrong_password_is_refused_with_a_chinese_message(client, world):
    response = client.post(reverse("portal:login"), {"username": "gd_official", "password": "x"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("ministry", "人社部门官员"),
        ("osta_national", "职业技能鉴定中心工作人员"),
        ("expert", "评审专家"),
        ("inspector", "检查人员"),
    ],
)
def test_each_authority_role_has_its_dashboard(client, world, username, expected):
    client.login(username=username, password=PASSWORD)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert expected in body


def test_an_agency_member_picks_an_agency_and_sees_its_workspace(client, world):
    client.force_login(world.members["examiner"])
    body = client.get(reverse("portal:dashboard")).content.decode()
    url = reverse("portal:agency_home", args=[world.gd_agency.pk])
    assert url in body
    page = client.get(url).content.decode()
    assert "广东测试评价中心" in page
    assert "考评人员" in page


def test_a_non_member_gets_404_for_an_agency_workspace(client, world):
    client.force_login(world.hlj_admin)
    response = client.get(reverse("portal:agency_home", args=[world.gd_agency.pk]))
    assert response.status_code == 404


def test_the_workspace_requires_sign_in(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_a_user_who_must_change_the_password_is_sent_there_first(client, world):
    world.expert.must_change_password = True
    world.expert.save()
    client.force_login(world.expert)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("portal:password_change")
    response = client.post(
        reverse("portal:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Neu#Passwort99",
            "new_password2": "Neu#Passwort99",
        },
    )
    assert response.status_code == 302
    world.expert.refresh_from_db()
    assert world.expert.must_change_password is False
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_a_simple_password_is_refused_in_chinese(client, world):
    client.force_login(world.expert)
    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefghijk", "new_password2": "abcdefghijk"},
    )
    assert response.status_code == 200
    assert "密码须至少包含" in response.content.decode()


def test_password_reset_sends_a_link_by_email(client, world, mailoutbox):
    response = client.post(reverse("portal:password_reset"), {"email": "expert@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/" in mailoutbox[0].body
    assert "重置" in mailoutbox[0].subject
