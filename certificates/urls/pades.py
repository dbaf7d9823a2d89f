"""The published root of the PDF signing CA (issue 16; decision 0045); the policy beside it."""

from __future__ import annotations

from django.urls import path

from certificates.views import pades as views
from portal.access import public as anyone

urlpatterns = [
    path("certificates/keys/pdf-ca.pem", anyone(views.pdf_ca), name="pdf_ca"),
]
