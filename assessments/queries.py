"""Scoped reads of exam affairs (decision 0017): what each audience's pages list."""

from __future__ import annotations

from django.db.models import QuerySet

from assessments.models import Engagement, Examiner, QualitySupervisor
from portal import access


def engagements_of(agency) -> QuerySet:
    """The agency's own use of examiners and supervisors, retired ones last."""
    return (
        Engagement.objects.filter(agency=agency)
        .select_related("examiner", "supervisor", "agency")
        .order_by("retired_on", "examiner__real_name", "supervisor__real_name")
    )


def engagements_for_workspace(request) -> QuerySet:
    """``@loads`` source in the agency workspace: the current agency's engagements."""
    return engagements_of(request.agency)


def registry_for(user, kind: str) -> QuerySet:
    """The examiners or supervisors of the user's jurisdiction (testing centre, officials)."""
    model = Examiner if kind == "examiner" else QualitySupervisor
    return access.visible(user, model.objects.select_related("province")).order_by(
        "valid_until", "real_name"
    )


def own_records(user) -> list:
    """The signed-in person's own records (examiner and supervisor), with their uses."""
    found = []
    for model in (Examiner, QualitySupervisor):
        record = model.objects.filter(user=user).select_related("province").first()
        if record is not None:
            found.append(record)
    return found
