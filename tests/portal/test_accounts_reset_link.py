"""The password-reset mail links to SITE_URL, never to the request's host (issue 10 item 6).

A forged ``Host`` (reachable wherever ``ALLOWED_HOSTS`` is loose, or through
``X-Forwarded-Host`` behind a proxy that passes it) must not put the owner's reset token into
a link to the forger's server.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.accounts.forms import PasswordResetForm
from portal.forms import TextGuardMixin

RESET = "portal:password_reset"
LINK = re.compile(r"(\S+)/accounts/password/reset/([^/\s]+)/([^/\s]+)/")


@pytest.fixture
def loose_hosts(settings):
    """The misconfiguration the forged header needs: any host accepted, forwarded hosts used."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.USE_X_FORWARDED_HOST = True
    settings.SITE_URL = "https://portal.example.gov.cn"


def the_link(mailoutbox) -> re.Match:
    (message,) = mailoutbox
    found = LINK.search(message.body)
    assert found, message.body
    return found


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_HOST": "evil.example"},
        {"HTTP_HOST": "portal.example.gov.cn", "HTTP_X_FORWARDED_HOST": "evil.example"},
        {"HTTP_HOST": "evil.example:8443", "wsgi.url_scheme": "http"},
    ],
    ids=["host", "forwarded-host", "host-and-port"],
)
def test_a_forged_host_does_not_appear_in_the_mail(client, world, loose_hosts, mailoutbox, headers):
    response = client.post(reverse(RESET), {"email": "expert@example.org"}, **headers)
    assert response.status_code == 302
    message = mailoutbox[0]
    assert "evil" not in message.body and "evil" not in message.subject
    assert the_link(mailoutbox).group(1) == "https://portal.example.gov.cn"


def test_the_link_from_site_url_works(client, world, settings, mailoutbox):
    settings.SITE_URL = "http://testserver"
    client.post(reverse(RESET), {"email": "expert@example.org"})
    link = the_link(mailoutbox)
    assert link.group(1) == "http://testserver"
    path = link.group(0)[len("http://testserver") :]
    response = client.get(path)
    assert response.status_code == 302  # Django moves the token into the session
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()


def test_no_mail_names_a_host_for_an_unknown_address(client, world, loose_hosts, mailoutbox):
    response = client.post(
        reverse(RESET), {"email": "no-such-address@example.invalid"}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 302  # the same answer: nothing tells whether it exists
    assert mailoutbox == []


def test_the_form_keeps_the_text_guard_and_ignores_a_domain_passed_to_save(
    world, settings, mailoutbox
):
    settings.SITE_URL = "https://portal.example.gov.cn"
    assert issubclass(PasswordResetForm, TextGuardMixin)
    form = PasswordResetForm({"email": "expert@example.org"})
    assert form.is_valid()
    form.save(
        domain_override="evil.example",
        use_https=False,
        email_template_name="portal/email/password_reset.txt",
        subject_template_name="portal/email/password_reset_subject.txt",
    )
    assert the_link(mailoutbox).group(1) == "https://portal.example.gov.cn"
    bad = PasswordResetForm({"email": "expert@example.org\u202e"})
    assert not bad.is_valid()


def test_the_sign_in_page_names_the_portal_not_the_request_host(client, world, loose_hosts):
    response = client.get(reverse("portal:login"), HTTP_HOST="evil.example")
    body = response.content.decode()
    assert "evil.example" not in body
    assert "职业技能等级认定服务平台" in body.split("</header>")[0]
