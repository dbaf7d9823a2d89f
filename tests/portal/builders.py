"""Builders of the portal tests: accounts, the browser's sign-in, the rate limiter's backends.

Test modules import builders from here (never from another test module), so a test module
can move or be deleted without breaking another one.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

PASSWORD = "Test#pass2026"


def make_user(username: str, *, role: str | None = None, jurisdiction: str = "", **extra):
    """An active account with ``PASSWORD``; ``role`` names an authority-role group."""
    from portal.models import User

    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        real_name=extra.pop("real_name", username),
        jurisdiction=jurisdiction,
        email=extra.pop("email", f"{username}@example.org"),
        **extra,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


# --- The browser ------------------------------------------------------------------------------


def sign_in(page, live_server, username):
    """Sign in through the form (as a person would) and land on the workspace."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")


# --- The rate limiter's two backends ------------------------------------------------------------

# 10:00 in Beijing is 02:00 UTC: the start of a 15-minute (and of a 1-minute) window.
WINDOW_START = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def use_database(settings) -> None:
    settings.REDIS_URL = ""
    settings.RATE_LIMIT_PREFIX = f"rl-test-{uuid.uuid4().hex[:8]}"


def use_redis(settings):
    """Point the limiter at the real Redis with a key prefix of its own; returns a client."""
    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL (source <(bash .ci/services))")
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "portal-test",
        }
    }
    settings.RATE_LIMIT_PREFIX = f"rl-test-{uuid.uuid4().hex[:8]}"
    return redis.Redis.from_url(url)


class Stored:
    """What the limiter wrote, read behind its back: database rows or Redis keys and values."""

    def __init__(self, kind: str, settings, client=None) -> None:
        self.kind, self.settings, self.client = kind, settings, client

    def texts(self) -> list[str]:
        from portal.models import RateLimitBucket

        if self.kind == "db":
            return [f"{b.key} {b.hits}" for b in RateLimitBucket.objects.all()]
        pattern = f"*{self.settings.RATE_LIMIT_PREFIX}:*"
        return [
            f"{key.decode()} {self.client.get(key).decode()}"
            for key in self.client.scan_iter(match=pattern)
        ]

    def cleanup(self) -> None:
        if self.client is not None:
            for key in self.client.scan_iter(match=f"*{self.settings.RATE_LIMIT_PREFIX}:*"):
                self.client.delete(key)


# --- The world every test shares ----------------------------------------------------------------


class World:
    """The world as one test sees it: fresh objects read from the database by primary key."""

    members: dict


def seed_world() -> dict:
    """Officials of the nation, 广东 and 黑龙江; two agencies with one member per role.

    Committed once per session (and again after a transactional test flushed it); returns
    the primary keys. Reference data first: a flush also removes what the migrations made.
    """
    from catalog import reference as catalog_reference
    from portal.models import Agency, AgencyKind, AgencyMembership, AgencySite, AgencyStatus, User
    from portal.reference import ensure_reference_data
    from portal.roles import NATIONAL, AgencyRole, AuthorityRole

    ensure_reference_data()
    catalog_reference.load()
    if User.objects.filter(username="ministry").exists():  # a kept database (--reuse-db)
        return world_pks_from_names()
    make_user("ministry", role=AuthorityRole.MINISTRY_OFFICIAL, jurisdiction=NATIONAL)
    make_user("gd_official", role=AuthorityRole.PROVINCIAL_OFFICIAL, jurisdiction="440000")
    make_user("hlj_official", role=AuthorityRole.PROVINCIAL_OFFICIAL, jurisdiction="230000")
    make_user("osta_national", role=AuthorityRole.OSTA_STAFF, jurisdiction=NATIONAL)
    make_user("osta_gd", role=AuthorityRole.OSTA_STAFF, jurisdiction="440000")
    make_user("expert", role=AuthorityRole.EXPERT, jurisdiction="440000")
    make_user("expert2", role=AuthorityRole.EXPERT, jurisdiction="440000")
    make_user("inspector", role=AuthorityRole.INSPECTOR, jurisdiction="440000")
    make_user("nobody")
    gd_agency = Agency.objects.create(
        name="广东测试评价中心",
        uscc="91440300MA5F8G9H2K",
        kind=AgencyKind.SOCIAL_ORG,
        registered_province_id="440000",
        filing_jurisdiction="440000",
        agency_code="0000",
        status=AgencyStatus.LISTED,
    )
    AgencySite.objects.create(
        agency=gd_agency,
        name="深圳站",
        province_id="440000",
        address="深圳",
        site_serial="000101",
    )
    hlj_agency = Agency.objects.create(
        name="黑龙江测试评价中心",
        uscc="91230100MA1B2C3D49",
        kind=AgencyKind.EMPLOYER,
        registered_province_id="230000",
        filing_jurisdiction="230000",
        agency_code="0000",
        status=AgencyStatus.LISTED,
    )
    AgencySite.objects.create(
        agency=hlj_agency, name="哈尔滨站", province_id="230000", address="哈尔滨"
    )
    for role in AgencyRole.values:
        user = make_user(f"gd_{role}")
        AgencyMembership.objects.create(user=user, agency=gd_agency, role=role)
    hlj_admin = make_user("hlj_admin")
    AgencyMembership.objects.create(user=hlj_admin, agency=hlj_agency, role=AgencyRole.ADMIN)
    return world_pks_from_names()


