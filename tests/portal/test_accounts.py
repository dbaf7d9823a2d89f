"""Authority accounts (Art 3, Art 24): officials manage the accounts of their jurisdiction;
every action is allowed or refused as the rules say, and audited without passwords."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal import accounts
from portal.models import AuditEntry, User
from portal.roles import NATIONAL, AuthorityRole
from portal.ui import navigation
from tests.portal.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:list")
CREATE = reverse("accounts:create")


def signed_in(client, user):
    client.force_login(user)
    return client


def new_account_data(**overrides):
    data = {
        "username": "gd_expert_new",
        "real_name": "王专家",
        "phone": "13800138000",
        "email": "wang@example.org",
        "organisation": "广东技师学院",
        "jurisdiction": "440000",
        "roles": ["expert"],
    }
    data.update(overrides)
    return data


def all_audit_text() -> str:
    return json.dumps(
        [
            [e.changes, e.object_repr, e.object_list, e.actor_label]
            for e in AuditEntry.objects.all()
        ],
        ensure_ascii=False,
    )


def error_codes(response, field):
    return [e.code for e in response.context["form"].errors.as_data().get(field, [])]


# --- Who may open the pages ---------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in (LIST, CREATE, reverse("accounts:detail", args=[world.expert.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize(
    "username", ["osta_national", "osta_gd", "expert", "inspector", "nobody", "gd_admin"]
)
def test_only_hrss_officials_manage_accounts(client, world, username):
    user = User.objects.get(username=username)
    signed_in(client, user)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, new_account_data()).status_code == 403
    assert client.get(reverse("accounts:detail", args=[world.expert.pk])).status_code == 403
    assert not User.objects.filter(username="gd_expert_new").exists()


def test_the_ministry_sees_every_authority_account(client, world):
    signed_in(client, world.ministry)
    response = client.get(LIST, {"page": 1})
    assert response.status_code == 200
    names = {row["account"].username for row in response.context["rows"]}
    assert {"ministry", "gd_official", "hlj_official", "osta_national", "expert"} <= names
    assert "gd_admin" not in names  # agency members are not authority accounts
    assert client.get(reverse("accounts:detail", args=[world.hlj_official.pk])).status_code == 200


def test_a_provincial_official_sees_only_accounts_of_the_province(client, world):
    signed_in(client, world.gd_official)
    response = client.get(LIST)
    names = {row["account"].username for row in response.context["rows"]}
    assert names == {"gd_official", "osta_gd", "expert", "expert2", "inspector"}
    hlj_inspector = make_user("hlj_inspector", role="inspector", jurisdiction="230000")
    for target in (world.hlj_official, hlj_inspector, world.ministry, world.osta_national):
        for name in ("detail", "edit", "deactivate", "reset_password", "reset_2fa"):
            assert client.get(reverse(f"accounts:{name}", args=[target.pk])).status_code == 404
        response = client.post(reverse("accounts:deactivate", args=[target.pk]))
        assert response.status_code == 404
        response = client.post(reverse("accounts:reset_password", args=[target.pk]))
        assert response.status_code == 404
    hlj_inspector.refresh_from_db()
    assert hlj_inspector.is_active
    assert not AuditEntry.objects.filter(action__startswith="portal.account.").exists()


def test_the_menu_entry_and_panel_are_for_hrss_officials(client, world):
    entries = {e.key: e for e in navigation.entries(navigation.WORKSPACE)}
    assert entries["accounts"].roles == {"ministry_official", "provincial_official"}
    body = signed_in(client, world.gd_official).get(reverse("portal:dashboard")).content.decode()
    assert f'href="{LIST}"' in body
    panels = client.get(reverse("portal:dashboard")).context["panels"]
    panel = next(p for p in panels if p.links and "accounts" in p.links[0].url)
    # The accounts managed are information, not a to-do: a plain line, no badge.
    assert panel.count is None and not panel.todos
    assert [str(f) for f in panel.facts] == ["本辖区有效账号 5 个"]  # gd_official, osta_gd,
    # expert, expert2, inspector
    client.logout()
    body = signed_in(client, world.osta_national).get(reverse("portal:dashboard")).content
    assert f'href="{LIST}"'.encode() not in body


# --- Creating ------------------------------------------------------------------------------


def test_a_provincial_official_creates_an_expert_with_a_one_time_password(client, world):
    signed_in(client, world.gd_official)
    form = client.get(CREATE).context["form"]
    assert [c[0] for c in form.fields["jurisdiction"].widget.choices] == ["440000"]
    assert [c[0] for c in form.fields["roles"].widget.choices] == [
        "provincial_official",
        "osta_staff",
        "expert",
        "inspector",
    ]
    response = client.post(CREATE, new_account_data(phone="138 0013 8000"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    account = User.objects.get(username="gd_expert_new")
    assert account.check_password(password)
    assert account.must_change_password
    assert account.jurisdiction == "440000"
    assert account.phone == "13800138000"
    assert accounts.roles_of(account) == ["expert"]
    entry = AuditEntry.objects.get(action="portal.account.create")
    assert entry.actor == world.gd_official
    assert entry.province == "440000"
    assert entry.object_id == str(account.pk)
    assert entry.changes["roles"] == [None, ["expert"]]
    assert entry.changes["must_change_at_next_sign_in"] == [None, True]
    assert password not in all_audit_text()
    # The new account belongs to the pool of the province and is managed there.
    assert accounts.manages(world.gd_official, account)
    assert not accounts.manages(world.hlj_official, account)


def test_the_one_time_password_passes_the_password_rules(world):
    from django.contrib.auth.password_validation import validate_password

    seen = set()
    for _ in range(20):
        password = accounts.generate_one_time_password(world.expert)
        validate_password(password, world.expert)
        seen.add(password)
    assert len(seen) == 20


def test_a_provincial_official_cannot_grant_the_ministry_role(client, world):
    signed_in(client, world.gd_official)
    response = client.post(CREATE, new_account_data(roles=["ministry_official"]))
    assert response.status_code == 200
    assert "role_not_allowed" in error_codes(response, "roles")
    assert not User.objects.filter(username="gd_expert_new").exists()
    with pytest.raises(ValidationError):
        accounts.create_account(
            world.gd_official,
            username="sneaky",
            real_name="x",
            jurisdiction="440000",
            roles=["ministry_official"],
        )
    assert not User.objects.filter(username="sneaky").exists()


def test_a_provincial_official_cannot_create_accounts_elsewhere(client, world):
    signed_in(client, world.gd_official)
    for code in ("230000", NATIONAL, "999999"):
        response = client.post(CREATE, new_account_data(jurisdiction=code))
        assert response.status_code == 200
        codes = error_codes(response, "jurisdiction")
        assert codes in (["jurisdiction_not_allowed"], ["invalid_choice"]), codes
    assert not User.objects.filter(username="gd_expert_new").exists()
    assert not AuditEntry.objects.exists()


def test_bad_input_leaves_no_row_and_shows_messages_at_the_fields(client, world):
    signed_in(client, world.gd_official)
    response = client.post(CREATE, new_account_data(username="EXPERT", phone="12345"))
    assert response.status_code == 200
    assert error_codes(response, "username") == ["unique"]
    assert error_codes(response, "phone") == ["invalid_phone"]
    assert "请输入有效的电话号码。" in response.content.decode()
    response = client.post(CREATE, new_account_data(roles=[], real_name=""))
    assert error_codes(response, "roles") == ["required"]
    assert error_codes(response, "real_name") == ["required"]
    response = client.post(CREATE, new_account_data(roles=["wizard"]))
    assert error_codes(response, "roles") == ["invalid_choice"]
    assert User.objects.filter(username__iexact="expert").count() == 1
    assert not User.objects.filter(username="gd_expert_new").exists()
    assert not AuditEntry.objects.exists()


def test_the_ministry_creates_national_and_provincial_accounts(client, world):
    signed_in(client, world.ministry)
    response = client.post(
        CREATE,
        new_account_data(username="minister2", jurisdiction=NATIONAL, roles=["ministry_official"]),
    )
    assert response.status_code == 200, response.context["form"].errors
    response = client.post(
        CREATE, new_account_data(username="hlj_insp", jurisdiction="230000", roles=["inspector"])
    )
    assert response.status_code == 200
    assert User.objects.get(username="hlj_insp").jurisdiction == "230000"
    assert (
        AuditEntry.objects.get(object_id=str(User.objects.get(username="hlj_insp").pk)).province
        == "230000"
    )
    # Roles must fit the jurisdiction.
    response = client.post(
        CREATE,
        new_account_data(username="bad1", jurisdiction="440000", roles=["ministry_official"]),
    )
    assert "role_needs_national" in error_codes(response, "roles")
    response = client.post(
        CREATE,
        new_account_data(username="bad2", jurisdiction=NATIONAL, roles=["provincial_official"]),
    )
    assert "role_needs_province" in error_codes(response, "roles")
    assert not User.objects.filter(username__in=["bad1", "bad2"]).exists()


def test_services_refuse_those_who_may_not_manage_accounts(world):
    for actor in (world.osta_national, world.expert, world.nobody):
        with pytest.raises(PermissionDenied):
            accounts.create_account(
                actor, username="x1", real_name="x", jurisdiction="440000", roles=["expert"]
            )
        with pytest.raises(PermissionDenied):
            accounts.reset_password(actor, world.expert2)
        with pytest.raises(PermissionDenied):
            accounts.deactivate_account(actor, world.expert2)
    with pytest.raises(PermissionDenied):
        accounts.change_account(
            world.hlj_official,
            world.expert,
            real_name="x",
            jurisdiction="230000",
            roles=["expert"],
        )
    assert not AuditEntry.objects.exists()


# --- Changing ------------------------------------------------------------------------------


def test_editing_roles_and_details_is_audited_with_before_and_after(client, world):
    signed_in(client, world.gd_official)
    url = reverse("accounts:edit", args=[world.expert.pk])
    form = client.get(url).context["form"]
    assert form.initial["roles"] == ["expert"]
    data = {
        "real_name": "李专家",
        "phone": "020-12345678",
        "email": "expert@example.org",
        "organisation": "",
        "jurisdiction": "440000",
        "roles": ["inspector", "expert"],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    world.expert.refresh_from_db()
    assert world.expert.real_name == "李专家"
    assert accounts.roles_of(world.expert) == ["expert", "inspector"]
    entry = AuditEntry.objects.get(action="portal.account.change")
    assert entry.province == "440000"
    assert entry.changes == {
        "real_name": ["expert", "李专家"],
        "phone": ["", "020-12345678"],
        "roles": [["expert"], ["expert", "inspector"]],
    }
    # Saving again unchanged writes nothing.
    client.post(url, data)
    assert AuditEntry.objects.filter(action="portal.account.change").count() == 1


def test_a_provincial_official_cannot_promote_to_ministry_official(client, world):
    signed_in(client, world.gd_official)
    url = reverse("accounts:edit", args=[world.expert.pk])
    response = client.post(
        url,
        {"real_name": "x", "jurisdiction": "440000", "roles": ["expert", "ministry_official"]},
    )
    assert response.status_code == 200
    assert "role_not_allowed" in error_codes(response, "roles")
    assert accounts.roles_of(world.expert) == ["expert"]


def test_officials_cannot_change_their_own_roles(client, world):
    signed_in(client, world.gd_official)
    url = reverse("accounts:edit", args=[world.gd_official.pk])
    form = client.get(url).context["form"]
    assert form.fields["roles"].disabled
    response = client.post(
        url, {"real_name": "广东官员", "jurisdiction": "440000", "roles": ["expert"]}
    )
    assert response.status_code == 302
    world.gd_official.refresh_from_db()
    assert world.gd_official.real_name == "广东官员"
    assert accounts.roles_of(world.gd_official) == ["provincial_official"]
    with pytest.raises(ValidationError) as exc:
        accounts.change_account(
            world.gd_official,
            world.gd_official,
            real_name="x",
            jurisdiction="440000",
            roles=["expert"],
        )
    assert exc.value.error_dict["roles"][0].code == "own_roles"


# --- Deactivating, reactivating, resetting -------------------------------------------------


def test_deactivate_and_reactivate_with_confirmation(client, world):
    signed_in(client, world.gd_official)
    url = reverse("accounts:deactivate", args=[world.inspector.pk])
    response = client.get(url)
    assert response.status_code == 200
    world.inspector.refresh_from_db()
    assert world.inspector.is_active  # GET only asks
    assert client.post(url).status_code == 302
    world.inspector.refresh_from_db()
    assert not world.inspector.is_active
    other = type(client)()
    assert not other.login(username="inspector", password=PASSWORD)
    entry = AuditEntry.objects.get(action="portal.account.deactivate")
    assert entry.changes == {"is_active": [True, False]}
    assert entry.province == "440000"
    # Deactivated accounts stay listed and can be filtered.
    response = client.get(LIST, {"active": "0"})
    assert [r["account"].username for r in response.context["rows"]] == ["inspector"]

    url = reverse("accounts:reactivate", args=[world.inspector.pk])
    assert client.post(url).status_code == 302
    world.inspector.refresh_from_db()
    assert world.inspector.is_active
    assert AuditEntry.objects.filter(action="portal.account.reactivate").count() == 1
    assert other.login(username="inspector", password=PASSWORD)


def test_officials_cannot_deactivate_or_reset_themselves(client, world):
    signed_in(client, world.gd_official)
    for name in ("deactivate", "reset_password", "reset_2fa"):
        url = reverse(f"accounts:{name}", args=[world.gd_official.pk])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    world.gd_official.refresh_from_db()
    assert world.gd_official.is_active


def test_reset_password_shows_a_one_time_password_once_and_forces_a_change(client, world):
    expert_client = type(client)()
    expert_client.force_login(world.expert)
    assert expert_client.get(reverse("portal:dashboard")).status_code == 200

    signed_in(client, world.gd_official)
    url = reverse("accounts:reset_password", args=[world.expert.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    world.expert.refresh_from_db()
    assert world.expert.check_password(password)
    assert not world.expert.check_password(PASSWORD)
    assert world.expert.must_change_password
    # The password is not in the detail page, the audit trail or the session.
    assert (
        password
        not in client.get(reverse("accounts:detail", args=[world.expert.pk])).content.decode()
    )
    assert password not in all_audit_text()
    assert password not in json.dumps(dict(client.session.items()), default=str)
    entry = AuditEntry.objects.get(action="portal.account.reset_password")
    assert entry.changes == {"must_change_at_next_sign_in": [False, True]}
    # The expert's old session has ended; signing in leads to the password change.
    assert expert_client.get(reverse("portal:dashboard")).status_code == 302
    assert expert_client.login(username="expert", password=password)
    response = expert_client.get(reverse("portal:dashboard"))
    assert response["Location"] == reverse("portal:password_change")


# --- The list -------------------------------------------------------------------------------


def test_the_list_filters_and_pages(client, world):
    for i in range(30):
        make_user(f"pool{i:02d}", role="expert", jurisdiction="440000", real_name=f"池专家{i:02d}")
    signed_in(client, world.gd_official)
    response = client.get(LIST)
    assert response.context["page"].paginator.count == 35
    assert len(response.context["rows"]) == 25
    response = client.get(LIST, {"page": 2, "role": "expert"})
    assert response.context["page"].number == 2
    assert len(response.context["rows"]) == 7  # 32 experts
    assert "role=expert" in response.content.decode()  # the filters survive paging
    response = client.get(LIST, {"q": "池专家07"})
    assert [r["account"].username for r in response.context["rows"]] == ["pool07"]
    response = client.get(LIST, {"q": "INSPECT"})
    assert [r["account"].username for r in response.context["rows"]] == ["inspector"]
    response = client.get(LIST, {"role": "inspector", "active": "1"})
    assert [r["account"].username for r in response.context["rows"]] == ["inspector"]
    # A role the manager cannot assign is not a filter.
    response = client.get(LIST, {"role": "ministry_official"})
    assert response.context["page"].paginator.count == 35


def test_the_ministry_filters_by_jurisdiction(client, world):
    signed_in(client, world.ministry)
    response = client.get(LIST, {"jurisdiction": "230000"})
    assert [r["account"].username for r in response.context["rows"]] == ["hlj_official"]
    response = client.get(LIST, {"role": AuthorityRole.MINISTRY_OFFICIAL})
    assert [r["account"].username for r in response.context["rows"]] == ["ministry"]


def test_the_detail_page_shows_the_history(client, world):
    signed_in(client, world.gd_official)
    client.post(reverse("accounts:deactivate", args=[world.expert2.pk]))
    response = client.get(reverse("accounts:detail", args=[world.expert2.pk]))
    assert response.status_code == 200
    assert [e.action for e, _label in response.context["entries"]] == ["portal.account.deactivate"]
    assert reverse("accounts:reactivate", args=[world.expert2.pk]) in response.content.decode()
    assert reverse("accounts:deactivate", args=[world.expert2.pk]) not in response.content.decode()
