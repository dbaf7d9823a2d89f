"""URLs of assessment sessions (namespace ``assessments``): the agency's admin and staff plan
and file them; officials of the site's province (national: all) read filed plans, ask and stop;
everyone searches ``/sessions/``."""

from __future__ import annotations

from django.urls import path

from assessments.views import sessions as views
from portal.access import agency_view, public, requires
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/"

urlpatterns = [
    path(f"{W}sessions/", agency_view(*MANAGERS)(views.sessions), name="sessions"),
    path(f"{W}sessions/new/", agency_view(*MANAGERS)(views.session_new), name="session_new"),
    path(f"{W}sessions/<int:pk>/", agency_view(*MANAGERS)(views.session), name="session"),
    path(
        "workspace/plans/",
        requires("assessments.session.queue")(views.plans),
        name="plans",
    ),
    path(
        "workspace/plans/<int:pk>/",
        requires("assessments.session.queue")(views.plan),
        name="plan",
    ),
    path("sessions/", public(views.public_sessions), name="public_sessions"),
    path("sessions/<int:pk>/", public(views.public_session), name="public_session"),
]
