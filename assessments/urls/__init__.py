"""Exam affairs URLs (namespace ``assessments``), one module per stage; each view's policy is
declared beside it."""

from __future__ import annotations

from assessments.urls import candidates, people, sessions, sittings, venues

app_name = "assessments"
urlpatterns = [
    *people.urlpatterns,
    *venues.urlpatterns,
    *sessions.urlpatterns,
    *candidates.urlpatterns,
    *sittings.urlpatterns,
]
