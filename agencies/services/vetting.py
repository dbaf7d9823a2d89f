"""Vetting (技术评估, Art 14): material check, expert review, site visit, decision, notice."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import (
    AgencyApplication,
    ApplicationStatus,
    Condition,
    ExpertAssignment,
    MaterialReview,
    SiteVisit,
    UsccCheck,
)
from agencies.services._refusal import Refusal, refuse
from portal import access, audit, authorities, clock, documents, notices, pdf
from portal.access import SYSTEM
from portal.models import AgencyKind, Audience, Document
from portal.roles import AuthorityRole

NOTICE_KIND = "agencies.approval"
MIN_EXPERTS = 3


def _locked(application: AgencyApplication) -> AgencyApplication:
    return (
        AgencyApplication.objects.select_for_update(of=("self",))
        .select_related("call", "agency")
        .get(pk=application.pk)
    )


def _status_refusal(application: AgencyApplication, *statuses: str) -> str | None:
    if application.status not in statuses:
        return Refusal(
            _("This step is not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    return None


def _require_status(application: AgencyApplication, *statuses: str) -> None:
    refuse(_status_refusal(application, *statuses))


def _pending_review(application: AgencyApplication) -> MaterialReview | None:
    return (
        application.material_reviews.filter(decision=MaterialReview.Decision.PENDING)
        .order_by("-round")
        .first()
    )


def _pending_round(application: AgencyApplication) -> MaterialReview:
    review = _pending_review(application)
    if review is None:
        raise ValidationError(_("No material check is pending."), code="wrong_state")
    return review


def uscc_confirmation_refusal(application: AgencyApplication, actor=None) -> str | None:
    """Only a code whose check character did not match waits for an official."""
    if application.uscc_check != UsccCheck.FLAGGED:
        return Refusal(_("The code is not flagged."))
    return None


@transaction.atomic
def confirm_uscc(actor, application: AgencyApplication, *, confirm: bool, note: str):
    """An official confirms or rejects a USCC whose check character did not match (Art 14:
    the material check; GB 32100 codes that fail the check exist)."""
    application = _locked(application)
    access.require(actor, "agencies.application.vet", application)
    refuse(uscc_confirmation_refusal(application, actor))
    if not note.strip():
        raise ValidationError({"note": _("Record the reason for your decision.")})
    old = application.uscc_check
    application.uscc_check = UsccCheck.CONFIRMED if confirm else UsccCheck.REJECTED
    application.uscc_note = note.strip()[:300]
    application.save(update_fields=["uscc_check", "uscc_note", "updated_at"])
    audit.record(
        actor,
        "agencies.application.uscc",
        application,
        {"uscc_check": [old, application.uscc_check], "note": [None, note.strip()]},
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return application


def acceptance_refusal(application: AgencyApplication, actor=None) -> str | None:
    """Why the materials cannot be accepted now (a flagged or rejected credit code first), or
    None."""
    refusal = _status_refusal(application, ApplicationStatus.SUBMITTED)
    if refusal:
        return refusal
    if application.uscc_check == UsccCheck.FLAGGED:
        return Refusal(
            _("Confirm or reject the flagged unified social credit code first."), "uscc_flagged"
        )
    if application.uscc_check == UsccCheck.REJECTED:
        return Refusal(
            _("The unified social credit code was rejected: return the application or reject it."),
            "uscc_rejected",
        )
    if _pending_review(application) is None:
        return Refusal(_("No material check is pending."))
    return None


def return_refusal(application: AgencyApplication, actor=None) -> str | None:
    """Only submitted materials under check are returned for correction."""
    refusal = _status_refusal(application, ApplicationStatus.SUBMITTED)
    if refusal:
        return refusal
    if _pending_review(application) is None:
        return Refusal(_("No material check is pending."))
    return None


@transaction.atomic
def accept_materials(
    actor,
    application: AgencyApplication,
    *,
    use_expert_review: bool,
    use_site_visit: bool,
    comment: str = "",
) -> AgencyApplication:
    """Materials are complete (材料核验, Art 14): technical evaluation goes on with the chosen
    methods."""
    application = _locked(application)
    access.require(actor, "agencies.application.vet", application)
    refuse(acceptance_refusal(application, actor))
    review = _pending_round(application)
    review.decision, review.general_comment = MaterialReview.Decision.ACCEPTED, comment.strip()
    review.decided_at, review.decided_by = clock.now(), actor
    review.save(update_fields=["decision", "general_comment", "decided_at", "decided_by"])
    application.status = ApplicationStatus.UNDER_REVIEW
    application.use_expert_review, application.use_site_visit = use_expert_review, use_site_visit
    application.save(update_fields=["status", "use_expert_review", "use_site_visit", "updated_at"])
    audit.record(
        actor,
        "agencies.application.accept",
        application,
        {
            "status": [ApplicationStatus.SUBMITTED, application.status],
            "expert_review": [None, use_expert_review],
            "site_visit": [None, use_site_visit],
        },
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return application


@transaction.atomic
def return_materials(
    actor, application: AgencyApplication, *, comments: dict[str, str], general_comment: str = ""
) -> AgencyApplication:
    """Return the application with comments per item; the applicant corrects and resubmits
    (Art 14)."""
    application = _locked(application)
    access.require(actor, "agencies.application.vet", application)
    refuse(return_refusal(application, actor))
    comments = {k: v.strip() for k, v in comments.items() if v and v.strip()}
    if not comments and not general_comment.strip():
        raise ValidationError({"general_comment": _("Say what the applicant must correct.")})
    review = _pending_round(application)
    review.decision = MaterialReview.Decision.RETURNED
    review.comments, review.general_comment = comments, general_comment.strip()
    review.decided_at, review.decided_by = clock.now(), actor
    review.save(
        update_fields=["decision", "comments", "general_comment", "decided_at", "decided_by"]
    )
    application.status = ApplicationStatus.RETURNED
    application.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        "agencies.application.return",
        application,
        {
            "status": [ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED],
            "comments": [None, comments],
            "general_comment": [None, general_comment],
        },
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return application


def evidence_documents(application: AgencyApplication):
    return Document.objects.filter(
        pk__in=application.conditions.values("evidence"), deleted_at__isnull=True
    )


def expert_pool(application: AgencyApplication):
    """Experts of the call's jurisdiction (national pool for national calls)."""
    from portal.models import User

    return User.objects.filter(
        groups__name=AuthorityRole.EXPERT,
        is_active=True,
        jurisdiction=application.call.jurisdiction,
    ).order_by("real_name")


