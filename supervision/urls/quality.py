"""URLs of the quality stage of supervision (Art 26); each view's policy is declared beside it:
the supervisor's visits (experts; a visit only when sent to it), the authority's reports
(officials and the testing centre of the jurisdiction), the agency's reports (its admin and
staff)."""

from __future__ import annotations

from django.urls import path

from portal.access import agency_view, requires
from portal.roles import AgencyRole
from supervision.views import quality as views

Q = "workspace/supervision/quality/"
A = "workspace/agency/<int:agency_id>/supervision/quality/"
MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)

urlpatterns = [
    path(Q, requires("supervision.quality.visits")(views.my_visits), name="quality_visits"),
    path(
        f"{Q}reports/",
        requires("supervision.quality.reports")(views.reports),
        name="quality_reports",
    ),
    path(f"{Q}<int:pk>/", views.visit, name="quality_visit"),
    path(f"{Q}<int:pk>/report/", views.report, name="quality_report"),
    path(A, agency_view(*MANAGERS)(views.agency_reports), name="agency_quality_reports"),
    path(
        f"{A}<int:pk>/", agency_view(*MANAGERS)(views.agency_report), name="agency_quality_report"
    ),
]
