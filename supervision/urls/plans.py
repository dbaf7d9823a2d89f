"""URLs of the plans stage of supervision (Art 25, 26); each view's policy is declared beside
it. Officials under /workspace/supervision/plans/, the public under /spot-checks/."""

from __future__ import annotations

from django.urls import path

from portal.access import public, requires
from supervision.views import plans as views

W = "workspace/supervision/plans/"
P = "spot-checks/"

urlpatterns = [
    path(W, requires("supervision.plans.view")(views.plans), name="plans"),
    path(f"{W}new/", requires("supervision.plans.manage")(views.plan_new), name="plan_new"),
    path(f"{W}<int:pk>/", views.plan, name="plan"),
    path(f"{W}<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path(f"{W}<int:pk>/adjust/", views.plan_adjust, name="plan_adjust"),
    path(f"{W}<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path(f"{W}<int:pk>/draw/", views.plan_draw, name="plan_draw"),
    path(f"{W}<int:pk>/close/", views.plan_close, name="plan_close"),
    path(P, public(views.public_plans), name="public_plans"),
    path(f"{P}<int:pk>/", public(views.public_plan), name="public_plan"),
    path(f"{P}<int:pk>/snapshot.json", public(views.public_snapshot), name="public_snapshot"),
    path(f"{P}<int:pk>/verify/", public(views.public_verify), name="public_verify"),
]