def expert_assignment_refusal(application: AgencyApplication, actor=None) -> str | None:
    """Experts are assigned during technical evaluation, if expert review was chosen."""
    refusal = _status_refusal(application, ApplicationStatus.UNDER_REVIEW)
    if refusal:
        return refusal
    if not application.use_expert_review:
        return Refusal(_("Expert review was not chosen for this application."), "no_expert_review")
    return None


@transaction.atomic
def assign_experts(actor, application: AgencyApplication, experts) -> list[ExpertAssignment]:
    """Assign experts from the pool (专家论证, Art 14); each gets a grant on this application
    only."""
    application = _locked(application)
    access.require(actor, "agencies.application.vet", application)
    refuse(expert_assignment_refusal(application, actor))
    pool = set(expert_pool(application).values_list("pk", flat=True))
    created = []
    for expert in experts:
        if expert.pk not in pool:
            raise ValidationError(
                {
                    "experts": _("%(name)s is not in the expert pool of this call's jurisdiction.")
                    % {"name": expert}
                }
            )
        assignment, new = ExpertAssignment.objects.get_or_create(
            application=application,
            expert=expert,
            defaults={"assigned_by": actor, "assigned_at": clock.now()},
        )
        if new:
            access.grant(expert, "view_agencyapplication", application)
            for doc in evidence_documents(application):
                access.grant(expert, "view_document", doc)
            created.append(assignment)
    active = application.expert_assignments.exclude(conflict=ExpertAssignment.Conflict.WITHDRAWN)
    if active.count() < MIN_EXPERTS:
        raise ValidationError({"experts": _("Assign at least %(n)d experts.") % {"n": MIN_EXPERTS}})
    # The applicant never learns who the experts are: this entry is for the authority only.
    audit.record(
        actor,
        "agencies.application.assign_experts",
        application,
        {"experts": [None, sorted(e.username for e in experts)]},
        objects=[a.expert for a in created],
        province=application.call.jurisdiction,
    )
    return created


