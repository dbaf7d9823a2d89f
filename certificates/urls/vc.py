"""URLs of the published certificate keys (decision 0044); public."""

from __future__ import annotations

from django.urls import path

from certificates.views import vc
from portal.access import public as anyone

urlpatterns = [
    path(".well-known/did.json", anyone(vc.did_document), name="did_document"),
    path("certificates/keys/", anyone(vc.jwks), name="jwks"),
]
