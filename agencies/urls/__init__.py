"""Agencies URLs (namespace ``agencies``), one module per stage; each view's policy is
declared beside it."""

from __future__ import annotations

from agencies.urls import affiliates, applications, calls, listing, running, staff, vetting

app_name = "agencies"
urlpatterns = [
    *calls.urlpatterns,
    *applications.urlpatterns,
    *vetting.urlpatterns,
    *listing.urlpatterns,
    *running.urlpatterns,
    *staff.urlpatterns,
    *affiliates.urlpatterns,
]
