"""Revocation, correction and reissue (Art 27; decision 0049): the agency asks (admin and
staff), its filing authority decides, officials of the site's province revoke directly."""

from __future__ import annotations

from django.urls import path

from certificates.views import changes
from portal.access import agency_view, requires
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/certificates/"
decider = requires("certificates.request.decide")

urlpatterns = [
    path(
        f"{W}<int:pk>/ask/<str:kind>/",
        agency_view(*MANAGERS)(changes.ask),
        name="agency_request_new",
    ),
    path(f"{W}requests/", agency_view(*MANAGERS)(changes.agency_requests), name="agency_requests"),
    path(
        f"{W}requests/<int:pk>/withdraw/",
        agency_view(*MANAGERS)(changes.withdraw),
        name="agency_request_withdraw",
    ),
    path("workspace/certificates/requests/", decider(changes.queue), name="request_queue"),
    path(
        "workspace/certificates/requests/<int:pk>/",
        decider(changes.decide),
        name="request_decide",
    ),
    path(
        "workspace/certificates/<int:pk>/revoke/",
        requires("certificates.revoke")(changes.revoke),
        name="revoke",
    ),
]
