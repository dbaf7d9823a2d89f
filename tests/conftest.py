"""Shared fixtures: one world of users, agencies and provinces for every test.

Browser tests drive Debian's chromium (never a downloaded browser) through
pytest-playwright; see ../shared/STACK.md "Browser tests".
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.portal.builders import PASSWORD, make_user  # noqa: F401 (PASSWORD: re-exported)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(autouse=True)
def _isolated_rate_limits(settings):
    # Redis keeps limiter counters between runs; each test gets its own namespace.
    settings.RATE_LIMIT_PREFIX = f"rl-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(autouse=True)
def _english_free_defaults(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db):
    """Officials of the nation, 广东 and 黑龙江; two agencies with one member per role."""
    from portal.models import Agency, AgencyKind, AgencyMembership, AgencySite, AgencyStatus
    from portal.reference import ensure_reference_data
    from portal.roles import NATIONAL, AgencyRole, AuthorityRole

    ensure_reference_data()  # transactional tests flush what the migrations created
    from catalog import reference as catalog_reference

    catalog_reference.load()

    class World:
        pass

    w = World()
    w.ministry = make_user("ministry", role=AuthorityRole.MINISTRY_OFFICIAL, jurisdiction=NATIONAL)
    w.gd_official = make_user(
        "gd_official", role=AuthorityRole.PROVINCIAL_OFFICIAL, jurisdiction="440000"
    )
    w.hlj_official = make_user(
        "hlj_official", role=AuthorityRole.PROVINCIAL_OFFICIAL, jurisdiction="230000"
    )
    w.osta_national = make_user(
        "osta_national", role=AuthorityRole.OSTA_STAFF, jurisdiction=NATIONAL
    )
    w.osta_gd = make_user("osta_gd", role=AuthorityRole.OSTA_STAFF, jurisdiction="440000")
    w.expert = make_user("expert", role=AuthorityRole.EXPERT, jurisdiction="440000")
    w.expert2 = make_user("expert2", role=AuthorityRole.EXPERT, jurisdiction="440000")
    w.inspector = make_user("inspector", role=AuthorityRole.INSPECTOR, jurisdiction="440000")
    w.nobody = make_user("nobody")

    w.gd_agency = Agency.objects.create(
        name="广东测试评价中心",
        uscc="91440300MA5F8G9H2K",
        kind=AgencyKind.SOCIAL_ORG,
        registered_province_id="440000",
        filing_jurisdiction="440000",
        agency_code="0000",
        status=AgencyStatus.LISTED,
    )
    w.gd_site = AgencySite.objects.create(
        agency=w.gd_agency,
        name="深圳站",
        province_id="440000",
        address="深圳",
        site_serial="000101",
    )
    w.hlj_agency = Agency.objects.create(
        name="黑龙江测试评价中心",
        uscc="91230100MA1B2C3D49",
        kind=AgencyKind.EMPLOYER,
        registered_province_id="230000",
        filing_jurisdiction="230000",
        agency_code="0000",
        status=AgencyStatus.LISTED,
    )
    w.hlj_site = AgencySite.objects.create(
        agency=w.hlj_agency, name="哈尔滨站", province_id="230000", address="哈尔滨"
    )
    w.members = {}
    for role in AgencyRole.values:
        user = make_user(f"gd_{role}")
        AgencyMembership.objects.create(user=user, agency=w.gd_agency, role=role)
        w.members[role] = user
    w.hlj_admin = make_user("hlj_admin")
    AgencyMembership.objects.create(user=w.hlj_admin, agency=w.hlj_agency, role=AgencyRole.ADMIN)
    return w
