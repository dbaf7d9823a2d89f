"""External quality supervision (外部质量督导, Art 26): the supervisors drawn for a session by a
plan of kind ``quality`` read the session (``assessments.services.open_for_review``, opened
when the plan is drawn) and file one report each visit: how the session was run, findings
(``Finding`` rows with ``visit``) and a rating. Findings can open a rectification order
through ``supervision.services.inspections.issue_order`` (decision 0058).

Every service: lock → access → state guard → validate → save with ``update_fields`` → one
audit entry."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import access, audit, clock
from portal.models import Audience
from supervision.models import (
    CheckItem,
    Finding,
    PlanKind,
    QualityVisit,
    Rating,
    Severity,
    SpotCheckPlan,
    VisitState,
)
from supervision.services import inspections

log = logging.getLogger(__name__)

GRANT = "supervise_qualityvisit"
REPORT = "supervision.quality.report"
#: Findings one report may list (the form's rows).
MAX_FINDINGS = 5


# --- Opening the session on the draw --------------------------------------------------------


def open_sessions(plan: SpotCheckPlan) -> int:
    """Art 26: once a quality plan is drawn, open each drawn session's records to the
    supervisors sent to it, read-only, until the visit's ``review_until``. The number of
    grants opened (a plan of another kind opens nothing)."""
    from assessments.services import open_for_review

    if plan.kind != PlanKind.QUALITY:
        return 0
    opened = 0
    today = clock.today()
    visits = QualityVisit.objects.filter(plan=plan).select_related("session")
    for visit in visits.prefetch_related("assignments__supervisor__user"):
        if visit.review_until < today:
            log.warning("quality visit %s: review date already passed, not opened", visit.pk)
            continue
        for assignment in visit.assignments.all():
            open_for_review(
                visit.session,
                assignment.supervisor.user,
                until=visit.review_until,
                granted_by=_("External quality supervision (plan %(pk)s)") % {"pk": plan.pk},
            )
            opened += 1
    return opened


def on_plan_drawn(sender, plan: SpotCheckPlan, **kwargs) -> None:
    """Receiver of ``supervision.signals.plan_drawn`` (inside the drawing transaction)."""
    open_sessions(plan)


# --- The report -----------------------------------------------------------------------------


def report_refusal(visit: QualityVisit, user) -> str | None:
    """Why ``user`` may not file the report of ``visit`` now (None: they may)."""
    if not access.can(user, REPORT, visit):
        return _("Only a supervisor sent to this session may file its report.")
    if visit.state != VisitState.ASSIGNED:
        return _("The report of this visit has already been filed.")
    return None


def _clean_findings(visit: QualityVisit, rows) -> list[dict]:
    found, errors = [], {}
    items = {
        item.pk: item
        for item in CheckItem.objects.filter(jurisdiction=visit.plan.jurisdiction, active=True)
    }
    for n, row in enumerate(rows or [], start=1):
        description = (row.get("description") or "").strip()
        severity = row.get("severity") or ""
        item = row.get("check_item")
        item_id = getattr(item, "pk", item)
        if not description and not severity and not item_id:
            continue
        if severity not in Severity.values:
            errors[f"finding_{n}_severity"] = _("Choose how serious the finding is.")
        if not description:
            errors[f"finding_{n}_description"] = _("Describe the finding.")
        if item_id and item_id not in items:
            errors[f"finding_{n}_check_item"] = _("Choose an item of the plan's check list.")
        found.append(
            {"severity": severity, "description": description, "check_item": items.get(item_id)}
        )
    if len(found) > MAX_FINDINGS:
        errors["findings"] = _("At most %(n)d findings.") % {"n": MAX_FINDINGS}
    if errors:
        raise ValidationError(errors)
    return found


def _clean_order(data: dict, findings: list[dict]) -> tuple[str, dt.date] | None:
    requirements = (data.get("order_requirements") or "").strip()
    deadline = data.get("order_deadline")
    if not requirements and not deadline:
        return None
    errors = {}
    if not findings:
        errors["order_requirements"] = _("A rectification order needs at least one finding.")
    if not requirements:
        errors["order_requirements"] = _("Say what the agency must put right.")
    if deadline is None:
        errors["order_deadline"] = _("Give the deadline of the rectification.")
    elif deadline <= clock.today():
        errors["order_deadline"] = _("The deadline must be after today.")
    elif deadline > clock.today() + dt.timedelta(days=366):
        errors["order_deadline"] = _("Give a deadline within a year.")
    if errors:
        raise ValidationError(errors)
    return requirements, deadline


def file_report(supervisor_user, visit: QualityVisit, data: dict) -> QualityVisit:
    """Art 26: the supervisor sent to a session files the visit's report, once: how the
    session was run (``process``), findings (each with a severity, a description and
    optionally a check item of the plan's jurisdiction) and a rating (good / acceptable /
    poor). With ``order_requirements`` and ``order_deadline`` the findings open a
    rectification order for the agency. The agency and the authority read the report."""
    with transaction.atomic():
        visit = (
            QualityVisit.objects.select_for_update(of=("self",))
            .select_related("plan", "agency", "session__site")
            .get(pk=visit.pk)
        )
        access.require(supervisor_user, REPORT, visit)
        if visit.state != VisitState.ASSIGNED:
            raise ValidationError(_("The report of this visit has already been filed."))
        errors = {}
        process = (data.get("process") or "").strip()
        rating = data.get("rating") or ""
        if not process:
            errors["process"] = _("Say how the session was run.")
        if rating not in Rating.values:
            errors["rating"] = _("Choose a rating.")
        try:
            findings = _clean_findings(visit, data.get("findings"))
            order = _clean_order(data, findings)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        now = clock.now()
        visit.process, visit.rating = process, rating
        visit.state = VisitState.REPORTED
        visit.reported_by, visit.reported_at = supervisor_user, now
        visit.save(update_fields=["process", "rating", "state", "reported_by", "reported_at"])
        rows = Finding.objects.bulk_create(
            Finding(visit=visit, recorded_by=supervisor_user, recorded_at=now, **row)
            for row in findings
        )
        audit.record(
            supervisor_user,
            "supervision.quality.report",
            visit,
            {
                "state": [VisitState.ASSIGNED, VisitState.REPORTED],
                "rating": [None, rating],
                "findings": [None, len(rows)],
            },
            agency=visit.agency,
            province=visit.plan.jurisdiction,
            audience=Audience.AUTHORITY,  # names the supervisor
        )
        if order is not None:
            requirements, deadline = order
            issue_order(
                supervisor_user, visit, findings=rows, requirements=requirements, deadline=deadline
            )
    return visit


# --- Rectification order from a visit (decision 0058) ---------------------------------------


def issue_order(actor, visit: QualityVisit, *, findings, requirements: str, deadline: dt.date):
    """A rectification order from a visit's findings, through the one place orders are made
    (``supervision.services.inspections.issue_order``); its refusals named as the report
    form names its fields."""
    try:
        return inspections.issue_order(
            actor, visit=visit, findings=findings, requirements=requirements, deadline=deadline
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {_ORDER_FIELDS.get(k, k): v for k, v in exc.error_dict.items()}
        ) from exc


_ORDER_FIELDS = {
    "requirements": "order_requirements",
    "findings": "order_requirements",
    "deadline": "order_deadline",
}
