"""Two-factor sign-in (TOTP, MLPS 2.0): setup with a real code, the second sign-in step,
throttling, and the middleware with REQUIRE_2FA_FOR_OFFICIALS on and off."""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.access.middleware import PasswordChangeRequiredMiddleware
from portal.accounts import twofactor
from portal.models import AuditEntry
from tests.portal.builders import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor")
VERIFY = reverse("accounts:verify")
DASHBOARD = reverse("portal:dashboard")


def code(device: TOTPDevice, drift: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def with_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def sign_in(client, username):
    """The password step (the sign-in form itself is tested in test_pages.py)."""
    assert client.login(username=username, password=PASSWORD)


def errors(response):
    return [e.code for e in response.context["form"].errors.as_data().get("code", [])]


@pytest.fixture(autouse=True)
def _off_by_default(settings):
    settings.REQUIRE_2FA_FOR_OFFICIALS = False


# --- Setup ----------------------------------------------------------------------------------


def test_setup_shows_a_qr_code_and_the_secret_and_needs_a_code(client, world):
    client.force_login(world.expert)
    response = client.get(SETUP)
    assert response.status_code == 200
    body = response.content.decode()
    device = TOTPDevice.objects.get(user=world.expert)
    assert not device.confirmed
    assert "<svg" in body and "<path" in body and "<img" not in body.split("<main")[1]
    secret = response.context["secret"]
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key
    assert secret in body
    # Reloading keeps the same secret until it is confirmed.
    assert client.get(SETUP).context["secret"] == secret

    response = client.post(SETUP, {"code": "12345"})
    assert errors(response) == ["invalid_code"]
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert errors(response) == ["wrong_code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEntry.objects.exists()


def test_confirming_with_a_real_code_turns_it_on_and_is_audited(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(world.expert)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.expert)
    response = client.post(SETUP, {"code": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    entry = AuditEntry.objects.get(action="portal.account.enable_2fa")
    assert entry.actor == world.expert
    assert entry.changes == {"two_factor": [False, True]}
    assert entry.province == "440000"
    audit_text = json.dumps([e.changes for e in AuditEntry.objects.all()])
    assert device.key not in audit_text
    # The session that confirmed is verified; the page no longer shows the secret.
    assert client.get(DASHBOARD).status_code == 200
    response = client.get(SETUP)
    assert response.context["enabled"]
    assert "secret" not in response.context
    assert base64.b32encode(device.bin_key).decode()[:8] not in response.content.decode()


def test_disabling_needs_a_current_code(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = with_device(world.expert)
    client.force_login(world.expert)
    response = client.post(VERIFY, {"code": code(device)})
    assert response.status_code == 302
    response = client.post(SETUP, {"code": "000000" if code(device) != "000000" else "111111"})
    assert errors(response) == ["wrong_code"]
    assert TOTPDevice.objects.filter(user=world.expert, confirmed=True).exists()
    response = client.post(SETUP, {"code": code(device, drift=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.expert).exists()
    entry = AuditEntry.objects.get(action="portal.account.disable_2fa")
    assert entry.changes == {"two_factor": [True, False]}


# --- Sign-in --------------------------------------------------------------------------------


def test_after_the_password_a_code_is_asked_for(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = with_device(world.expert)
    sign_in(client, "expert")
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fworkspace%2F"
    for url in (SETUP, reverse("portal:home"), reverse("portal:privacy")):
        assert client.get(url).status_code == 200
    assert client.get(reverse("portal:calendar")).status_code == 302
    assert client.get(reverse("portal:password_change")).status_code == 302

    response = client.get(VERIFY, {"next": "/workspace/"})
    assert response.status_code == 200
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong, "next": "/workspace/"})
    assert response.status_code == 200
    assert errors(response) == ["wrong_code"]
    assert client.get(DASHBOARD).status_code == 302

    used = code(device)
    response = client.post(VERIFY, {"code": used, "next": "/workspace/"})
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
    assert client.get(DASHBOARD).status_code == 200
    # The same code cannot be used twice.
    other = type(client)()
    sign_in(other, "expert")
    response = other.post(VERIFY, {"code": used, "next": "/workspace/"})
    assert errors(response) == ["wrong_code"]


def test_wrong_codes_are_throttled(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = with_device(world.expert)
    sign_in(client, "expert")
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    assert errors(client.post(VERIFY, {"code": wrong})) == ["wrong_code"]
    response = client.post(VERIFY, {"code": code(device)})
    assert errors(response) == ["throttled"]
    assert client.get(DASHBOARD).status_code == 302
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    assert client.post(VERIFY, {"code": code(device)}).status_code == 302
    assert client.get(DASHBOARD).status_code == 200


def test_the_next_url_must_be_on_this_site(client, world):
    device = with_device(world.expert)
    sign_in(client, "expert")
    response = client.post(VERIFY, {"code": code(device), "next": "https://evil.example/"})
    assert response["Location"] == DASHBOARD


def test_users_without_a_device_are_not_asked(client, world):
    sign_in(client, "expert")
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(VERIFY)["Location"] == DASHBOARD


def test_signing_out_is_always_possible(client, world):
    with_device(world.expert)
    sign_in(client, "expert")
    response = client.post(reverse("portal:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- Required for officials ------------------------------------------------------------------


@pytest.mark.parametrize("username", ["ministry", "gd_official", "osta_gd"])
def test_officials_must_set_it_up_when_required(client, world, settings, username):
    settings.REQUIRE_2FA_FOR_OFFICIALS = True
    sign_in(client, username)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == SETUP
    assert client.get(reverse("accounts:list")).status_code in (302, 403)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert response.context["required"]
    assert client.get(reverse("portal:home")).status_code == 200

    device = TOTPDevice.objects.get(user__username=username)
    assert client.post(SETUP, {"code": code(device)}).status_code == 302
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.parametrize("username", ["expert", "inspector", "gd_admin", "nobody"])
def test_others_are_not_forced_when_required(client, world, settings, username):
    settings.REQUIRE_2FA_FOR_OFFICIALS = True
    sign_in(client, username)
    assert client.get(DASHBOARD).status_code == 200


def test_officials_are_not_forced_when_the_setting_is_off(client, world):
    sign_in(client, "gd_official")
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(reverse("accounts:list")).status_code == 200


# --- Officials remove a lost device; the forced password change does not loop --------------


def test_an_official_removes_a_lost_device(client, world):
    with_device(world.expert)
    client.force_login(world.gd_official)
    url = reverse("accounts:reset_2fa", args=[world.expert.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.expert).exists()
    entry = AuditEntry.objects.get(action="portal.account.disable_2fa")
    assert entry.actor == world.gd_official
    assert entry.object_id == str(world.expert.pk)
    client.force_login(world.hlj_official)
    assert (
        client.post(reverse("accounts:reset_2fa", args=[world.gd_official.pk])).status_code == 404
    )


def test_a_forced_password_change_and_a_device_do_not_loop(client, world, settings):
    world.expert.must_change_password = True
    world.expert.save()
    with_device(world.expert)
    sign_in(client, "expert")
    response = client.get(DASHBOARD, follow=True)
    assert response.status_code == 200
    # The code comes first (the verify page is exempt from the forced change), no loop.
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:verify"))


def test_with_the_verify_page_exempted_the_code_comes_before_the_new_password(
    client, world, settings, monkeypatch
):
    monkeypatch.setattr(
        PasswordChangeRequiredMiddleware,
        "_ALLOWED_NAMES",
        PasswordChangeRequiredMiddleware._ALLOWED_NAMES | {"accounts:verify"},
    )
    world.expert.must_change_password = True
    world.expert.save()
    device = with_device(world.expert)
    sign_in(client, "expert")
    response = client.get(DASHBOARD, follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    response = client.post(VERIFY, {"code": code(device), "next": "/workspace/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:password_change")


def test_required_setup_waits_for_the_forced_password_change(client, world, settings):
    settings.REQUIRE_2FA_FOR_OFFICIALS = True
    world.gd_official.must_change_password = True
    world.gd_official.save()
    sign_in(client, "gd_official")
    response = client.get(DASHBOARD, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:password_change")


def test_the_qr_code_encodes_the_issuer_and_the_user(world):
    device = twofactor.pending_device(world.expert)
    assert "issuer=" in device.config_url
    svg = twofactor.qr_svg(device)
    assert svg.startswith("<svg") and 'width="220"' in svg
