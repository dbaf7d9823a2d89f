"""Assessments URLs (namespace ``assessments``), one module per stage; each view's policy is
declared beside it."""

from __future__ import annotations

from assessments.urls import venues

app_name = "assessments"
urlpatterns = [
    *venues.urlpatterns,
]
