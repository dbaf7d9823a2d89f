"""URLs of assignment (namespace ``assessments``): the agency's admin and staff staff a session;
officials of the site's province read it; each assigned person sees their assignments and
declares conflicts (decision 0036)."""

from __future__ import annotations

from django.urls import path

from assessments.views import assignments as views
from portal.access import agency_view, requires, signed_in
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
S = "workspace/agency/<int:agency_id>/sessions/<int:pk>/assignments/"

urlpatterns = [
    path(S, agency_view(*MANAGERS)(views.assignments), name="assignments"),
    path(
        f"{S}<int:assignment_id>/remove/",
        agency_view(*MANAGERS)(views.assignment_remove),
        name="assignment_remove",
    ),
    path(
        "workspace/plans/<int:pk>/assignments/",
        requires("assessments.session.queue")(views.plan_assignments),
        name="plan_assignments",
    ),
    path("workspace/assignments/", signed_in(views.my_assignments), name="my_assignments"),
    path("workspace/assignments/<int:pk>/", views.declare, name="declare"),
]
