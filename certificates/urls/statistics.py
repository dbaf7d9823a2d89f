"""URLs of the certificate statistics (Art 21, 24; decision 0053): officials' page (also as
XLSX with ``?format=xlsx``) and the public page."""

from __future__ import annotations

from django.urls import path

from certificates.views import statistics as views
from portal.access import public as anyone
from portal.access import requires

urlpatterns = [
    path(
        "workspace/certificates/statistics/",
        requires("certificates.statistics.view")(views.official_statistics),
        name="statistics",
    ),
    path("certificates/statistics/", anyone(views.public_statistics), name="public_statistics"),
]
