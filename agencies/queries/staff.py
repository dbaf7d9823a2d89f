"""Reads of an agency's members (Art 17, 18): who holds which role in the agency."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import AgencyMembership


def members(agency) -> QuerySet[AgencyMembership]:
    """The agency's memberships with their people, for its staff page and for loading one."""
    return AgencyMembership.objects.filter(agency=agency).select_related("user")
