"""National standards: public list and pages; the keepers' pages (Art 7, 8)."""

from __future__ import annotations

from django.urls import path

from catalog.views import standards as views
from portal.access import public, requires

keepers = requires("catalog.standard.manage")

urlpatterns = [
    path("catalog/standards/", public(views.standards), name="standards"),
    path("catalog/standards/<int:pk>/", public(views.standard), name="standard"),
    path("workspace/catalog/standards/", keepers(views.manage_standards), name="manage_standards"),
    path(
        "workspace/catalog/standards/new/",
        keepers(views.standard_new),
        name="manage_standard_new",
    ),
    path(
        "workspace/catalog/standards/<int:pk>/edit/",
        keepers(views.standard_edit),
        name="manage_standard_edit",
    ),
    path(
        "workspace/catalog/standards/<int:pk>/document/",
        keepers(views.standard_document),
        name="manage_standard_document",
    ),
]