def _own_assignment(expert, assignment: ExpertAssignment) -> ExpertAssignment:
    assignment = (
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("application", "application__call")
        .get(pk=assignment.pk)
    )
    access.require(expert, "agencies.application.review", assignment.application)
    if assignment.expert_id != expert.pk:
        raise PermissionDenied("not this expert's assignment")
    _require_status(assignment.application, ApplicationStatus.UNDER_REVIEW)
    return assignment


def declaration_refusal(assignment: ExpertAssignment, expert=None) -> str | None:
    """The expert declares once, while the application is in technical evaluation."""
    refusal = _status_refusal(assignment.application, ApplicationStatus.UNDER_REVIEW)
    if refusal:
        return refusal
    if assignment.conflict != ExpertAssignment.Conflict.UNDECLARED:
        return Refusal(_("You have already made your declaration."))
    return None


@transaction.atomic
def declare_conflict(
    expert, assignment: ExpertAssignment, *, has_conflict: bool, note: str = ""
) -> ExpertAssignment:
    """Before reviewing, the expert declares no conflict of interest, or withdraws (Art 14)."""
    assignment = _own_assignment(expert, assignment)
    refuse(declaration_refusal(assignment, expert))
    assignment.conflict = (
        ExpertAssignment.Conflict.WITHDRAWN if has_conflict else ExpertAssignment.Conflict.NONE
    )
    assignment.conflict_note, assignment.declared_at = note.strip()[:300], clock.now()
    assignment.save(update_fields=["conflict", "conflict_note", "declared_at"])
    if has_conflict:
        access.revoke(expert, "view_agencyapplication", assignment.application)
        for doc in evidence_documents(assignment.application):
            access.revoke(expert, "view_document", doc)
    audit.record(
        expert,
        "agencies.application.declare",
        assignment.application,
        {"conflict": [ExpertAssignment.Conflict.UNDECLARED, assignment.conflict]},
        province=assignment.application.call.jurisdiction,
    )
    return assignment


def expert_review_refusal(assignment: ExpertAssignment, expert=None) -> str | None:
    """One review per expert, after declaring no conflict of interest."""
    refusal = _status_refusal(assignment.application, ApplicationStatus.UNDER_REVIEW)
    if refusal:
        return refusal
    if assignment.conflict != ExpertAssignment.Conflict.NONE:
        return Refusal(_("Declare that you have no conflict of interest first."), "no_declaration")
    if assignment.submitted_at is not None:
        return Refusal(_("Your review has already been submitted."))
    return None


