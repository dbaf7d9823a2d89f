"""URLs of the vetting (Art 14): the officials' queue and application page, the experts'
assignments; each view's access policy is declared beside it.

List pages require an action; object pages load their object with ``@loads`` (which declares
their policy) through a scoped query and answer 404 when it is out of the user's reach."""

from __future__ import annotations

from django.urls import path

from agencies.views import vetting as views
from portal.access import requires

urlpatterns = [
    # Material check, expert review, site visit, decision.
    path(
        "workspace/agencies/applications/",
        requires("agencies.application.queue")(views.queue),
        name="vetting",
    ),
    path(
        "workspace/agencies/applications/<int:pk>/",
        views.vetting_detail,
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
        views.expert_assignment,
        name="expert_assignment",
    ),
]
