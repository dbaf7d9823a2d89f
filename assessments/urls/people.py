"""URLs of examiners and supervisors (namespace ``assessments``): the agency's list (its admin
changes it, staff read), the testing centre's registry, the person's own page."""

from __future__ import annotations

from django.urls import path

from assessments.views import people as views
from portal.access import agency_view, requires, signed_in
from portal.roles import AgencyRole

ADMIN = AgencyRole.ADMIN
READERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/people/"
R = "workspace/people/"

urlpatterns = [
    path(W, agency_view(*READERS)(views.people), name="people"),
    path(f"{W}add/<str:kind>/", agency_view(ADMIN)(views.person_add), name="person_add"),
    path(f"{W}<int:pk>/", agency_view(*READERS)(views.person), name="person"),
    path(f"{W}<int:pk>/edit/", agency_view(ADMIN)(views.person_edit), name="person_edit"),
    path(f"{W}<int:pk>/training/", agency_view(ADMIN)(views.training_add), name="training_add"),
    path(f"{W}<int:pk>/retire/", agency_view(ADMIN)(views.person_retire), name="person_retire"),
    path(R, requires("assessments.people.registry")(views.registry), name="registry"),
    path(f"{R}<str:kind>/<int:pk>/", views.registry_person, name="registry_person"),
    path(f"{R}<str:kind>/<int:pk>/suspend/", views.registry_suspend, name="registry_suspend"),
    path(f"{R}<str:kind>/<int:pk>/reinstate/", views.registry_reinstate, name="registry_reinstate"),
    path(
        "workspace/my/qualifications/", signed_in(views.my_qualifications), name="my_qualifications"
    ),
]
