"""URLs of venues (namespace ``assessments``): the agency's admin and staff declare and change
them; officials of the site's province (national: all) read and verify them."""

from __future__ import annotations

from django.urls import path

from assessments.views import venues as views
from portal.access import agency_view, requires
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/"

urlpatterns = [
    path(f"{W}venues/", agency_view(*MANAGERS)(views.venues), name="venues"),
    path(f"{W}venues/new/", agency_view(*MANAGERS)(views.venue_new), name="venue_new"),
    path(f"{W}venues/<int:pk>/", agency_view(*MANAGERS)(views.venue), name="venue"),
    path(f"{W}venues/<int:pk>/edit/", agency_view(*MANAGERS)(views.venue_edit), name="venue_edit"),
    path(
        "workspace/venues/",
        requires("assessments.venue.queue")(views.venue_queue),
        name="venue_queue",
    ),
    path(
        "workspace/venues/<int:pk>/",
        requires("assessments.venue.queue")(views.venue_review),
        name="venue_review",
    ),
]
