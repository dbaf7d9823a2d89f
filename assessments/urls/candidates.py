"""URLs of candidates (namespace ``assessments``): the agency's admin and staff enrol, import,
withdraw and export the candidates of its sessions."""

from __future__ import annotations

from django.urls import path

from assessments.views import candidates as views
from portal.access import agency_view, requires
from portal.roles import AgencyRole

MANAGERS = (AgencyRole.ADMIN, AgencyRole.STAFF)
S = "workspace/agency/<int:agency_id>/sessions/<int:pk>/"


def _v(view):
    return agency_view(*MANAGERS)(view)


urlpatterns = [
    path(f"{S}candidates/", _v(views.candidates), name="candidates"),
    path(f"{S}candidates/new/", _v(views.candidate_new), name="candidate_new"),
    path(
        f"{S}candidates/<int:enrolment_pk>/withdraw/",
        _v(views.candidate_withdraw),
        name="candidate_withdraw",
    ),
    path(
        f"{S}candidates/<int:enrolment_pk>/education/",
        _v(views.candidate_education),
        name="candidate_education",
    ),
    path(f"{S}candidates/export/", _v(views.candidates_export), name="candidates_export"),
    path(f"{S}roster/template/", _v(views.roster_template), name="roster_template"),
    path(f"{S}roster/", _v(views.roster_new), name="roster_new"),
    path(f"{S}roster/<int:batch_pk>/", _v(views.roster), name="roster"),
    path(f"{S}roster/<int:batch_pk>/errors/", _v(views.roster_errors), name="roster_errors"),
    path(f"{S}roster/<int:batch_pk>/apply/", _v(views.roster_apply), name="roster_apply"),
    path(
        "workspace/plans/<int:pk>/candidates/",
        requires("assessments.session.queue")(views.plan_candidates),
        name="plan_candidates",
    ),
]
