"""Certificates URLs (namespace ``certificates``); each view's policy is declared beside it."""

from __future__ import annotations

from django.urls import path

from certificates.views import agency, public, registry
from portal.access import agency_view, requires
from portal.access import public as anyone
from portal.roles import AgencyRole

app_name = "certificates"
MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
W = "workspace/agency/<int:agency_id>/certificates/"

urlpatterns = [
    path(W, agency_view(*MANAGERS)(agency.certificates), name="agency_certificates"),
    path(f"{W}issue/", agency_view(*MANAGERS)(agency.issue), name="issue"),
    path(f"{W}<int:pk>/", agency_view(*MANAGERS)(agency.certificate), name="agency_certificate"),
    path(f"{W}batches/<int:pk>/", agency_view(*MANAGERS)(agency.batch), name="batch"),
    path(
        f"{W}batches/<int:pk>/progress.json",
        agency_view(*MANAGERS)(agency.batch_progress),
        name="batch_progress",
    ),
    path(
        "workspace/certificates/",
        requires("certificates.registry")(registry.registry),
        name="registry",
    ),
    path("c/<str:token>/", anyone(public.certificate), name="public"),
    path("c/<str:token>.json", anyone(public.certificate_json), name="public_json"),
    path("c/<str:token>/photo", anyone(public.photo), name="public_photo"),
    path("c/<str:token>/<str:sig>/", anyone(public.certificate_signed), name="public_signed"),
    path("certificates/status/<int:pk>/", anyone(public.status_list), name="status_list"),
]

from certificates.urls import pdf as _pdf  # noqa: E402 - certificate PDFs and the seal (decision 0043)

urlpatterns += _pdf.urlpatterns

from certificates.urls import vc as _vc  # noqa: E402 - published keys (decision 0044)

urlpatterns += _vc.urlpatterns

from certificates.urls import pades as _pades  # noqa: E402 - the PDF signing CA's root (issue 16)

urlpatterns += _pades.urlpatterns

from certificates.urls import legacy as _legacy  # noqa: E402 - legacy records (decision 0046)

urlpatterns += _legacy.urlpatterns

from certificates.urls import lookup as _lookup  # noqa: E402 - the public lookup (decision 0047)

urlpatterns += _lookup.urlpatterns
from certificates.urls import api as _api  # noqa: E402 - bulk verification and its API (decision 0051)

urlpatterns += _api.urlpatterns
from certificates.urls import verify as _verify  # noqa: E402 - verifying an upload (decision 0048)

urlpatterns += _verify.urlpatterns
from certificates.urls import changes as _changes  # noqa: E402 - revocation, correction, reissue (decision 0049)

urlpatterns += _changes.urlpatterns
from certificates.urls import statistics as _statistics  # noqa: E402 - statistics (decision 0053)

urlpatterns += _statistics.urlpatterns
from certificates.urls import submissions as _submissions  # noqa: E402 - data submission (Art 21)

urlpatterns += _submissions.urlpatterns
