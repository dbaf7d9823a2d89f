"""Data submission to the testing centre (Art 21; decision 0052)."""

from __future__ import annotations

from django.urls import path

from certificates.views import submissions
from portal.access import agency_view, requires
from portal.roles import AgencyRole

S = "workspace/certificates/submissions/"
review = requires("certificates.submission.review")
MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)

urlpatterns = [
    path(
        "workspace/agency/<int:agency_id>/certificates/submissions/",
        agency_view(*MANAGERS)(submissions.agency_submissions),
        name="agency_submissions",
    ),
    path(S, review(submissions.submissions), name="submissions"),
    path(f"{S}late/", review(submissions.late), name="submissions_late"),
    path(f"{S}<int:pk>/", review(submissions.submission), name="submission"),
    path(
        f"{S}<int:pk>/<str:kind>/",
        requires("certificates.submission.download")(submissions.download),
        name="submission_file",
    ),
]
