"""URLs of affiliated employers (Art 16); each view's policy beside it.

Agency workspace: the administrator declares and withdraws. Officials (ministry and
provincial): the queue of declarations of their jurisdiction (403 for other users) and a
declaration's page loaded through the scoped query (404 outside the jurisdiction); deciding
is the agency's filing authority's (403 for other officials)."""

from __future__ import annotations

from django.urls import path

from agencies.views import affiliates as views
from portal.access import agency_view, requires
from portal.roles import AgencyRole

ADMIN = AgencyRole.ADMIN
W = "workspace/agency/<int:agency_id>/"
QUEUE = "agencies.change.queue"

urlpatterns = [
    path(f"{W}affiliates/", agency_view(ADMIN)(views.affiliates), name="affiliates"),
    path(
        f"{W}affiliates/<int:pk>/withdraw/",
        agency_view(ADMIN)(views.affiliate_withdraw),
        name="affiliate_withdraw",
    ),
    path(
        "workspace/agencies/affiliates/",
        requires(QUEUE)(views.affiliate_queue),
        name="affiliate_queue",
    ),
    path(
        "workspace/agencies/affiliates/<int:pk>/",
        requires(QUEUE)(views.affiliate_decision),
        name="affiliate_decision",
    ),
]
