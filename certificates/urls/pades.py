"""The published root of the PDF signing CA and the agency's VC download (issue 16); each
policy beside it."""

from __future__ import annotations

from django.urls import path

from certificates.views import pades as views
from portal.access import agency_view
from portal.access import public as anyone
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/certificates/"

urlpatterns = [
    path("certificates/keys/pdf-ca.pem", anyone(views.pdf_ca), name="pdf_ca"),
    path(
        f"{W}<int:pk>/credential.json",
        agency_view(*MANAGERS)(views.certificate_credential),
        name="certificate_credential",
    ),
]
