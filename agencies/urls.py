"""Agencies URLs (namespace ``agencies``); each view's policy is declared beside it."""

from __future__ import annotations

from agencies import urls_applicant, urls_officials, urls_running, urls_vetting

app_name = "agencies"
urlpatterns = [
    *urls_applicant.urlpatterns,
    *urls_vetting.urlpatterns,
    *urls_officials.urlpatterns,
    *urls_running.urlpatterns,
]
