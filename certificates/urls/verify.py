"""Verifying an uploaded certificate (Art 22; decision 0048): public, behind the human check
and the limits per address and subnet."""

from __future__ import annotations

from django.urls import path

from certificates.views import verify as views
from portal.access import public
from portal.ratelimit import ratelimited, subnet_key


def _public_form(view):
    """Anonymous uploads count against their own limits per address and per /24 (/48)."""
    return public(
        ratelimited("certificate_verify.ip")(
            ratelimited("certificate_verify.subnet", subnet_key)(view)
        )
    )


urlpatterns = [
    path("certificates/verify/", _public_form(views.verify), name="verify"),
]
