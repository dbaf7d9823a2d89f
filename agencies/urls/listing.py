"""URLs of the listing (Art 15, 20, 22); each view's policy beside it.

Agency workspace: the administrator signs the commitment letter and chooses the contact the
directory publishes. Public: the directory.
Officials: the site serials of listed agencies' sites in their province."""

from __future__ import annotations

from django.urls import path

from agencies.views import listing as views
from portal.access import agency_view, public, requires
from portal.roles import AgencyRole

urlpatterns = [
    path(
        "workspace/agency/<int:agency_id>/applications/<int:pk>/sign/",
        agency_view(AgencyRole.ADMIN)(views.application_sign),
        name="application_sign",
    ),
    path(
        "workspace/agency/<int:agency_id>/public-contact/",
        agency_view(AgencyRole.ADMIN)(views.public_contact),
        name="public_contact",
    ),
    path("directory/", public(views.directory), name="directory"),
    path("directory/<int:agency_id>/", public(views.directory_entry), name="directory_entry"),
    path(
        "workspace/agencies/sites/",
        requires("agencies.site.assign_serial")(views.site_serials),
        name="site_serials",
    ),
]
