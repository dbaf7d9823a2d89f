"""Legacy certificate imports (Art 4; decision 0046): testing-centre staff only."""

from __future__ import annotations

from django.urls import path

from certificates.views import legacy
from portal.access import requires

L = "workspace/certificates/legacy/"
can = requires("certificates.legacy")

urlpatterns = [
    path(L, can(legacy.imports), name="legacy_imports"),
    path(f"{L}template.xlsx", can(legacy.template), name="legacy_template"),
    path(f"{L}<int:pk>/", can(legacy.detail), name="legacy_import"),
    path(f"{L}<int:pk>/apply/", can(legacy.apply), name="legacy_apply"),
]