@transaction.atomic
def submit_expert_review(
    expert,
    assignment: ExpertAssignment,
    *,
    scores: dict[int, int],
    opinion: str,
    recommendation: str,
) -> ExpertAssignment:
    """Scores (0–100) for each condition of Art 12, an opinion and a recommendation (Art 14)."""
    assignment = _own_assignment(expert, assignment)
    refuse(expert_review_refusal(assignment, expert))
    errors = {}
    clean = {}
    for condition in Condition.values:
        value = scores.get(condition, scores.get(str(condition)))
        if value is None or not 0 <= int(value) <= 100:
            errors[f"score_{condition}"] = _("Give a score from 0 to 100.")
        else:
            clean[str(condition)] = int(value)
    if not opinion.strip():
        errors["opinion"] = _("Write your opinion.")
    if recommendation not in ExpertAssignment.Recommendation.values:
        errors["recommendation"] = _("Choose a recommendation.")
    if errors:
        raise ValidationError(errors)
    assignment.scores, assignment.opinion = clean, opinion.strip()
    assignment.recommendation, assignment.submitted_at = recommendation, clock.now()
    assignment.save(update_fields=["scores", "opinion", "recommendation", "submitted_at"])
    audit.record(
        expert,
        "agencies.application.expert_review",
        assignment.application,
        {"recommendation": [None, recommendation], "scores": [None, clean]},
        province=assignment.application.call.jurisdiction,
    )
    return assignment


def site_visit_refusal(application: AgencyApplication, actor=None) -> str | None:
    """A site visit is recorded during technical evaluation."""
    return _status_refusal(application, ApplicationStatus.UNDER_REVIEW)


