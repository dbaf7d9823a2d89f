"""URLs of running a listed agency (Art 16, 19, 22, 27, 28); each view's policy beside it.

Agency workspace: the administrator publishes the rules and fees, every member reads them;
change requests are the administrator's. Officials: the listed agencies of their jurisdiction
and the change requests; object pages check the official's role here (403) and load their
object with ``@loads`` through a query scoped to the jurisdiction (404 outside it). Public: the
agencies removed from the directory.
"""

from __future__ import annotations

from django.urls import path

from agencies.views import running as views
from portal.access import agency_view, public, requires
from portal.roles import AgencyRole

ADMIN = AgencyRole.ADMIN
W = "workspace/agency/<int:agency_id>/"
QUEUE = "agencies.change.queue"

urlpatterns = [
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
    # Listed agencies of the jurisdiction: suspension and removal by the filing authority.
    path(
        "workspace/agencies/listed/", requires(QUEUE)(views.listed_agencies), name="listed_agencies"
    ),
    path(
        "workspace/agencies/listed/<int:agency_id>/",
        requires(QUEUE)(views.listed_agency),
        name="listed_agency",
    ),
    # Change requests of listed agencies: decided by the filing authority.
    path(
        "workspace/agencies/changes/",
        requires(QUEUE)(views.change_requests),
        name="change_requests",
    ),
    path(
        "workspace/agencies/changes/<int:pk>/",
        requires(QUEUE)(views.change_request),
        name="change_request",
    ),
    # Public: agencies removed from the directory, with the follow-up plan (Art 27, 28).
    path("directory/removed/", public(views.removed_agencies), name="removed_agencies"),
]
