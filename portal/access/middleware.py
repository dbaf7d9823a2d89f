"""Request-wide concerns: forced password change, security headers, agency workspace."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Until a user with ``must_change_password`` sets a new one, every page leads there."""

    _ALLOWED_NAMES = {
        "portal:password_change",
        "portal:logout",
        "portal:set_language",
        "accounts:verify",  # the second factor first, then the new password
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self._ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(
                (settings.STATIC_URL, "/healthz/", "/i18n/")
            ):
                return redirect("portal:password_change")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class AgencyWorkspaceMiddleware:
    """Resolves ``/workspace/agency/<agency_id>/`` once per request (pretix's organiser).

    Sets ``request.agency`` and ``request.agency_roles``; anyone who is not a member
    gets 404, so agency ids cannot be probed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.agency = None
        request.agency_roles = frozenset()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        agency_id = view_kwargs.get("agency_id")
        if agency_id is None or not request.path.startswith("/workspace/agency/"):
            return None
        user = request.user
        if not user.is_authenticated:
            return None  # the view's login requirement redirects to sign-in
        from portal.models import AgencyMembership

        memberships = list(
            AgencyMembership.objects.filter(user=user, agency_id=agency_id).select_related("agency")
        )
        if not memberships:
            raise Http404
        request.agency = memberships[0].agency
        request.agency_roles = frozenset(m.role for m in memberships)
        return None


class ChineseFirstLocaleMiddleware:
    """Chinese unless the visitor chose another language with the switch (cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, which would
    show English to officials whose browsers were installed in English; a
    government service speaks Chinese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response
