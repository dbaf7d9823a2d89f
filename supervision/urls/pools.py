"""URLs of the pools stage of supervision (Art 25, 26); each view's policy is declared beside
it. The inspector pool and the external supervisors' pool share their views."""

from __future__ import annotations

from django.urls import path

from portal.access import public, requires
from supervision.views import pools as views

W = "workspace/supervision/"
items = requires("supervision.pools.items")


def _pool(key: str, singular: str, action: str) -> list:
    """The pages of one pool under ``workspace/supervision/<key>/``."""
    keep = requires(action)
    base = f"{W}{key}/"
    kw = {"pool": key}
    return [
        path(base, keep(views.members), kw, name=key),
        path(f"{base}add/", keep(views.member_add), kw, name=f"{singular}_add"),
        path(f"{base}<int:pk>/", keep(views.member), kw, name=singular),
        path(f"{base}<int:pk>/edit/", keep(views.member_edit), kw, name=f"{singular}_edit"),
        path(f"{base}<int:pk>/active/", keep(views.member_active), kw, name=f"{singular}_active"),
        path(
            f"{base}<int:pk>/conflicts/",
            keep(views.conflict_add),
            kw,
            name=f"{singular}_conflict_add",
        ),
        path(
            f"{base}<int:pk>/conflicts/<int:tag>/remove/",
            keep(views.conflict_remove),
            kw,
            name=f"{singular}_conflict_remove",
        ),
    ]


urlpatterns: list = [
    path(f"{W}check-items/", items(views.check_items), name="check_items"),
    path(f"{W}check-items/add/", items(views.check_item_add), name="check_item_add"),
    path(f"{W}check-items/<int:pk>/edit/", items(views.check_item_edit), name="check_item_edit"),
    path(
        f"{W}check-items/<int:pk>/retire/",
        items(views.check_item_retire),
        name="check_item_retire",
    ),
    path(
        f"{W}check-items/<int:pk>/reinstate/",
        items(views.check_item_reinstate),
        name="check_item_reinstate",
    ),
    *_pool("inspectors", "inspector", "supervision.pools.inspectors"),
    *_pool("supervisors", "supervisor", "supervision.pools.supervisors"),
    path(
        f"{W}objects/",
        requires("supervision.pools.objects")(views.objects),
        name="objects",
    ),
    path(
        "spot-checks/check-items/<str:jurisdiction>/",
        public(views.public_check_items),
        name="public_check_items",
    ),
]
