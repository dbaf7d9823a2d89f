"""Bulk verification (Art 22; decision 0051): the workspace pages of applicants, officials
and verifying organisations, and the token-authenticated API with its description."""

from __future__ import annotations

from django.urls import path

from certificates.views import api, verifiers
from portal.access import public, requires, signed_in

V = "workspace/verification/"
decide = requires("certificates.verifier.decide")

urlpatterns = [
    path(V, signed_in(verifiers.verification), name="verification"),
    path(
        f"{V}apply/",
        requires("certificates.verifier.apply")(verifiers.apply),
        name="verifier_apply",
    ),
    path(f"{V}applications/", decide(verifiers.applications), name="verifier_applications"),
    path(
        f"{V}applications/<int:pk>/",
        decide(verifiers.application),
        name="verifier_application",
    ),
    path(f"{V}<int:pk>/", verifiers.organisation, name="verifier_org"),
    path(f"{V}<int:pk>/template.xlsx", verifiers.template, name="verify_template"),
    path(f"{V}<int:pk>/members/", verifiers.members, name="verifier_members"),
    path(
        f"{V}<int:pk>/members/<int:member>/remove/",
        verifiers.member_remove,
        name="verifier_member_remove",
    ),
    path(f"{V}<int:pk>/tokens/", verifiers.tokens, name="verifier_tokens"),
    path(
        f"{V}<int:pk>/tokens/<int:token>/revoke/",
        verifiers.token_revoke,
        name="verifier_token_revoke",
    ),
    # The API: the token is checked inside (JSON errors, no cookies, no CSRF).
    path("api/v1/certificates/verify", public(api.verify), name="api_verify"),
    path("api/v1/certificates/<str:number>", public(api.certificate), name="api_certificate"),
    path("api/v1/openapi.json", public(api.openapi), name="api_openapi"),
    path("api/v1/docs/", public(api.docs), name="api_docs"),
]
