"""Reads of the vetting (Art 14): the officials' queue and application page, the experts'
assignments, and the materials both of them read."""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import (
    AgencyApplication,
    ApplicationStatus,
    Condition,
    ExpertAssignment,
    MaterialReview,
    SiteVisit,
    UsccCheck,
)
from agencies.queries.applications import DECIDED, application_steps
from agencies.services import vetting
from catalog import queries as catalog
from portal import access, clock
from portal.models import AgencyKind, NoticeStatus, PublicNotice
from portal.ui import queues


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


PENDING, ALL = "pending", "all"


def expert_queue(user, *, show: str = PENDING, q: str = "", sort: str = ""):
    """The expert's assignments: by default those still to do (a declaration or a review
    while the evaluation is open), the longest waiting first; searched by name or code."""
    rows = assignments_for_expert(user).select_related("application__agency")
    if show != ALL:
        rows = rows.filter(
            application__status=ApplicationStatus.UNDER_REVIEW, submitted_at__isnull=True
        ).exclude(conflict=ExpertAssignment.Conflict.WITHDRAWN)
    if q:
        rows = rows.filter(
            Q(application__legal_name__icontains=q) | Q(application__uscc__icontains=q.upper())
        )
    order = {
        queues.RECENT: ["-assigned_at", "-pk"],
        queues.NAME: ["application__legal_name", "pk"],
    }.get(sort, ["assigned_at", "pk"])
    return rows.order_by(*order)


class Stage:
    """Where an application waits, and for whom (docs/decisions/0027). The first four are the
    vetting official's to-dos; the others wait for the applicant, the experts or the notice."""

    CHECK = "check"  # 待材料核验 (the official)
    ASSIGN = "assign"  # 待指派专家 (the official)
    VISIT = "visit"  # 待记录实地核查 (the official)
    DECIDE = "decide"  # 待作出审批决定 (the official)
    OPINIONS = "opinions"  # 待专家提交意见 (the experts)
    RETURNED = "returned"  # 退回补正 (the applicant)
    NOTICE = "notice"  # 公示中 (the public)
    COMMITMENT = "commitment"  # 待签署承诺书 (the applicant)
    CLOSED = "closed"  # listed, rejected or withdrawn

    OFFICIAL = (CHECK, ASSIGN, VISIT, DECIDE)
    LABELS = {
        CHECK: gettext_lazy("Material check to do"),
        ASSIGN: gettext_lazy("Experts to assign"),
        VISIT: gettext_lazy("Site visit to record"),
        DECIDE: gettext_lazy("Ready for decision"),
        OPINIONS: gettext_lazy("Waiting for the experts' opinions"),
        RETURNED: gettext_lazy("Waiting for the applicant's correction"),
        NOTICE: gettext_lazy("On public notice"),
        COMMITMENT: gettext_lazy("Waiting for the commitment letter"),
        CLOSED: gettext_lazy("Closed"),
    }


def _count_of(queryset) -> Coalesce:
    """A correlated count (one subquery, no join that would multiply the rows)."""
    counted = queryset.order_by().values("application").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1], output_field=DateTimeField())


