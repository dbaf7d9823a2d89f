"""URLs of the publication stage of supervision; each view's policy is declared beside it."""

from __future__ import annotations

from django.urls import path

from portal.access import public, requires
from supervision.views import publication as views

urlpatterns: list = [
    path(
        "spot-checks/<int:pk>/results/",
        public(views.public_results),
        name="public_results",
    ),
    path(
        "workspace/supervision/publication/",
        requires("supervision.publication.track")(views.tracker),
        name="publication",
    ),
    path(
        "workspace/supervision/publication/<int:pk>/publish/",
        requires("supervision.publication.track")(views.publish),
        name="publication_publish",
    ),
]
