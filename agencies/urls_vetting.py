"""Officials' and experts' pages of the selection of agencies (namespace ``agencies``, included
by agencies/urls.py); each view's access policy is declared beside it.

List pages require an action; object pages (``per_object``) load their object through a
scoped query and answer 404 when it is out of the user's reach."""

from __future__ import annotations

from django.urls import path

from agencies import views_vetting as views
from portal.access import per_object, requires

calls = requires("agencies.call.manage")

urlpatterns = [
    # Calls for agencies (Art 11): the ministry nationwide, a province for its region.
    path("workspace/agencies/calls/", calls(views.calls), name="manage_calls"),
    path("workspace/agencies/calls/new/", calls(views.call_edit), name="manage_call_new"),
    path(
        "workspace/agencies/calls/<int:pk>/",
        per_object("agencies.call.manage")(views.call_detail),
        name="manage_call",
    ),
    path(
        "workspace/agencies/calls/<int:pk>/edit/",
        per_object("agencies.call.manage")(views.call_edit),
        name="manage_call_edit",
    ),
    # Vetting (Art 14): material check, expert review, site visit, decision.
    path(
        "workspace/agencies/applications/",
        requires("agencies.application.queue")(views.queue),
        name="vetting",
    ),
    path(
        "workspace/agencies/applications/<int:pk>/",
        per_object("agencies.application.view")(views.vetting_detail),
        name="vetting_detail",
    ),
    # Experts: their own assignments only.
    path(
        "workspace/expert/applications/",
        requires("agencies.expert.queue")(views.expert_assignments),
        name="expert_assignments",
    ),
    path(
        "workspace/expert/applications/<int:pk>/",
        per_object("agencies.application.review")(views.expert_assignment),
        name="expert_assignment",
    ),
    # Site serials of listed agencies' sites in the official's province.
    path(
        "workspace/agencies/sites/",
        requires("agencies.site.assign_serial")(views.site_serials),
        name="site_serials",
    ),
]