def with_stage(applications: QuerySet[AgencyApplication]) -> QuerySet[AgencyApplication]:
    """Each application annotated with its ``stage`` (``Stage``), ``waiting_since`` (when it
    reached that stage) and ``notice_ends`` (the open notice's last day), in one query."""
    ours = OuterRef("pk")
    reviews = MaterialReview.objects.filter(application=ours)
    experts = ExpertAssignment.objects.filter(application=ours)
    visits = SiteVisit.objects.filter(application=ours)
    subject = Concat(Value(f"{AgencyApplication._meta.label_lower}:"), Cast(ours, CharField()))
    notice = PublicNotice.objects.filter(
        kind=vetting.NOTICE_KIND, status=NoticeStatus.OPEN, subject=subject
    )
    applications = applications.annotate(
        round_at=_latest(reviews.filter(decision=MaterialReview.Decision.PENDING), "submitted_at"),
        accepted_at=_latest(
            reviews.filter(decision=MaterialReview.Decision.ACCEPTED), "decided_at"
        ),
        active_experts=_count_of(experts.exclude(conflict=ExpertAssignment.Conflict.WITHDRAWN)),
        opinions=_count_of(experts.filter(submitted_at__isnull=False)),
        last_opinion=_latest(experts.filter(submitted_at__isnull=False), "submitted_at"),
        visit_count=_count_of(visits),
        last_visit=_latest(visits, "recorded_at"),
        notice_ends=Subquery(notice.values("ends_on")[:1]),
    )
    review = Q(status=ApplicationStatus.UNDER_REVIEW)
    minimum = vetting.MIN_EXPERTS
    return applications.annotate(
        stage=Case(
            When(status=ApplicationStatus.SUBMITTED, then=Value(Stage.CHECK)),
            When(
                review & Q(use_expert_review=True, active_experts__lt=minimum),
                then=Value(Stage.ASSIGN),
            ),
            When(review & Q(use_site_visit=True, visit_count=0), then=Value(Stage.VISIT)),
            When(
                review & Q(use_expert_review=True, opinions__lt=minimum),
                then=Value(Stage.OPINIONS),
            ),
            When(review, then=Value(Stage.DECIDE)),
            When(status=ApplicationStatus.RETURNED, then=Value(Stage.RETURNED)),
            When(status=ApplicationStatus.ON_NOTICE, then=Value(Stage.NOTICE)),
            When(status=ApplicationStatus.APPROVED, then=Value(Stage.COMMITMENT)),
            default=Value(Stage.CLOSED),
            output_field=CharField(),
        ),
        waiting_since=Case(
            When(status=ApplicationStatus.SUBMITTED, then=Coalesce("round_at", "submitted_at")),
            When(
                stage=Stage.DECIDE,
                then=Greatest("accepted_at", "last_opinion", "last_visit"),
            ),
            When(review, then=Coalesce("accepted_at", "submitted_at")),
            When(
                status__in=[ApplicationStatus.ON_NOTICE, ApplicationStatus.APPROVED],
                then=Coalesce("decided_at", "updated_at"),
            ),
            default=F("updated_at"),
            output_field=DateTimeField(),
        ),
    )


def vetting_worklist(user) -> dict[str, dict]:
    """For the dashboard: per stage, the number of the official's applications waiting in it,
    the arrival of the longest-waiting one and the earliest deadline (one query)."""
    rows = (
        with_stage(applications_for_official(user).filter(call__jurisdiction=user.jurisdiction))
        .exclude(status__in=_CLOSED_STATUSES)
        .values_list("stage", "waiting_since", "notice_ends")
    )
    found: dict[str, dict] = {}
    for stage, since, ends in rows:
        entry = found.setdefault(stage, {"count": 0, "oldest": None, "due_on": None})
        entry["count"] += 1
        if since and (entry["oldest"] is None or since < entry["oldest"]):
            entry["oldest"] = since
        if ends and (entry["due_on"] is None or ends < entry["due_on"]):
            entry["due_on"] = ends
    return found


_CLOSED_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.LISTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
)


def search_applications(applications: QuerySet[AgencyApplication], text: str):
    """Name (legal name or the agency's) or unified social credit code, any part of it."""
    if not text:
        return applications
    return applications.filter(
        Q(legal_name__icontains=text)
        | Q(agency__name__icontains=text)
        | Q(uscc__icontains=text.upper())
    )


def queue_page(
    user, *, status: str = PENDING, stage: str = "", q: str = "", sort: str = ""
) -> dict:
    """The official's queue: by default what waits for the vetting official (material check,
    experts to assign, site visit to record, decision), longest waiting first; else one
    status or all; searched by name or credit code; with the number in each status and stage."""
    applications = with_stage(applications_for_official(user))
    counts = dict(applications.order_by().values_list("status").annotate(n=Count("pk")))
    stage_counts = dict(
        applications.filter(
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
        )
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    if stage:
        applications = applications.filter(stage=stage)
    elif status == PENDING:
        applications = applications.filter(stage__in=Stage.OFFICIAL)
    elif status and status != ALL:
        applications = applications.filter(status=status)
    applications = search_applications(applications, q)
    order = {
        queues.RECENT: ["-waiting_since", "-pk"],
        queues.NAME: ["legal_name", "pk"],
    }.get(sort, [F("waiting_since").asc(nulls_last=True), "pk"])
    return {
        "applications": applications.order_by(*order),
        "statuses": [
            (value, label, counts.get(value, 0))
            for value, label in ApplicationStatus.choices
            if value != ApplicationStatus.DRAFT
        ],
        "stages": [(s, Stage.LABELS[s], stage_counts.get(s, 0)) for s in Stage.OFFICIAL],
        "pending": sum(stage_counts.get(s, 0) for s in Stage.OFFICIAL),
        "status": status,
        "stage": stage,
        "total": sum(counts.values()),
        "stage_labels": Stage.LABELS,
        "min_experts": vetting.MIN_EXPERTS,
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
            "steps": application_steps(application),
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
