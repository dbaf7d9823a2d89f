"""URLs of the applications (Art 12, 13); each view's policy beside it.

Public: organisation registration. Agency workspace: the agency's applications; its
administrator changes them, its staff may read them.
"""

from __future__ import annotations

from django.urls import path

from agencies.views import applications as views
from portal.access import agency_view, public
from portal.ratelimit import ratelimited, subnet_key
from portal.roles import AgencyRole

ADMIN = AgencyRole.ADMIN
READERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
WORKSPACE = "workspace/agency/<int:agency_id>/applications/"


def _public_form(view):
    """Anonymous submissions count against both public-form limits."""
    return public(
        ratelimited("public_form.ip")(ratelimited("public_form.subnet", subnet_key)(view))
    )


urlpatterns = [
    path("register/organisation/", _public_form(views.register), name="register"),
    path(WORKSPACE, agency_view(*READERS)(views.applications), name="applications"),
    path(
        f"{WORKSPACE}start/", agency_view(ADMIN)(views.application_start), name="application_start"
    ),
    path(
        f"{WORKSPACE}<int:pk>/", agency_view(*READERS)(views.application_detail), name="application"
    ),
    path(
        f"{WORKSPACE}<int:pk>/edit/",
        agency_view(ADMIN)(views.application_edit),
        name="application_edit",
    ),
    path(
        f"{WORKSPACE}<int:pk>/submit/",
        agency_view(ADMIN)(views.application_submit),
        name="application_submit",
    ),
    path(
        f"{WORKSPACE}<int:pk>/withdraw/",
        agency_view(ADMIN)(views.application_withdraw),
        name="application_withdraw",
    ),
]