@transaction.atomic
def record_site_visit(
    actor,
    application: AgencyApplication,
    *,
    visited_on: dt.date,
    people: str,
    findings: str,
    photos=(),
) -> SiteVisit:
    """Record a site visit (现场考察, Art 14) with photos as documents."""
    application = _locked(application)
    access.require(actor, "agencies.application.vet", application)
    refuse(site_visit_refusal(application, actor))
    if visited_on > clock.today():
        raise ValidationError({"visited_on": _("The visit cannot be in the future.")})
    visit = SiteVisit.objects.create(
        application=application,
        visited_on=visited_on,
        people=people.strip(),
        findings=findings.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    for upload in photos:
        visit.photos.add(
            documents.store_document(
                actor,
                upload,
                title=f"现场考察照片 {visited_on:%Y-%m-%d}",
                kind="site_visit_photo",
                owner_jurisdiction=application.call.jurisdiction,
                subject=application,
                allowed=("jpeg", "png", "pdf"),
                audience=Audience.AUTHORITY,
            )
        )
    audit.record(
        actor,
        "agencies.application.site_visit",
        application,
        {"visited_on": [None, visited_on], "findings": [None, visit.findings]},
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return visit


def expert_summary(application: AgencyApplication) -> dict:
    done = [a for a in application.expert_assignments.all() if a.submitted_at]
    averages = {}
    for condition in Condition.values:
        values = [
            a.scores.get(str(condition)) for a in done if a.scores.get(str(condition)) is not None
        ]
        averages[condition] = round(sum(values) / len(values), 1) if values else None
    return {
        "completed": len(done),
        "approve": sum(a.recommendation == ExpertAssignment.Recommendation.APPROVE for a in done),
        "reject": sum(a.recommendation == ExpertAssignment.Recommendation.REJECT for a in done),
        "averages": averages,
    }


def decision_letter_pdf(
    application: AgencyApplication,
    *,
    approved: bool,
    dated: dt.datetime,
    number: str,
    authority: str,
) -> bytes:
    """The decision letter (决定书, Art 14): approval with the approved scope, or rejection
    with the reasons, dated ``dated``, numbered ``number`` (文号) and signed by the deciding
    ``authority``'s name (decision 0028)."""
    return pdf.render_pdf(
        "agencies/pdf/decision_letter.html",
        {
            "application": application,
            "approved": approved,
            "now": dated,
            "number": number,
            "authority": authority,
            "scope": application.scope.select_related("occupation", "work_type").prefetch_related(
                "approved_levels"
            ),
            "is_demo": application.agency.is_demo,
        },
    )


DECISION_LETTER_RENDERER = "agencies.decision_letter"


def render_decision_letter(document: Document) -> bytes:
    """Renderer of a pending decision letter (registered by ``agencies.registry``)."""
    params = document.render_params
    application = AgencyApplication.objects.select_related("call", "agency").get(
        pk=params["application"]
    )
    # Letters queued before numbering (decision 0028) name the authority as it is now.
    authority = (
        params.get("authority") or authorities.authority_for(application.call.jurisdiction).name
    )
    return decision_letter_pdf(
        application,
        approved=params["approved"],
        dated=dt.datetime.fromisoformat(params["dated"]),
        number=params.get("number", application.decision_number),
        authority=authority,
    )


def _decision_letter(actor, application: AgencyApplication, *, approved: bool) -> None:
    """A pending decision letter, rendered by a task after the commit (never under the lock),
    with its document number (文号) allocated now, in the decision's transaction, from the
    deciding authority's series of the decision's year (decision 0028). The authority's name
    and the number are kept in the letter's parameters, so a re-rendered letter reads the
    same after the authority's name is corrected."""
    authority = authorities.authority_for(application.call.jurisdiction)
    year = timezone.localtime(application.decided_at).year
    application.decision_number = authorities.letter_number(authority, year)
    application.decision_letter = documents.create_pending(
        actor,
        renderer=DECISION_LETTER_RENDERER,
        params={
            "application": application.pk,
            "approved": approved,
            "dated": application.decided_at.isoformat(),
            "number": application.decision_number,
            "authority": authority.name,
        },
        filename=f"decision-{application.pk}.pdf",
        title=_("Decision letter"),
        kind="decision_letter",
        owner_agency=application.agency,
        owner_jurisdiction=application.call.jurisdiction,
        subject=application,
    )


def decision_refusal(
    application: AgencyApplication, actor=None, *, approve: bool = True
) -> str | None:
    """Why the application cannot be decided now, or None. An approval also waits for the
    chosen methods: enough expert reviews, the site visit (Art 14); a rejection does not."""
    refusal = _status_refusal(application, ApplicationStatus.UNDER_REVIEW)
    if refusal or not approve:
        return refusal
    completed = expert_summary(application)["completed"] if application.use_expert_review else 0
    if application.use_expert_review and completed < MIN_EXPERTS:
        return Refusal(
            _("%(c)d of %(n)d expert reviews are in: approval waits for at least %(n)d.")
            % {"c": completed, "n": MIN_EXPERTS},
            "experts_pending",
        )
    if application.use_site_visit and not application.site_visits.exists():
        return Refusal(_("Record the site visit first."), "visit_pending")
    return None


@transaction.atomic
def decide(
    actor,
    application: AgencyApplication,
    *,
    approve: bool,
    reasons: str,
    approved_levels: dict[int, list] | None = None,
    may_serve_others: bool = False,
) -> AgencyApplication:
    """Approve with a scope (may be narrower than requested) or reject with reasons (Art 14).

    A social organisation's approval first goes to public notice; an employer's stands at once.
    """
    application = _locked(application)
    access.require(actor, "agencies.application.vet", application)
    _require_status(application, ApplicationStatus.UNDER_REVIEW)
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons of the decision.")})
    refuse(decision_refusal(application, actor, approve=approve))
    if approve:
        any_level = False
        for item in application.scope.prefetch_related("levels"):
            requested = {lv.pk: lv for lv in item.levels.all()}
            chosen = (approved_levels or {}).get(item.pk, list(requested))
            chosen = [c.pk if hasattr(c, "pk") else c for c in chosen]
            if set(chosen) - set(requested):
                raise ValidationError(
                    {"scope": _("The approved scope cannot exceed the requested scope.")}
                )
            item.approved_levels.set([requested[c] for c in chosen])
            any_level |= bool(chosen)
        if not any_level:
            raise ValidationError({"scope": _("Approve at least one occupation and level.")})
    old = application.status
    application.decision_reasons = reasons.strip()
    application.may_serve_others = bool(
        may_serve_others and application.kind == AgencyKind.EMPLOYER
    )
    application.decided_at, application.decided_by = clock.now(), actor
    if not approve:
        application.status = ApplicationStatus.REJECTED
    elif application.kind == AgencyKind.SOCIAL_ORG:
        application.status = ApplicationStatus.ON_NOTICE
    else:
        application.status = ApplicationStatus.APPROVED
    _decision_letter(actor, application, approved=approve)
    application.save(
        update_fields=[
            "status",
            "decision_reasons",
            "may_serve_others",
            "decided_at",
            "decided_by",
            "decision_letter",
            "decision_number",
            "updated_at",
        ]
    )
    if application.status == ApplicationStatus.ON_NOTICE:
        notices.publish_notice(
            actor,
            application,
            kind=NOTICE_KIND,
            title=_("Public notice: %(name)s proposed as an evaluation agency")
            % {"name": application.legal_name},
            body=_notice_body(application),
            period_working_days=application.call.notice_period_days,
            jurisdiction=application.call.jurisdiction,
            agency=application.agency,
        )
    if application.status == ApplicationStatus.REJECTED:
        documents.start_retention(application)
    audit.record(
        actor,
        "agencies.application.decide",
        application,
        {
            "status": [old, application.status],
            "reasons": [None, application.decision_reasons],
            "may_serve_others": [None, application.may_serve_others],
            "decision_number": [None, application.decision_number],
        },
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
    return application


def _notice_body(application: AgencyApplication) -> str:
    lines = [
        _(
            "%(name)s (unified social credit code %(uscc)s) is proposed for listing as a social "
            "training-and-evaluation organisation (Art 14)."
        )
        % {"name": application.legal_name, "uscc": application.uscc},
        _("Proposed scope:"),
    ]
    for item in application.scope.select_related("occupation", "work_type").prefetch_related(
        "approved_levels"
    ):
        levels = "、".join(lv.display for lv in item.approved_levels.all())
        if levels:
            lines.append(
                f"· {item.occupation.code} {item.occupation.name}"
                + (f"（{item.work_type.name}）" if item.work_type_id else "")
                + f"：{levels}"
            )
    return "\n".join(lines)


def on_notice_stood(notice) -> None:
    """The notice period ended with no objection upheld: the approval stands."""
    application = notices.subject_object(notice, AgencyApplication.objects.select_for_update())
    if application.status != ApplicationStatus.ON_NOTICE:
        return
    application.status = ApplicationStatus.APPROVED
    application.save(update_fields=["status", "updated_at"])
    audit.record(
        SYSTEM,
        "agencies.application.approval_stands",
        application,
        {"status": [ApplicationStatus.ON_NOTICE, ApplicationStatus.APPROVED]},
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )


def on_notice_overturned(notice, objection) -> None:
    """An objection was upheld: the approval becomes a rejection with the reason."""
    application = notices.subject_object(
        notice, AgencyApplication.objects.select_for_update().select_related("call", "agency")
    )
    if application.status != ApplicationStatus.ON_NOTICE:
        return
    application.status = ApplicationStatus.REJECTED
    application.decision_reasons = _(
        "An objection raised during the public notice was upheld: %(reason)s"
    ) % {"reason": objection.decision_reason}
    application.decided_at = clock.now()
    _decision_letter(SYSTEM, application, approved=False)
    application.save(
        update_fields=[
            "status",
            "decision_reasons",
            "decided_at",
            "decision_letter",
            "decision_number",
            "updated_at",
        ]
    )
    documents.start_retention(application)
    audit.record(
        SYSTEM,
        "agencies.application.approval_overturned",
        application,
        {
            "status": [ApplicationStatus.ON_NOTICE, ApplicationStatus.REJECTED],
            "reasons": [None, application.decision_reasons],
            "decision_number": [None, application.decision_number],
        },
        audience=Audience.AGENCY,
        province=application.call.jurisdiction,
    )
