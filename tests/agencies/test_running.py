"""A listed agency runs itself in HTTP terms: members, published rules and fees (Art 19),
change requests (details, scope, serving others (Art 16), renewal (Art 22)) and the term panel."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from agencies import services
from agencies.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    DirectoryEntry,
    PublishedRules,
    RulesKind,
)
from portal import clock
from portal.models import AgencyMembership, AgencyStatus, AuditEntry, User
from portal.roles import AgencyRole
from tests.agencies.builders import list_agency
from tests.portal.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return list_agency(world, world.gd_agency, world.members["admin"])


def url(name, world, *args, agency=None):
    return reverse(f"agencies:{name}", args=[(agency or world.gd_agency).pk, *args])


def says(page: str, english: str, chinese: str) -> bool:
    """The message is on the page in Chinese (the English msgid names it for the reader)."""
    return chinese in page


def actions(agency) -> list[str]:
    return list(AuditEntry.objects.filter(agency=agency).values_list("action", flat=True))


# --- Staff ------------------------------------------------------------------------------------


def test_staff_reads_the_list_admin_manages(client, world):
    client.force_login(world.members["staff"])
    page = client.get(url("staff", world))
    assert page.status_code == 200
    assert "gd_examiner" in page.content.decode()
    assert url("staff_add", world) not in page.content.decode()
    assert client.get(url("staff_add", world)).status_code == 403
    client.force_login(world.members["admin"])
    page = client.get(url("staff", world)).content.decode()
    assert url("staff_add", world) in page


def test_add_an_existing_account_and_refusals(client, world):
    client.force_login(world.members["admin"])
    existing = make_user("zhang")
    response = client.post(
        url("staff_add", world), {"account": "existing", "username": "zhang", "role": "examiner"}
    )
    assert response.status_code == 302
    assert AgencyMembership.objects.filter(
        user=existing, agency=world.gd_agency, role="examiner"
    ).exists()
    assert "agencies.staff.add" in actions(world.gd_agency)

    # The same role again, and an unknown username: shown at the field, in Chinese.
    page = client.post(
        url("staff_add", world), {"account": "existing", "username": "zhang", "role": "examiner"}
    ).content.decode()
    assert "has-error" in page
    assert says(page, "This person already has that role here.", "此人已在本机构担任该角色。")
    page = client.post(
        url("staff_add", world), {"account": "existing", "username": "ghost", "role": "staff"}
    ).content.decode()
    assert "has-error" in page
    assert says(page, "No active account has this username.", "没有使用该用户名的有效账号。")
    assert AgencyMembership.objects.filter(agency=world.gd_agency).count() == 5


def test_a_new_account_gets_a_one_time_password_shown_once(client, world):
    client.force_login(world.members["admin"])
    response = client.post(
        url("staff_add", world),
        {
            "account": "new",
            "username": "li_new",
            "real_name": "李新",
            "email": "li@example.org",
            "phone": "13800000001",
            "role": "staff",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    password = re.search(r'class="one-time-password"[^>]*>([^<]+)<', page).group(1)
    user = User.objects.get(username="li_new")
    assert user.check_password(password) and user.must_change_password
    assert "no-store" in response.headers.get("Cache-Control", "") or "max-age=0" in (
        response.headers.get("Cache-Control", "")
    )
    # Never in a message, the session, the audit trail or mail.
    assert password not in str(dict(client.session))
    follow = client.get(url("staff", world)).content.decode()
    assert password not in follow
    entry = AuditEntry.objects.get(agency=world.gd_agency, action="agencies.staff.add")
    assert password not in str(entry.changes) and entry.changes["new_account"] == [None, True]
    assert all(password not in m.body for m in mail.outbox)

    # A new account needs a real name; a taken username is refused.
    page = client.post(
        url("staff_add", world), {"account": "new", "username": "x_new", "role": "staff"}
    ).content.decode()
    assert "has-error" in page and not User.objects.filter(username="x_new").exists()
    page = client.post(
        url("staff_add", world),
        {"account": "new", "username": "li_new", "real_name": "李", "role": "staff"},
    ).content.decode()
    assert "has-error" in page


def test_change_a_role_and_the_last_admin_is_kept(client, world):
    client.force_login(world.members["admin"])
    staff = AgencyMembership.objects.get(user=world.members["staff"], agency=world.gd_agency)
    response = client.post(url("staff_role", world, staff.pk), {"role": "quality_supervisor"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.role == "quality_supervisor"
    assert "agencies.staff.change" in actions(world.gd_agency)

    admin = AgencyMembership.objects.get(user=world.members["admin"], agency=world.gd_agency)
    response = client.post(url("staff_role", world, admin.pk), {"role": "staff"}, follow=True)
    assert says(
        response.content.decode(),
        "An agency always keeps at least one administrator.",
        "评价机构必须至少保留一名管理员。",
    )
    admin.refresh_from_db()
    assert admin.role == "admin"
    assert client.get(url("staff_role", world, staff.pk)).status_code == 405

    response = client.post(url("staff_remove", world, admin.pk), follow=True)
    assert AgencyMembership.objects.filter(pk=admin.pk).exists()
    assert "message error" in response.content.decode()


def test_removal_takes_access_away_at_once(client, world):
    admin_client = client
    admin_client.force_login(world.members["admin"])
    examiner = world.members["examiner"]
    membership = AgencyMembership.objects.get(user=examiner, agency=world.gd_agency)
    page = admin_client.get(url("staff_remove", world, membership.pk))
    assert page.status_code == 200 and "gd_examiner" in page.content.decode()

    from django.test import Client

    other = Client()
    other.force_login(examiner)
    assert other.get(url("rules", world)).status_code == 200
    response = admin_client.post(url("staff_remove", world, membership.pk))
    assert response.status_code == 302
    assert not AgencyMembership.objects.filter(pk=membership.pk).exists()
    assert "agencies.staff.remove" in actions(world.gd_agency)
    assert other.get(url("rules", world)).status_code == 404
    assert other.get(reverse("portal:agency_home", args=[world.gd_agency.pk])).status_code == 404


def test_another_agencys_members_answer_404(client, world):
    client.force_login(world.members["admin"])
    hlj = AgencyMembership.objects.get(user=world.hlj_admin)
    assert client.get(url("staff_remove", world, hlj.pk)).status_code == 404
    assert client.post(url("staff_role", world, hlj.pk), {"role": "staff"}).status_code == 404
    assert client.post(url("staff_remove", world, hlj.pk)).status_code == 404
    assert client.get(url("staff", world, agency=world.hlj_agency)).status_code == 404
    assert AgencyMembership.objects.filter(pk=hlj.pk, role="admin").exists()


# --- Published rules and fees --------------------------------------------------------------


def fees(text: str) -> dict:
    return {"kind": "fees", "fees-text": text}


def test_publish_versions_and_the_public_directory(client, world, listed):
    client.force_login(world.members["admin"])
    page = client.get(url("rules", world)).content.decode()
    assert page.count('name="text"') == 0 and page.count("-text") >= 4  # four forms
    assert (
        client.post(
            url("rules_publish", world),
            fees("理论 100元"),
        ).status_code
        == 302
    )
    client.post(
        url("rules_publish", world),
        fees("理论 120元"),
    )
    versions = PublishedRules.objects.filter(agency=world.gd_agency, kind=RulesKind.FEES)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
    assert actions(world.gd_agency).count("agencies.rules.publish") == 2

    # The same text again and an empty text are refused at the field.
    page = client.post(
        url("rules_publish", world),
        fees("理论 120元"),
    ).content.decode()
    assert "has-error" in page and versions.count() == 2
    page = client.post(url("rules_publish", world), fees(" ")).content.decode()
    assert "has-error" in page and versions.count() == 2

    # Members read the current version and the history; only the admin publishes.
    client.force_login(world.members["examiner"])
    page = client.get(url("rules", world)).content.decode()
    assert "理论 120元" in page and "理论 100元" in page
    assert url("rules_publish", world) not in page
    assert client.post(url("rules_publish", world), fees("x")).status_code == 403

    client.logout()
    page = client.get(reverse("agencies:directory_entry", args=[world.gd_agency.pk]))
    page = page.content.decode()
    assert "理论 120元" in page and "理论 100元" not in page
    assert says(page, "Version 2, published on", "第 2 版")


# --- Change requests ---------------------------------------------------------------------------


def test_details_change_prefilled_requested_and_refused(client, world, listed):
    agency = world.gd_agency
    agency.contact_name = "老联系人"
    agency.save()
    client.force_login(world.members["admin"])
    page = client.get(url("change_details", world)).content.decode()
    assert 'value="老联系人"' in page and f'value="{agency.name}"' in page

    data = {
        "name": agency.name,
        "address": "",
        "legal_representative": "",
        "contact_name": "老联系人",
        "contact_phone": "",
        "contact_email": "",
    }
    page = client.post(url("change_details", world), data).content.decode()
    assert "form-errors" in page and not ChangeRequest.objects.exists()

    response = client.post(url("change_details", world), {**data, "contact_name": "新联系人"})
    change = ChangeRequest.objects.get()
    assert response.status_code == 302 and response.url == url("change", world, change.pk)
    assert change.kind == ChangeKind.DETAILS and change.payload == {"contact_name": "新联系人"}
    assert "agencies.change.request" in actions(agency)

    # One pending request of a kind at a time.
    page = client.post(
        url("change_details", world), {**data, "contact_name": "又一人"}
    ).content.decode()
    assert "form-errors" in page and ChangeRequest.objects.count() == 1

    detail = client.get(url("change", world, change.pk)).content.decode()
    assert "新联系人" in detail and "老联系人" in detail
    listing = client.get(url("changes", world)).content.decode()
    assert url("change", world, change.pk) in listing


def test_scope_change_prefilled_and_extended(client, world, listed):
    client.force_login(world.members["admin"])
    page = client.get(url("change_scope", world)).content.decode()
    assert 'value="6-31-01-03"' in page
    assert page.count("checked") >= 2

    base = {
        "scope-TOTAL_FORMS": "2",
        "scope-INITIAL_FORMS": "1",
        "scope-MIN_NUM_FORMS": "0",
        "scope-MAX_NUM_FORMS": "1000",
        "scope-0-occupation": "6-31-01-03",
        "scope-0-work_type": "",
        "scope-0-levels": ["4", "3"],
        "scope-1-occupation": "",
        "scope-1-work_type": "",
    }
    page = client.post(url("change_scope", world), base).content.decode()
    assert "form-errors" in page and not ChangeRequest.objects.exists()

    # A level the catalogue has no basis for is refused with the reason.
    page = client.post(
        url("change_scope", world),
        {**base, "scope-1-occupation": "4-13-01-05", "scope-1-levels": ["5"]},
    ).content.decode()
    assert "form-errors" in page and not ChangeRequest.objects.exists()

    response = client.post(url("change_scope", world), {**base, "scope-0-levels": ["4", "3", "2"]})
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.kind == ChangeKind.SCOPE
    assert len(change.payload["scope"][0]["levels"]) == 3
    detail = client.get(url("change", world, change.pk)).content.decode()
    assert "6-31-01-03" in detail


def test_serve_others_is_for_employers_only(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    list_agency(world, world.gd_agency, world.members["admin"])
    client.force_login(world.members["admin"])
    page = client.get(url("change_serve_others", world)).content.decode()
    assert "message warning" in page and 'name="value"' not in page
    assert client.get(url("changes", world)).content.decode().count("serve-others") == 0
    response = client.post(url("change_serve_others", world), {"value": "1"})
    assert response.status_code == 200 and not ChangeRequest.objects.exists()

    hlj = world.hlj_agency
    list_agency(world, hlj, world.hlj_admin)
    client.force_login(world.hlj_admin)
    assert "serve-others" in client.get(url("changes", world, agency=hlj)).content.decode()
    response = client.post(url("change_serve_others", world, agency=hlj), {"value": "1"})
    assert response.status_code == 302
    change = ChangeRequest.objects.get(agency=hlj)
    assert change.payload == {"may_serve_others": True}


def test_renewal_withdrawal_and_history(client, world, listed):
    client.force_login(world.members["admin"])
    page = client.get(url("change_renewal", world)).content.decode()
    end = listed.valid_until
    assert f"{end.year}年{end.month}月{end.day}日" in page
    response = client.post(url("change_renewal", world), {"explanation": "申请延续"})
    change = ChangeRequest.objects.get()
    assert change.kind == ChangeKind.RENEWAL and change.explanation == "申请延续"

    page = client.get(url("change", world, change.pk)).content.decode()
    assert url("change_withdraw", world, change.pk) in page
    assert client.get(url("change_withdraw", world, change.pk)).status_code == 405
    response = client.post(url("change_withdraw", world, change.pk), follow=True)
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN
    assert "agencies.change.withdraw" in actions(world.gd_agency)
    page = response.content.decode()
    assert page.count("<li>") >= 2  # the history: requested, withdrawn

    # A withdrawn request cannot be withdrawn again.
    response = client.post(url("change_withdraw", world, change.pk), follow=True)
    assert "message error" in response.content.decode()


def test_changes_are_for_the_admin_and_another_agencys_404(client, world, listed):
    change = services.request_renewal(world.members["admin"], world.gd_agency)
    client.force_login(world.members["staff"])
    assert client.get(url("changes", world)).status_code == 403
    assert client.post(url("change_withdraw", world, change.pk)).status_code == 403
    client.force_login(world.hlj_admin)
    assert client.get(url("change", world, change.pk)).status_code == 404
    assert client.get(url("change", world, change.pk, agency=world.hlj_agency)).status_code == 404
    assert (
        client.post(url("change_withdraw", world, change.pk, agency=world.hlj_agency)).status_code
        == 404
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_an_unlisted_agency_is_told_it_cannot_ask(client, world):
    client.force_login(world.members["admin"])
    page = client.get(url("changes", world)).content.decode()
    assert "message info" in page
    response = client.post(url("change_renewal", world), {"explanation": ""})
    assert "form-errors" in response.content.decode()


# --- The term panel -----------------------------------------------------------------------------


def test_term_panel_and_refusal_warning(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = clock.today()
    list_agency(
        world, world.gd_agency, world.members["admin"], valid_until=today + dt.timedelta(days=40)
    )
    home = reverse("portal:agency_home", args=[world.gd_agency.pk])
    client.force_login(world.members["admin"])
    page = client.get(home).content.decode()
    assert "40" in page and url("change_renewal", world) in page
    # The administrator's to-do, with its deadline; the staff are told, without a badge.
    ends = today + dt.timedelta(days=40)
    assert f'<a href="{url("change_renewal", world)}">申请延续备案期限</a>' in page
    assert f"{ends.year}年{ends.month}月{ends.day}日到期" in page
    assert '<span class="badge">1</span>' in page
    client.force_login(world.members["staff"])
    page = client.get(home).content.decode()
    assert "40" in page and url("change_renewal", world) not in page
    assert "申请延续备案期限" not in page

    DirectoryEntry.objects.filter(agency=world.gd_agency).update(
        valid_until=today + dt.timedelta(days=400)
    )
    page = client.get(home).content.decode()
    assert "400" in page and '<span class="badge">400</span>' not in page

    world.gd_agency.status = AgencyStatus.SUSPENDED
    world.gd_agency.save()
    page = client.get(home).content.decode()
    assert services.assessment_refusal(world.gd_agency) in page


def test_nav_entries(client, world):
    client.force_login(world.members["admin"])
    page = client.get(reverse("portal:agency_home", args=[world.gd_agency.pk])).content.decode()
    for path in (url("staff", world), url("rules", world), url("changes", world)):
        assert f'href="{path}"' in page
    client.force_login(world.members["examiner"])
    page = client.get(reverse("portal:agency_home", args=[world.gd_agency.pk])).content.decode()
    assert f'href="{url("rules", world)}"' in page
    assert f'href="{url("changes", world)}"' not in page
    assert f'href="{url("staff", world)}"' not in page
    assert AgencyRole.ADMIN  # noqa: B018
