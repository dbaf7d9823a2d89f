"""URLs of the certificate PDFs and the agency's seal (decision 0043); each policy beside it."""

from __future__ import annotations

from django.urls import path

from certificates.views import pdf as views
from portal.access import agency_view
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/certificates/"

urlpatterns = [
    path(
        f"{W}<int:pk>/pdf/", agency_view(*MANAGERS)(views.certificate_pdf), name="certificate_pdf"
    ),
    path(f"{W}print/", agency_view(*MANAGERS)(views.print_sessions), name="print_sessions"),
    path(f"{W}print/<int:pk>/", agency_view(*MANAGERS)(views.session_pdf), name="session_pdf"),
    path(f"{W}settings/", agency_view(*MANAGERS)(views.seal), name="seal"),
]
