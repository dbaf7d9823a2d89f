"""URLs of results (namespace ``assessments``): the agency's admin and staff publish and
answer reviews; officials of the site's province read results notices and uphold objections
naming the candidates; the public reads a notice's rows; workers look up their own result."""

from __future__ import annotations

from django.urls import path

from assessments.views import results as views
from portal.access import agency_view, public, requires
from portal.ratelimit import ratelimited, subnet_key
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/sessions/<int:pk>/"


def _public_form(view):
    """Anonymous look-ups count against the public forms' limits (as objections do)."""
    return public(
        ratelimited("public_form.ip")(ratelimited("public_form.subnet", subnet_key)(view))
    )


urlpatterns = [
    path(f"{W}results/", agency_view(*MANAGERS)(views.results), name="results"),
    path(f"{W}results/reviews/", agency_view(*MANAGERS)(views.reviews), name="reviews"),
    path(
        "workspace/results/notices/",
        requires("portal.notice.decide")(views.official_notices),
        name="results_notices",
    ),
    path(
        "workspace/results/objections/<int:pk>/uphold/",
        requires("portal.notice.decide")(views.uphold),
        name="results_uphold",
    ),
    path("notices/<int:pk>/results/", public(views.notice_rows), name="notice_rows"),
    path("results/", _public_form(views.lookup), name="result_lookup"),
    path("results/reviews/track/", _public_form(views.track_review), name="review_track"),
]
