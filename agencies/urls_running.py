"""URLs of a listed agency's own running (namespace ``agencies``); each view's policy beside it.

Members: the administrator manages them, staff read the list. Published rules and fees: the
administrator publishes, every member reads. Change requests: the administrator only.
"""

from __future__ import annotations

from django.urls import path

from agencies import views_running as views
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
    path(f"{W}rules/", agency_view()(views.rules), name="rules"),
    path(f"{W}rules/publish/", agency_view(ADMIN)(views.rules_publish), name="rules_publish"),
    path(f"{W}changes/", agency_view(ADMIN)(views.changes), name="changes"),
    path(f"{W}changes/<int:pk>/", agency_view(ADMIN)(views.change_detail), name="change"),
    path(
        f"{W}changes/<int:pk>/withdraw/",
        agency_view(ADMIN)(views.change_withdraw),
        name="change_withdraw",
    ),
    path(f"{W}changes/details/", agency_view(ADMIN)(views.change_details), name="change_details"),
    path(f"{W}changes/scope/", agency_view(ADMIN)(views.change_scope), name="change_scope"),
    path(
        f"{W}changes/serve-others/",
        agency_view(ADMIN)(views.change_serve_others),
        name="change_serve_others",
    ),
    path(f"{W}changes/renewal/", agency_view(ADMIN)(views.change_renewal), name="change_renewal"),
]
