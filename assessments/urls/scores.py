"""URLs of scores and results (namespace ``assessments``; Art 18–20): every page loads its
session and answers 404 unless the user may read it (``assessments.session.read``: the
agency's admin and staff, officials of the site's province, the people assigned to it); the
view then narrows (an examiner's own sitting, the leader, the supervisor)."""

from __future__ import annotations

from django.urls import path

from assessments.views import scores as views
from portal.access import per_object, signed_in

READ = "assessments.session.read"
S = "workspace/scores/"


def _page(view):
    return per_object(READ)(signed_in(view))


urlpatterns = [
    path(f"{S}<int:pk>/", _page(views.scores), name="scores"),
    path(f"{S}<int:pk>/results/", _page(views.results), name="score_results"),
    path(f"{S}sitting/<int:pk>/marks/", _page(views.marks), name="score_marks"),
    path(f"{S}sitting/<int:pk>/theory/", _page(views.theory), name="score_theory"),
    path(f"{S}score/<int:pk>/settle/", _page(views.settle), name="score_settle"),
    path(f"{S}score/<int:pk>/correction/", _page(views.correction_new), name="score_correct"),
    path(f"{S}correction/<int:pk>/", _page(views.correction), name="score_correction"),
]
