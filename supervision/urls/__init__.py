"""Supervision URLs (namespace ``supervision``): one module per stage."""

from __future__ import annotations

from supervision.urls import inspections, plans, pools, publication, quality

app_name = "supervision"

urlpatterns = [
    *pools.urlpatterns,
    *plans.urlpatterns,
    *inspections.urlpatterns,
    *publication.urlpatterns,
    *quality.urlpatterns,
]
