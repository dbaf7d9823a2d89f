"""The keepers' import of the occupation catalogue (Art 6)."""

from __future__ import annotations

from django.urls import path

from catalog.views import imports as views
from portal.access import requires

urlpatterns = [
    path(
        "workspace/catalog/occupations/import/",
        requires("catalog.occupation.manage")(views.occupation_import),
        name="manage_import",
    ),
]
