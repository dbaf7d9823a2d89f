"""Officials' supervision of listed agencies and the public list of removed agencies
(namespace ``agencies``, included by agencies/urls.py); each view's policy is declared beside
it. Object pages (``per_object``) check the official's role (403) and load their object through
a query scoped to the jurisdiction (404 outside it)."""

from __future__ import annotations

from django.urls import path

from agencies import views_officials as views
from portal.access import per_object, public, requires

QUEUE = "agencies.change.queue"

urlpatterns = [
    # Listed agencies of the jurisdiction: suspension and removal by the filing authority.
    path(
        "workspace/agencies/listed/", requires(QUEUE)(views.listed_agencies), name="listed_agencies"
    ),
    path(
        "workspace/agencies/listed/<int:agency_id>/",
        per_object("agencies.agency.sanction")(views.listed_agency),
        name="listed_agency",
    ),
    # Change requests of listed agencies: decided by the filing authority.
    path(
        "workspace/agencies/changes/",
        requires(QUEUE)(views.change_requests),
        name="change_requests",
    ),
    path(
        "workspace/agencies/changes/<int:pk>/",
        per_object("agencies.change.decide")(views.change_request),
        name="change_request",
    ),
    # Public: agencies removed from the directory, with the follow-up plan (Art 27, 28).
    path("directory/removed/", public(views.removed_agencies), name="removed_agencies"),
]
