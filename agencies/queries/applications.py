"""Reads of an agency's own applications (Art 12, 13): its list, the status page, next steps."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyApplication, ApplicationStatus
from agencies.queries.calls import open_calls
from portal.models import AgencyKind

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
        "steps": application_steps(application),
    }


# --- The process tracker (docs/decisions/0027) ---------------------------------------------

SUBMIT, CHECK, EVALUATE, NOTICE, COMMIT, LIST = range(6)
STEP_LABELS = [
    _("Submission"),
    _("Material check"),
    _("Technical evaluation"),
    _("Public notice"),
    _("Commitment letter"),
    _("Listing in the directory"),
]
_CURRENT = {
    ApplicationStatus.DRAFT: SUBMIT,
    ApplicationStatus.SUBMITTED: CHECK,
    ApplicationStatus.RETURNED: CHECK,
    ApplicationStatus.UNDER_REVIEW: EVALUATE,
    ApplicationStatus.ON_NOTICE: NOTICE,
    ApplicationStatus.APPROVED: COMMIT,
    ApplicationStatus.LISTED: None,
}


def application_steps(application: AgencyApplication) -> list:
    """提交 → 材料核验 → 技术评估 → 公示 → 承诺书 → 列入目录, from the application's stored
    dates: the material check rounds, the decision, its public notice and the directory
    entry (three queries). An employer's approval has no notice (Art 14): that step is
    skipped; a rejection or a withdrawal ends the procedure at the step it reached."""
    from agencies.models import DirectoryEntry, MaterialReview
    from agencies.services.vetting import NOTICE_KIND
    from portal import notices
    from portal.models import NoticeOutcome, PublicNotice
    from portal.ui import tracker

    rounds = list(application.material_reviews.order_by("round"))
    accepted = next((r for r in rounds if r.decision == MaterialReview.Decision.ACCEPTED), None)
    notice = (
        PublicNotice.objects.filter(kind=NOTICE_KIND, subject=notices.subject_key(application))
        .order_by("-published_on", "-pk")
        .first()
    )
    entry = DirectoryEntry.objects.filter(application=application).first()
    status = application.status
    reached: dict[int, tuple] = {}
    if rounds:
        reached[SUBMIT] = (rounds[0].submitted_at, "")
    if accepted:
        reached[CHECK] = (accepted.decided_at, "")
    if application.decided_at and status != ApplicationStatus.REJECTED:
        reached[EVALUATE] = (application.decided_at, "")
    if notice and notice.outcome == NoticeOutcome.STOOD:
        reached[NOTICE] = (notice.closed_at, "")
    if entry:
        reached[COMMIT] = (entry.commitment_signed_at, "")
        reached[LIST] = (entry.listed_at, "")

    current = _CURRENT.get(status)
    stopped_note = ""
    if status == ApplicationStatus.REJECTED:
        overturned = notice is not None and notice.outcome == NoticeOutcome.OVERTURNED
        current = NOTICE if overturned else EVALUATE
        if overturned:
            reached[EVALUATE] = (notice.created_at, "")
        stopped_note = _("Rejected")
    elif status == ApplicationStatus.WITHDRAWN:
        current = EVALUATE if accepted else CHECK
        stopped_note = _("Withdrawn by the applicant")
    steps = tracker.progress(STEP_LABELS, reached, current)

    if current is not None and steps[current].is_current:
        step = steps[current]
        if status == ApplicationStatus.SUBMITTED and rounds:
            step.date = rounds[-1].submitted_at
        elif status == ApplicationStatus.RETURNED:
            step.date = rounds[-1].decided_at if rounds else None
            step.note = _("Returned for correction")
        elif status == ApplicationStatus.UNDER_REVIEW and accepted:
            step.date = accepted.decided_at
        elif status == ApplicationStatus.ON_NOTICE and notice:
            step.date, step.until = notice.published_on, notice.ends_on
        elif status == ApplicationStatus.APPROVED:
            step.date = notice.closed_at if notice else application.decided_at
        if stopped_note:
            step.state, step.note = tracker.STOPPED, stopped_note
            step.date = application.decided_at or application.updated_at
            if status == ApplicationStatus.WITHDRAWN:
                step.date = application.updated_at
    if application.kind == AgencyKind.EMPLOYER:
        steps[NOTICE] = tracker.Step(
            STEP_LABELS[NOTICE], tracker.SKIPPED, note=_("Not for employers")
        )
    return steps
