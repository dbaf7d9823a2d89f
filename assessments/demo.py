"""Demo data of exam affairs: on the portal's listed 广东 demo agency (``agency_admin``), a
verified venue with a theory room and a skill room, and a leased venue waiting for verification
by ``gd_official``. All marked 演示."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from assessments import services
from assessments.models import RoomKind, Tenure, Venue
from catalog.models import Occupation
from portal import clock
from portal.models import Agency, User

DEMO_AGENCY = "91440101MA5D7E0M1A"  # 广州市演示职业技能评价中心（演示）
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def seed(stdout=None) -> None:
    agency = Agency.objects.filter(uscc=DEMO_AGENCY).first()
    admin = User.objects.filter(username="agency_admin").first()
    official = User.objects.filter(username="gd_official").first()
    site = agency.sites.order_by("pk").first() if agency else None
    if site is None or admin is None or official is None:
        return
    if Venue.objects.filter(site__agency=agency).exists():
        if stdout is not None:
            stdout.write("assessments: demo venues already present")
        return
    electrician = list(Occupation.objects.filter(code="6-31-01-03"))
    verified = services.create_venue(
        admin,
        site,
        name="天河考点（演示）",
        address="广州市天河区演示路18号3楼",
        tenure=Tenure.OWNED,
        lease_starts=None,
        lease_ends=None,
        recordings_kept_days=90,
        recordings_stored_at="考点视频监控服务器（机房 301）",
        rooms=[
            services.RoomData("理论考场 301", RoomKind.THEORY, 40, 2),
            services.RoomData("技能考场 302", RoomKind.SKILL, 12, 3, electrician),
        ],
    )
    services.verify_venue(
        official, verified, remarks="现场核验：考场、设备与视频监控符合要求。（演示）"
    )
    today = clock.today()
    services.create_venue(
        admin,
        site,
        name="番禺考点（演示）",
        address="广州市番禺区演示大道66号",
        tenure=Tenure.LEASED,
        lease_starts=today - dt.timedelta(days=30),
        lease_ends=today + dt.timedelta(days=700),
        lease_upload=ContentFile(PDF, name="lease.pdf"),
        recordings_kept_days=60,
        recordings_stored_at="省级考务监控平台",
        rooms=[
            services.RoomData("理论考场 A", RoomKind.THEORY, 60, 4),
            services.RoomData("评审室", RoomKind.REVIEW, 10, 1),
        ],
    )
