"""Officials' catalogue pages under /workspace/catalog/ (no namespace of their own: the
lead's catalog/urls.py appends these to its ``catalog`` namespace)."""

from __future__ import annotations

from django.urls import path

from catalog import manage_views as views
from portal.access import requires

occupations = requires("catalog.occupation.manage")
standards = requires("catalog.standard.manage")

urlpatterns = [
    path(
        "workspace/catalog/occupations/", occupations(views.occupations), name="manage_occupations"
    ),
    path(
        "workspace/catalog/occupations/new/",
        occupations(views.occupation_edit),
        name="manage_occupation_new",
    ),
    path(
        "workspace/catalog/occupations/import/",
        occupations(views.occupation_import),
        name="manage_import",
    ),
    path(
        "workspace/catalog/occupations/<str:code>/",
        occupations(views.occupation_detail),
        name="manage_occupation",
    ),
    path(
        "workspace/catalog/occupations/<str:code>/edit/",
        occupations(views.occupation_edit),
        name="manage_occupation_edit",
    ),
    path("workspace/catalog/standards/", standards(views.standards), name="manage_standards"),
    path(
        "workspace/catalog/standards/new/",
        standards(views.standard_new),
        name="manage_standard_new",
    ),
    path(
        "workspace/catalog/standards/<int:pk>/edit/",
        standards(views.standard_edit),
        name="manage_standard_edit",
    ),
    path(
        "workspace/catalog/standards/<int:pk>/document/",
        standards(views.standard_document),
        name="manage_standard_document",
    ),
]
