"""URLs of an agency's members (namespace ``agencies``): the administrator manages them, staff
read the list."""

from __future__ import annotations

from django.urls import path

from agencies.views import staff as views
from portal.access import agency_view
from portal.roles import AgencyRole

ADMIN = AgencyRole.ADMIN
READERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/"

urlpatterns = [
    path(f"{W}staff/", agency_view(*READERS)(views.staff), name="staff"),
    path(f"{W}staff/add/", agency_view(ADMIN)(views.staff_add), name="staff_add"),
    path(f"{W}staff/<int:pk>/role/", agency_view(ADMIN)(views.staff_role), name="staff_role"),
    path(f"{W}staff/<int:pk>/remove/", agency_view(ADMIN)(views.staff_remove), name="staff_remove"),
]
