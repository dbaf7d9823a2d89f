"""URLs of the sitting (namespace ``assessments``): the agency's admin and staff allocate
seats, issue and print tickets, decide incidents; the people assigned to a sitting check in and
record incidents (404 for anyone else); the session's supervisor files the report, which the
agency and officials of the site's province read; workers download their own tickets."""

from __future__ import annotations

from django.urls import path

from assessments.views import sittings as views
from portal.access import agency_view, public, signed_in
from portal.ratelimit import ratelimited, subnet_key
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
S = "workspace/agency/<int:agency_id>/sessions/<int:pk>/"


def _limited(view):
    """Anonymous look-ups count against both public-form limits (as the notices' forms)."""
    return public(
        ratelimited("public_form.ip")(ratelimited("public_form.subnet", subnet_key)(view))
    )


urlpatterns = [
    path(f"{S}sittings/", agency_view(*MANAGERS)(views.sittings), name="sittings"),
    path(f"{S}tickets.pdf", agency_view(*MANAGERS)(views.tickets_pdf), name="tickets_pdf"),
    path(
        f"{S}tickets/<int:ticket>.pdf",
        agency_view(*MANAGERS)(views.ticket_pdf),
        name="ticket_pdf",
    ),
    path(
        f"{S}incidents/<int:incident>/",
        agency_view(*MANAGERS)(views.incident),
        name="incident",
    ),
    path("workspace/sittings/<int:pk>/checkin/", signed_in(views.checkin), name="checkin"),
    path(
        "workspace/sittings/<int:pk>/checkin/<str:code>/",
        signed_in(views.checkin_ticket),
        name="checkin_ticket",
    ),
    path("workspace/checkin/<str:code>/", signed_in(views.checkin_scan), name="checkin_scan"),
    path(
        "workspace/sittings/<int:pk>/incident/", signed_in(views.incident_new), name="incident_new"
    ),
    path(
        "workspace/sessions/<int:pk>/supervisor-report/",
        views.supervisor_report,
        name="supervisor_report",
    ),
    path("tickets/", _limited(views.ticket_lookup), name="ticket_lookup"),
    path("tickets/<str:token>/", public(views.ticket_download), name="ticket_download"),
]
