"""The occupation catalogue: public search and pages; the keepers' pages (Art 6)."""

from __future__ import annotations

from django.urls import path

from catalog.views import occupations as views
from portal.access import public, requires

keepers = requires("catalog.occupation.manage")

urlpatterns = [
    path("catalog/", public(views.occupations), name="occupations"),
    path("catalog/occupations/<occupation:code>/", public(views.occupation), name="occupation"),
    path(
        "workspace/catalog/occupations/",
        keepers(views.manage_occupations),
        name="manage_occupations",
    ),
    path(
        "workspace/catalog/occupations/new/",
        keepers(views.occupation_new),
        name="manage_occupation_new",
    ),
    path(
        "workspace/catalog/occupations/<occupation:code>/",
        keepers(views.manage_occupation),
        name="manage_occupation",
    ),
    path(
        "workspace/catalog/occupations/<occupation:code>/edit/",
        keepers(views.occupation_edit),
        name="manage_occupation_edit",
    ),
]
