"""URLs of the public certificate lookup and the holder's download (Art 22; decision 0047).
Public; the lookup's own limits are counted in the view after the form's checks pass."""

from __future__ import annotations

from django.urls import path

from certificates.views import lookup as views
from portal.access import public

urlpatterns = [
    path("certificates/lookup/", public(views.lookup_page), name="lookup"),
    path(
        "certificates/lookup/download/<str:token>/pdf",
        public(views.download_pdf),
        name="lookup_pdf",
    ),
    path(
        "certificates/lookup/download/<str:token>/vc",
        public(views.download_vc),
        name="lookup_vc",
    ),
]
