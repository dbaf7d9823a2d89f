"""Exam affairs URLs (namespace ``assessments``), one module per stage; each view's policy is
declared beside it."""

from __future__ import annotations

from assessments.urls import (
    archives,
    assignments,
    candidates,
    people,
    results,
    scores,
    sessions,
    sittings,
    statistics,
    venues,
)

app_name = "assessments"
urlpatterns = [
    *people.urlpatterns,
    *venues.urlpatterns,
    *sessions.urlpatterns,
    *candidates.urlpatterns,
    *sittings.urlpatterns,
    *assignments.urlpatterns,
    *archives.urlpatterns,
    *statistics.urlpatterns,
    *results.urlpatterns,
    *scores.urlpatterns,
]
