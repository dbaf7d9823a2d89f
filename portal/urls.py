"""Root URLs. Each pattern declares its access policy beside it (portal.access).

``portal_patterns`` are the pages of the ``portal:`` namespace, whose views live in the
concern packages (``portal.ui``, ``portal.accounts``, ``portal.audit``, ``portal.calendar``,
``portal.authorities``, ``portal.documents``); account management, notices and the apps include
their own urlconfs.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.views.i18n import set_language

from portal.access import agency_view, per_object, public, requires, signed_in
from portal.accounts import views as account_views
from portal.audit import public as audit_public
from portal.audit import views as audit_views
from portal.authorities import views as authority_views
from portal.calendar import views as calendar_views
from portal.documents import views as document_views
from portal.ratelimit import ratelimited, subnet_key
from portal.roles import AgencyRole
from portal.ui import views

portal_patterns = [
    path("", public(views.home), name="home"),
    path("privacy/", public(views.privacy), name="privacy"),
    path("healthz/", public(views.healthz), name="healthz"),
    path(
        "audit/checkpoints/",
        public(audit_public.checkpoint_list),
        name="audit_checkpoints",
    ),
    path(
        "audit/checkpoints/<text:name>",
        public(audit_public.checkpoint_download),
        name="audit_checkpoint",
    ),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/login/", public(account_views.SignInView.as_view()), name="login"),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "accounts/password/change/",
        signed_in(account_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password/reset/",
        public(
            ratelimited("public_form.ip")(
                ratelimited("public_form.subnet", subnet_key)(
                    account_views.PasswordResetView.as_view()
                )
            )
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        public(
            auth_views.PasswordResetDoneView.as_view(
                template_name="portal/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<text:uidb64>/<text:token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="portal/password_reset_confirm.html",
                success_url=reverse_lazy("portal:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        public(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="portal/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("workspace/", signed_in(views.dashboard), name="dashboard"),
    path(
        "workspace/agency/<int:agency_id>/",
        agency_view()(views.agency_home),
        name="agency_home",
    ),
    path("workspace/audit/", requires("portal.audit.view")(audit_views.audit_list), name="audit"),
    path(
        "workspace/agency/<int:agency_id>/audit/",
        agency_view(AgencyRole.ADMIN)(audit_views.agency_audit_list),
        name="agency_audit",
    ),
    path(
        "documents/<int:pk>/",
        per_object("portal.document.download")(document_views.document_download),
        name="document_download",
    ),
    path(
        "workspace/calendar/",
        requires("portal.calendar.view")(calendar_views.calendar),
        name="calendar",
    ),
    path(
        "workspace/calendar/<int:pk>/remove/",
        requires("portal.calendar.change")(calendar_views.calendar_remove),
        name="calendar_remove",
    ),
    path(
        "workspace/authorities/",
        requires("portal.authority.change")(authority_views.authorities),
        name="authorities",
    ),
    path(
        "workspace/authorities/<text:jurisdiction>/",
        requires("portal.authority.change")(authority_views.authority_edit),
        name="authority_edit",
    ),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    path("", include("portal.accounts.urls")),
    path("", include("portal.notices.urls")),
    path("", include("catalog.urls")),
    path("", include("agencies.urls")),
    path("", include("assessments.urls")),
    path("", include("certificates.urls")),
    path("", include("supervision.urls")),
]
