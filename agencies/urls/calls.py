"""URLs of the calls for agencies (Art 11); each view's policy beside it.

Public: the calls and their pages. Officials: the ministry's calls nationwide, a province's for
its region; a call's pages load it with ``@loads`` (which declares their policy): a call the
official does not keep answers 404."""

from __future__ import annotations

from django.urls import path

from agencies.views import calls as views
from portal.access import public, requires

manage = requires("agencies.call.manage")

urlpatterns = [
    path("calls/", public(views.calls), name="calls"),
    path("calls/<int:pk>/", public(views.call_detail), name="call"),
    path("workspace/agencies/calls/", manage(views.manage_calls), name="manage_calls"),
    path("workspace/agencies/calls/new/", manage(views.manage_call_new), name="manage_call_new"),
    path("workspace/agencies/calls/<int:pk>/", views.manage_call, name="manage_call"),
    path(
        "workspace/agencies/calls/<int:pk>/edit/", views.manage_call_edit, name="manage_call_edit"
    ),
]
