"""Builders of the assessments tests. Venues: a declared venue of world.gd_site with a theory
and a skill room, owned or leased; a verified one."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import RoomKind, Tenure
from catalog.models import Occupation
from portal import clock

PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name: str = "lease.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def rooms(*, skill_places: int = 12) -> list[services.RoomData]:
    electrician = list(Occupation.objects.filter(code="6-31-01-03"))
    return [
        services.RoomData("理论考场 1", RoomKind.THEORY, 40, 2),
        services.RoomData("技能考场 1", RoomKind.SKILL, skill_places, 3, electrician),
    ]


def venue_fields(**extra) -> dict:
    fields = {
        "name": "测试考点",
        "address": "深圳市南山区测试路1号",
        "tenure": Tenure.OWNED,
        "lease_starts": None,
        "lease_ends": None,
        "recordings_kept_days": 90,
        "recordings_stored_at": "考点监控服务器",
    }
    fields.update(extra)
    return fields


def lease(days: int = 400) -> dict:
    """A lease that started a month ago and runs ``days`` from its start."""
    starts = clock.today() - dt.timedelta(days=30)
    return {
        "tenure": Tenure.LEASED,
        "lease_starts": starts,
        "lease_ends": starts + dt.timedelta(days=days),
        "lease_upload": pdf(),
    }


def declared_venue(world, *, site=None, actor=None, **extra):
    """A venue of ``site`` (world.gd_site), declared by the agency's admin, waiting."""
    site = site or world.gd_site
    actor = actor or world.members["admin"]
    return services.create_venue(actor, site, rooms=rooms(), **venue_fields(**extra))


def verified_venue(world, **extra):
    venue = declared_venue(world, **extra)
    return services.verify_venue(world.gd_official, venue, remarks="符合要求")
