"""URLs of the published certificate keys (public) and the agency's download of a
certificate's signed credential (decision 0044)."""

from __future__ import annotations

from django.urls import path

from certificates.views import vc
from portal.access import agency_view
from portal.access import public as anyone
from portal.roles import AgencyRole

W = "workspace/agency/<int:agency_id>/certificates/"

urlpatterns = [
    path(".well-known/did.json", anyone(vc.did_document), name="did_document"),
    path("certificates/keys/", anyone(vc.jwks), name="jwks"),
    path(
        f"{W}<int:pk>/credential.json",
        agency_view(AgencyRole.ADMIN, AgencyRole.STAFF)(vc.certificate_credential),
        name="certificate_credential",
    ),
]
