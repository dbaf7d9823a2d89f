"""Account management and two-factor URLs (namespace ``accounts``).

Each pattern declares its access policy beside it (portal.access). Object-level checks
(jurisdiction, never one's own account) happen in the views and services: an account
outside the manager's jurisdiction answers 404.
"""

from __future__ import annotations

from django.urls import path

from portal.access import requires, signed_in
from portal.accounts import views

app_name = "accounts"

_view = requires("portal.account.view")

urlpatterns = [
    path("workspace/accounts/", _view(views.account_list), name="list"),
    path(
        "workspace/accounts/new/",
        requires("portal.account.create")(views.account_create),
        name="create",
    ),
    path("workspace/accounts/<int:pk>/", _view(views.account_detail), name="detail"),
    path(
        "workspace/accounts/<int:pk>/edit/",
        requires("portal.account.change")(views.account_edit),
        name="edit",
    ),
    path(
        "workspace/accounts/<int:pk>/deactivate/",
        requires("portal.account.deactivate")(views.account_deactivate),
        name="deactivate",
    ),
    path(
        "workspace/accounts/<int:pk>/reactivate/",
        requires("portal.account.reactivate")(views.account_reactivate),
        name="reactivate",
    ),
    path(
        "workspace/accounts/<int:pk>/reset-password/",
        requires("portal.account.reset_password")(views.account_reset_password),
        name="reset_password",
    ),
    path(
        "workspace/accounts/<int:pk>/reset-2fa/",
        requires("portal.account.reset_2fa")(views.account_reset_2fa),
        name="reset_2fa",
    ),
    path("workspace/account/2fa/", signed_in(views.two_factor), name="two_factor"),
    path("accounts/login/verify/", signed_in(views.verify), name="verify"),
]
