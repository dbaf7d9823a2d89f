"""Evaluation specifications: public list and pages, an agency's own, and the filing queue of
the national testing centre and the ministry (Art 8)."""

from __future__ import annotations

from django.urls import path

from catalog.views import specs as views
from portal.access import agency_view, public, requires
from portal.roles import AgencyRole

EDITORS = (AgencyRole.ADMIN, AgencyRole.STAFF)
queue = requires("catalog.spec.queue")
editors = agency_view(*EDITORS)

urlpatterns = [
    path("catalog/specs/", public(views.specs), name="specs"),
    path("catalog/specs/<int:pk>/", public(views.spec_public), name="spec_public"),
    path("workspace/catalog/specs/", queue(views.spec_queue), name="spec_queue"),
    path("workspace/catalog/specs/<int:pk>/", queue(views.spec_review), name="spec_review"),
    path(
        "workspace/agency/<int:agency_id>/specs/",
        editors(views.agency_specs),
        name="agency_specs",
    ),
    path(
        "workspace/agency/<int:agency_id>/specs/new/",
        editors(views.agency_spec_new),
        name="agency_spec_new",
    ),
    path(
        "workspace/agency/<int:agency_id>/specs/<int:pk>/",
        editors(views.agency_spec_detail),
        name="agency_spec",
    ),
    path(
        "workspace/agency/<int:agency_id>/specs/<int:pk>/edit/",
        editors(views.agency_spec_edit),
        name="agency_spec_edit",
    ),
]
