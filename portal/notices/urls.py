"""URLs of public notices (namespace ``notices``); each view's access policy beside it."""

from __future__ import annotations

from django.urls import path

from portal.access import agency_view, public, requires
from portal.notices import views
from portal.ratelimit import ratelimited, subnet_key

app_name = "notices"


def _public_form(view):
    """Anonymous submissions (objections, tracking look-ups) count against both limits."""
    return public(
        ratelimited("public_form.ip")(ratelimited("public_form.subnet", subnet_key)(view))
    )


urlpatterns = [
    path("notices/", public(views.notice_list), name="list"),
    path("notices/track/", _public_form(views.track), name="track"),
    path("notices/<int:pk>/", _public_form(views.notice_detail), name="detail"),
    # Officials of the notice's jurisdiction: objections with the objector's identity.
    path(
        "workspace/notices/",
        requires("portal.notice.decide")(views.manage_list),
        name="manage",
    ),
    path(
        "workspace/notices/<int:pk>/",
        requires("portal.notice.decide")(views.manage_detail),
        name="manage_detail",
    ),
    # The agency concerned: the substance of objections, never who filed them.
    path(
        "workspace/agency/<int:agency_id>/notices/",
        agency_view()(views.agency_notices),
        name="agency",
    ),
]
