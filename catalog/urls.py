"""Catalog URLs; each view's access policy is declared beside it."""

from __future__ import annotations

from django.urls import path

from catalog import manage_urls, views
from portal.access import agency_view, public, requires
from portal.roles import AgencyRole

app_name = "catalog"

EDITORS = (AgencyRole.ADMIN, AgencyRole.STAFF)

urlpatterns = [
    # Public catalogue (no sign-in).
    path("catalog/", public(views.occupations), name="occupations"),
    path("catalog/occupations/<str:code>/", public(views.occupation_detail), name="occupation"),
    path("catalog/standards/", public(views.standards), name="standards"),
    path("catalog/standards/<int:pk>/", public(views.standard_detail), name="standard"),
    path("catalog/specs/", public(views.specs), name="specs"),
    path("catalog/specs/<int:pk>/", public(views.spec_public), name="spec_public"),
    # Filing queue of the national testing centre and the ministry (Art 8).
    path(
        "workspace/catalog/specs/",
        requires("catalog.spec.queue")(views.spec_queue),
        name="spec_queue",
    ),
    path(
        "workspace/catalog/specs/<int:pk>/",
        requires("catalog.spec.queue")(views.spec_review),
        name="spec_review",
    ),
    # An agency's own specifications.
    path(
        "workspace/agency/<int:agency_id>/specs/",
        agency_view(*EDITORS)(views.agency_specs),
        name="agency_specs",
    ),
    path(
        "workspace/agency/<int:agency_id>/specs/new/",
        agency_view(*EDITORS)(views.agency_spec_edit),
        name="agency_spec_new",
    ),
    path(
        "workspace/agency/<int:agency_id>/specs/<int:pk>/",
        agency_view(*EDITORS)(views.agency_spec_detail),
        name="agency_spec",
    ),
    path(
        "workspace/agency/<int:agency_id>/specs/<int:pk>/edit/",
        agency_view(*EDITORS)(views.agency_spec_edit),
        name="agency_spec_edit",
    ),
]

# Officials' pages: occupations, work types, the import, national standards.
urlpatterns += manage_urls.urlpatterns
