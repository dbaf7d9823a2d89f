"""Reads of an agency's own applications (Art 12, 13): its list, the status page, next steps."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyApplication, ApplicationStatus
from agencies.queries.calls import open_calls

# Statuses in which the decision's reasons are shown to the applicant.
DECIDED = (
    ApplicationStatus.ON_NOTICE,
    ApplicationStatus.APPROVED,
    ApplicationStatus.LISTED,
    ApplicationStatus.REJECTED,
)

NEXT_STEPS = {
    ApplicationStatus.DRAFT: _(
        "Complete every section (details, the five conditions with evidence, the requested "
        "scope and the sites), then submit with the pledge before the deadline."
    ),
    ApplicationStatus.SUBMITTED: _(
        "The authority is checking your materials. You will see the result of the material "
        "check here."
    ),
    ApplicationStatus.RETURNED: _(
        "The materials were returned for correction: correct the items commented on and "
        "submit again."
    ),
    ApplicationStatus.UNDER_REVIEW: _(
        "The materials were accepted; the technical evaluation is under way. Nothing to do for now."
    ),
    ApplicationStatus.ON_NOTICE: _(
        "The approval is on public notice (Art 14). Objections and their outcome appear "
        "under Public notices of your agency."
    ),
    ApplicationStatus.APPROVED: _(
        "Sign the commitment letter (Art 15): your organisation is then listed in the "
        "agency directory."
    ),
    ApplicationStatus.LISTED: _("Your organisation is listed in the agency directory."),
    ApplicationStatus.REJECTED: _("The application was rejected; the reasons are given below."),
    ApplicationStatus.WITHDRAWN: _("The application was withdrawn."),
}


def next_step(application: AgencyApplication) -> str:
    """What the applicant does next, shown on the status page and the dashboard panel."""
    return str(NEXT_STEPS.get(application.status, ""))


def applications_for_agency(agency) -> QuerySet[AgencyApplication]:
    return AgencyApplication.objects.filter(agency=agency).select_related("call")


def own_applications(agency) -> QuerySet[AgencyApplication]:
    """The agency's applications with what their pages show, for loading one of them."""
    return AgencyApplication.objects.filter(agency=agency).select_related(
        "call", "agency", "receipt", "decision_letter", "registered_province"
    )


def applications_page(agency) -> dict:
    """The agency's applications and the open calls of its kind it may still apply to."""
    mine = list(applications_for_agency(agency).order_by("-created_at"))
    return {
        "applications": mine,
        "open_calls": [c for c in open_calls().order_by("deadline") if c.accepts(agency.kind)],
        "applied": {a.call_id for a in mine},
    }


def application_page(application: AgencyApplication, comment_label) -> dict:
    """The applicant's status page: the rounds of the material check with each comment under
    the label of its item (``comment_label``), the scope and the sites."""
    return {
        "application": application,
        "call": application.call,
        "rounds": [
            {"review": r, "comments": [(comment_label(k), v) for k, v in r.comments.items()]}
            for r in application.material_reviews.order_by("round")
        ],
        "next_step": next_step(application),
        "decided": application.status in DECIDED and bool(application.decision_reasons),
        "listed": application.status == ApplicationStatus.LISTED,
        "scope": application.scope.select_related("occupation", "work_type").prefetch_related(
            "levels", "approved_levels"
        ),
        "sites": application.sites.select_related("province"),
    }
