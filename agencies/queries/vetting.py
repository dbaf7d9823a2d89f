"""Reads of the vetting (Art 14): the officials' queue and application page, the experts'
assignments, and the materials both of them read."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from agencies.models import (
    AgencyApplication,
    ApplicationStatus,
    Condition,
    ExpertAssignment,
    UsccCheck,
)
from agencies.queries.applications import DECIDED
from agencies.services import vetting
from catalog import queries as catalog
from portal import access, clock
from portal.models import AgencyKind


def applications_for_official(user) -> QuerySet[AgencyApplication]:
    """Applications to calls of the official's jurisdiction (drafts are the applicant's own)."""
    if not access.can(user, "agencies.application.queue"):
        return AgencyApplication.objects.none()
    return access.visible(
        user, AgencyApplication.objects.exclude(status=ApplicationStatus.DRAFT)
    ).select_related("call", "agency")


def assignments_for_expert(user) -> QuerySet[ExpertAssignment]:
    return (
        ExpertAssignment.objects.filter(expert=user)
        .select_related("application", "application__call")
        .order_by("-assigned_at")
    )


def queue_page(user, status: str) -> dict:
    """The official's queue, filtered by ``status``, with the number in each status."""
    applications = applications_for_official(user)
    counts = dict(applications.order_by().values_list("status").annotate(n=Count("pk")))
    if status:
        applications = applications.filter(status=status)
    return {
        "applications": applications.order_by("-submitted_at", "-pk"),
        "statuses": [
            (value, label, counts.get(value, 0))
            for value, label in ApplicationStatus.choices
            if value != ApplicationStatus.DRAFT
        ],
        "status": status,
        "total": sum(counts.values()),
    }


def materials_context(application: AgencyApplication) -> dict:
    """Everything the applicant submitted, for the official's and the expert's pages."""
    call = application.call
    scope = list(
        application.scope.select_related("occupation", "work_type").prefetch_related(
            "levels", "approved_levels"
        )
    )
    on = application.submitted_at.date() if application.submitted_at else clock.today()
    scope_rows = []
    for item in scope:
        levels = [
            (
                level,
                catalog.basis_for(
                    item.occupation,
                    level,
                    work_type=item.work_type,
                    agency=application.agency,
                    on=on,
                ),
            )
            for level in item.levels.all()
        ]
        scope_rows.append(
            {"item": item, "levels": levels, "approved": list(item.approved_levels.all())}
        )
    applies = application.kind == AgencyKind.SOCIAL_ORG or call.thresholds_for_employers
    figures = [
        (
            _("Years of relevant training or evaluation work"),
            application.declared_years,
            call.min_years,
        ),
        (
            _("Person-times assessed in total"),
            application.declared_total_assessed,
            call.min_total_assessed,
        ),
    ] + [
        (
            _("Person-times assessed: %(occupation)s") % {"occupation": row["item"]},
            row["item"].declared_assessed,
            call.min_per_occupation,
        )
        for row in scope_rows
    ]
    return {
        "application": application,
        "call": call,
        "conditions": application.conditions.prefetch_related("evidence"),
        "scope_rows": scope_rows,
        "sites": application.sites.select_related("province"),
        "thresholds_apply": applies,
        "figures": [
            {
                "label": label,
                "declared": declared,
                "minimum": minimum,
                "short": applies and bool(minimum) and (declared or 0) < minimum,
            }
            for label, declared, minimum in figures
        ],
    }


def requested_scope(application: AgencyApplication):
    """The requested scope rows the decision approves level by level."""
    return application.scope.select_related("occupation", "work_type").prefetch_related("levels")


def unassigned_pool(application: AgencyApplication):
    """Experts of the pool not yet assigned to ``application``."""
    assigned = application.expert_assignments.values("expert")
    return vetting.expert_pool(application).exclude(pk__in=assigned)


def vetting_page(application: AgencyApplication, labels: dict[str, str]) -> dict:
    """The official's application page: the materials, the rounds of the material check
    (comments under ``labels`` of their items), the experts, the visits and the decision."""
    status = application.status
    assignments = list(
        application.expert_assignments.select_related("expert").order_by("assigned_at", "pk")
    )
    summary = vetting.expert_summary(application)
    context = materials_context(application)
    context.update(
        {
            "rounds": [
                {"review": r, "comments": [(labels.get(k, k), v) for k, v in r.comments.items()]}
                for r in application.material_reviews.select_related("decided_by")
            ],
            "pending_round": status == ApplicationStatus.SUBMITTED,
            "assignments": assignments,
            "pool_empty": not unassigned_pool(application).exists(),
            "summary": summary,
            "summary_rows": [(c.label, summary["averages"][c.value]) for c in Condition],
            "opinions": [a for a in assignments if a.submitted_at],
            "min_experts": vetting.MIN_EXPERTS,
            "visits": application.site_visits.select_related("recorded_by").prefetch_related(
                "photos"
            ),
            "under_review": status == ApplicationStatus.UNDER_REVIEW,
            "decided": status in DECIDED,
            "uscc_flagged": application.uscc_check == UsccCheck.FLAGGED,
            "is_employer": application.kind == AgencyKind.EMPLOYER,
        }
    )
    return context


def assignment_page(assignment: ExpertAssignment) -> dict:
    """The expert's page: the materials and their scores, once they declared no conflict."""
    application = assignment.application
    context = {
        "assignment": assignment,
        "application": application,
        "open": application.status == ApplicationStatus.UNDER_REVIEW,
    }
    if assignment.conflict == ExpertAssignment.Conflict.NONE:
        context.update(materials_context(application))
        context["scores"] = [(c.label, assignment.scores.get(str(c.value))) for c in Condition]
    return context
