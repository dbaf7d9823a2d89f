"""URLs of the statistical report (Art 21), each also as XLSX with ``?format=xlsx``: a session's
(its agency; officials of the site's province), the agency's, and the officials' across their
jurisdiction."""

from __future__ import annotations

from django.urls import path

from assessments.views import statistics as views
from portal.access import agency_view, requires
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/"

urlpatterns = [
    path(
        f"{W}sessions/<int:pk>/statistics/",
        agency_view(*MANAGERS)(views.session_statistics),
        name="session_statistics",
    ),
    path(
        f"{W}statistics/",
        agency_view(*MANAGERS)(views.agency_statistics),
        name="agency_statistics",
    ),
    path(
        "workspace/plans/<int:pk>/statistics/",
        requires("assessments.session.queue")(views.plan_statistics),
        name="plan_statistics",
    ),
    path(
        "workspace/statistics/",
        requires("assessments.statistics.view")(views.official_statistics),
        name="statistics",
    ),
]