def world_pks_from_names() -> dict:
    from portal.models import Agency, AgencySite, User
    from portal.roles import AgencyRole

    names = [*WORLD_USERS, "hlj_admin", *(f"gd_{role}" for role in AgencyRole.values)]
    users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    agencies = dict(
        Agency.objects.filter(uscc__in=WORLD_AGENCIES.values()).values_list("uscc", "pk")
    )
    pks = {name: users[name] for name in (*WORLD_USERS, "hlj_admin")}
    pks["members"] = {role: users[f"gd_{role}"] for role in AgencyRole.values}
    for attribute, uscc in WORLD_AGENCIES.items():
        pks[attribute] = agencies[uscc]
        site = AgencySite.objects.filter(agency_id=agencies[uscc]).order_by("pk").first()
        pks[attribute.replace("agency", "site")] = site.pk
    return pks


WORLD_USERS = (
    "ministry",
    "gd_official",
    "hlj_official",
    "osta_national",
    "osta_gd",
    "expert",
    "expert2",
    "inspector",
    "nobody",
)
WORLD_AGENCIES = {"gd_agency": "91440300MA5F8G9H2K", "hlj_agency": "91230100MA1B2C3D49"}


def world_view(pks: dict) -> World:
    """Read the world afresh, so what one test changes in memory never reaches another."""
    from portal.models import Agency, AgencySite, User

    users = User.objects.in_bulk(
        [*(pks[n] for n in (*WORLD_USERS, "hlj_admin")), *pks["members"].values()]
    )
    agencies = Agency.objects.in_bulk([pks["gd_agency"], pks["hlj_agency"]])
    sites = AgencySite.objects.in_bulk([pks["gd_site"], pks["hlj_site"]])
    w = World()
    for name in (*WORLD_USERS, "hlj_admin"):
        setattr(w, name, users[pks[name]])
    w.members = {role: users[pk] for role, pk in pks["members"].items()}
    w.gd_agency, w.hlj_agency = agencies[pks["gd_agency"]], agencies[pks["hlj_agency"]]
    w.gd_site, w.hlj_site = sites[pks["gd_site"]], sites[pks["hlj_site"]]
    return w


def hide_world(pks: dict) -> None:
    """Delete the world's accounts and agencies (with what hangs on them) in this transaction."""
    from portal.models import Agency, AgencyMembership, AgencySite, User

    users = [*(pks[n] for n in (*WORLD_USERS, "hlj_admin")), *pks["members"].values()]
    agencies = [pks["gd_agency"], pks["hlj_agency"]]
    AgencyMembership.objects.filter(agency_id__in=agencies).delete()
    AgencySite.objects.filter(agency_id__in=agencies).delete()
    Agency.objects.filter(pk__in=agencies).delete()
    User.objects.filter(pk__in=users).delete()
