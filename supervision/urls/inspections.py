"""URLs of the inspections stage of supervision (Art 25, 27); each view's policy is declared
beside it. Inspectors and officials under /workspace/supervision/inspections/ (an inspection
another inspector was drawn for answers 404); the agency under its workspace."""

from __future__ import annotations

from django.urls import path

from portal.access import agency_view, requires
from portal.roles import AgencyRole
from supervision.views import inspections as views

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/supervision/inspections/"
A = "workspace/agency/<int:agency_id>/supervision/orders/"
listing = requires("supervision.inspections.list")

urlpatterns = [
    path(W, listing(views.inspections), name="inspections"),
    path(f"{W}<int:pk>/", views.inspection, name="inspection"),
    path(f"{W}<int:pk>/record/", views.record_new, name="inspection_record"),
    path(f"{W}<int:pk>/finding/", views.finding_new, name="inspection_finding"),
    path(f"{W}<int:pk>/conclude/", views.conclude, name="inspection_conclude"),
    path(f"{W}<int:pk>/order/", views.order_new, name="inspection_order"),
    path(f"{W}<int:pk>/follow-up/", views.follow_up, name="inspection_follow_up"),
    path(f"{W}orders/<int:pk>/", views.order, name="order"),
    path(A, agency_view(*MANAGERS)(views.agency_orders), name="agency_orders"),
    path(f"{A}<int:pk>/", agency_view(*MANAGERS)(views.agency_order), name="agency_order"),
]
