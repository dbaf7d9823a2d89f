"""URLs of a session's archive (Art 18, 21): the agency's admin and staff add to the record,
archive and download the export; officials and the testing centre of the site's province read
the archive and download the export."""

from __future__ import annotations

from django.urls import path

from assessments.views import archives as views
from portal.access import agency_view, requires
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/"

urlpatterns = [
    path(
        f"{W}sessions/<int:pk>/archive/",
        agency_view(*MANAGERS)(views.session_archive),
        name="session_archive",
    ),
    path(
        f"{W}sessions/<int:pk>/archive/export.zip",
        agency_view(*MANAGERS)(views.session_archive_export),
        name="session_archive_export",
    ),
    path(
        "workspace/plans/<int:pk>/archive/",
        requires("assessments.session.queue")(views.plan_archive),
        name="plan_archive",
    ),
    path(
        "workspace/plans/<int:pk>/archive/export.zip",
        requires("assessments.session.queue")(views.plan_archive_export),
        name="plan_archive_export",
    ),
]
