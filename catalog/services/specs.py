"""Agencies' evaluation specifications and their filing with the ministry (Art 8, 17)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import (
    EvaluationSpec,
    Occupation,
    SkillLevel,
    SpecReview,
    SpecStatus,
    WorkType,
)
from catalog.queries import covered_by_standard
from catalog.services.levels import LevelInput, check_level_allowed, write_levels
from portal import access, audit, clock, counters
from portal.models import Audience

SPEC_FIELDS = ("title", "summary", "occupation_id", "work_type_id")
EDITABLE = (SpecStatus.DRAFT, SpecStatus.RETURNED)
FINAL = (SpecStatus.FILED, SpecStatus.REFUSED, SpecStatus.WITHDRAWN)


# --- Refusals: why an action cannot be taken now, for the service and for the page ---------------


def _refusal(actor, action: str, spec: EvaluationSpec, errors: list[ValidationError]) -> str | None:
    # The services check access first and answer 403 (PermissionDenied); the text is for pages.
    if not access.can(actor, action, spec):
        return _("Your account may not do this. If you think it should, ask your administrator.")
    return " ".join(ValidationError(errors).messages) if errors else None


def _covered(spec: EvaluationSpec) -> list[ValidationError]:
    return [ValidationError(r, code="covered_by_standard") for r in covered_by_standard(spec)]


def _submission_errors(spec: EvaluationSpec) -> list[ValidationError]:
    if spec.status not in EDITABLE:
        return [
            ValidationError(
                _("Only a draft or a returned specification can be submitted."), code="wrong_state"
            )
        ]
    if not spec.levels.exists():
        return [
            ValidationError(
                _("Add at least one level with its methods before submitting."), code="no_levels"
            )
        ]
    return _covered(spec)


def submission_refusal(spec: EvaluationSpec, actor) -> str | None:
    """Why ``actor`` may not submit ``spec`` for filing now, or None (Art 8, 17): it must be a
    draft or returned, have a level, and cover no level a national standard in force covers.
    ``submit_spec`` raises with it; the agency's page disables its button with it."""
    return _refusal(actor, "catalog.spec.submit", spec, _submission_errors(spec))


def _filing_errors(spec: EvaluationSpec) -> list[ValidationError]:
    pending = spec.reviews.filter(decision=SpecReview.Decision.PENDING).exists()
    if spec.status != SpecStatus.SUBMITTED or not pending:
        return [
            ValidationError(
                _("This specification is not waiting for a decision."), code="wrong_state"
            )
        ]
    return _covered(spec)


def filing_refusal(spec: EvaluationSpec, actor) -> str | None:
    """Why ``actor`` may not file ``spec`` now, or None (Art 8, 17): it must wait for a decision
    and cover no level a national standard in force covers. ``file_spec`` raises with it; the
    review page disables its button with it."""
    return _refusal(actor, "catalog.spec.review", spec, _filing_errors(spec))


def _withdrawal_errors(spec: EvaluationSpec) -> list[ValidationError]:
    if spec.status in FINAL:
        return [
            ValidationError(_("This specification can no longer be withdrawn."), code="wrong_state")
        ]
    return []


def withdrawal_refusal(spec: EvaluationSpec, actor) -> str | None:
    """Why ``actor`` may not withdraw ``spec``, or None: filed, refused and withdrawn are final.
    ``withdraw_spec`` raises with it; the agency's page offers the button only without it."""
    return _refusal(actor, "catalog.spec.submit", spec, _withdrawal_errors(spec))


def _raise(errors: list[ValidationError]) -> None:
    if errors:
        raise ValidationError(errors)


# --- The actions ---------------------------------------------------------------------------------


@transaction.atomic
def create_spec(
    actor,
    agency,
    *,
    occupation: Occupation,
    title: str,
    summary: str = "",
    work_type: WorkType | None = None,
    levels: Sequence[LevelInput] = (),
) -> EvaluationSpec:
    """An agency drafts an evaluation specification (Art 8: developed by the agency)."""
    access.require(actor, "catalog.spec.create", agency)
    if work_type is not None and work_type.occupation_id != occupation.pk:
        raise ValidationError({"work_type": _("The work type must belong to the occupation.")})
    if not occupation.is_skill or not occupation.is_active:
        raise ValidationError({"occupation": _("This occupation cannot be assessed here (Art 6).")})
    spec = EvaluationSpec(
        agency=agency,
        occupation=occupation,
        work_type=work_type,
        title=title.strip(),
        summary=summary.strip(),
        created_by=actor,
    )
    spec.full_clean()
    spec.save()
    for item in levels:
        check_level_allowed(agency.kind, SkillLevel.objects.get(pk=item.level))
    write_levels(spec, levels)
    audit.record(
        actor,
        "catalog.spec.create",
        spec,
        {"title": [None, spec.title], "occupation": [None, occupation.code]},
        audience=Audience.AGENCY,
    )
    return spec


@transaction.atomic
def update_spec(
    actor, spec: EvaluationSpec, *, levels: Sequence[LevelInput] | None = None, **fields
) -> EvaluationSpec:
    """Revise a draft or a returned specification."""
    spec = (
        EvaluationSpec.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=spec.pk)
    )
    access.require(actor, "catalog.spec.edit", spec)
    if spec.status not in EDITABLE:
        raise ValidationError(
            _("Only a draft or a returned specification can be changed."), code="wrong_state"
        )
    before = audit.snapshot(spec, SPEC_FIELDS)
    for name, value in fields.items():
        if name not in SPEC_FIELDS:
            raise ValueError(f"unknown spec field {name}")
        setattr(spec, name, value.strip() if isinstance(value, str) else value)
    if spec.work_type_id and spec.work_type.occupation_id != spec.occupation_id:
        raise ValidationError({"work_type": _("The work type must belong to the occupation.")})
    spec.full_clean()
    spec.save(update_fields=[*fields, "updated_at"])
    if levels is not None:
        for item in levels:
            check_level_allowed(spec.agency.kind, SkillLevel.objects.get(pk=item.level))
        write_levels(spec, levels)
    audit.record(
        actor,
        "catalog.spec.change",
        spec,
        audit.diff(before, spec, SPEC_FIELDS),
        audience=Audience.AGENCY,
    )
    return spec


@transaction.atomic
def submit_spec(actor, spec: EvaluationSpec, *, note: str = "") -> EvaluationSpec:
    """Submit (or resubmit) a specification for filing with the ministry (Art 8)."""
    spec = (
        EvaluationSpec.objects.select_for_update(of=("self",))
        .select_related("agency", "occupation", "work_type")
        .get(pk=spec.pk)
    )
    access.require(actor, "catalog.spec.submit", spec)
    _raise(_submission_errors(spec))
    rounds = spec.reviews.count()
    SpecReview.objects.create(
        spec=spec,
        round=rounds + 1,
        submitted_at=clock.now(),
        submitted_by=actor,
        submission_note=note.strip(),
    )
    old, spec.status = spec.status, SpecStatus.SUBMITTED
    spec.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        "catalog.spec.submit",
        spec,
        {"status": [old, spec.status], "round": [None, rounds + 1]},
        audience=Audience.AGENCY,
    )
    return spec


def _pending_review(spec: EvaluationSpec) -> SpecReview:
    review = spec.reviews.filter(decision=SpecReview.Decision.PENDING).order_by("-round").first()
    if spec.status != SpecStatus.SUBMITTED or review is None:
        raise ValidationError(
            _("This specification is not waiting for a decision."), code="wrong_state"
        )
    return review


def _decide(actor, spec: EvaluationSpec, decision: str, comments: str) -> SpecReview:
    review = _pending_review(spec)
    review.decision, review.comments = decision, comments.strip()
    review.decided_at, review.decided_by = clock.now(), actor
    review.save(update_fields=["decision", "comments", "decided_at", "decided_by"])
    return review


def _close_round(
    actor,
    spec: EvaluationSpec,
    *,
    decision: str,
    status: str,
    action: str,
    comments: str,
    required: str,
) -> EvaluationSpec:
    """Return or refuse: the round closes with the reviewer's comments, which are required."""
    spec = EvaluationSpec.objects.select_for_update().get(pk=spec.pk)
    access.require(actor, "catalog.spec.review", spec)
    if not comments.strip():
        raise ValidationError({"comments": required})
    review = _decide(actor, spec, decision, comments)
    spec.status = status
    spec.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        action,
        spec,
        {
            "status": [SpecStatus.SUBMITTED, status],
            "round": [None, review.round],
            "comments": [None, review.comments],
        },
        audience=Audience.AGENCY,
    )
    return spec


@transaction.atomic
def return_spec(actor, spec: EvaluationSpec, *, comments: str) -> EvaluationSpec:
    """Return a submitted specification to the agency with comments to revise (Art 8)."""
    return _close_round(
        actor,
        spec,
        decision=SpecReview.Decision.RETURNED,
        status=SpecStatus.RETURNED,
        action="catalog.spec.return",
        comments=comments,
        required=_("Write what the agency must revise."),
    )


FILING_MAXIMUM = 9999  # four digits: 备〔2026〕0001号 … 备〔2026〕9999号


def filing_number(year: int, number: int) -> str:
    """备〔2026〕0001号: sequential per year across all filed specifications."""
    return f"备〔{year}〕{number:04d}号"


def _highest_filing_number(year: int) -> int:
    """The highest number of ``year`` already handed out, for the year's counter to go on from
    (filings numbered before the counter existed keep their numbers)."""
    prefix = f"备〔{year}〕"
    last = (
        EvaluationSpec.objects.filter(filing_number__startswith=prefix)
        .order_by("-filing_number")
        .values_list("filing_number", flat=True)
        .first()
    )
    return int(last[len(prefix) : len(prefix) + 4]) if last else 0


def _next_filing_number(year: int) -> str:
    # One counter row per year, advanced in this transaction: two filings at once wait for
    # each other instead of both taking the same number (decision 0017).
    numbers = counters.allocate(
        f"catalog.spec_filing:{year}",
        maximum=FILING_MAXIMUM,
        start_from=lambda: _highest_filing_number(year),
    )
    return filing_number(year, numbers[0])


@transaction.atomic
def file_spec(actor, spec: EvaluationSpec, *, comments: str = "") -> EvaluationSpec:
    """File a specification with the ministry: it becomes a basis for its agency (Art 8, 17).

    Refused when a national standard in force now covers one of its levels.
    """
    spec = (
        EvaluationSpec.objects.select_for_update(of=("self",))
        .select_related("occupation", "work_type")
        .get(pk=spec.pk)
    )
    access.require(actor, "catalog.spec.review", spec)
    _raise(_filing_errors(spec))
    review = _decide(actor, spec, SpecReview.Decision.FILED, comments)
    today = clock.today()
    spec.status = SpecStatus.FILED
    spec.filing_number = _next_filing_number(today.year)
    spec.filed_on = today
    spec.save(update_fields=["status", "filing_number", "filed_on", "updated_at"])
    audit.record(
        actor,
        "catalog.spec.file",
        spec,
        {
            "status": [SpecStatus.SUBMITTED, SpecStatus.FILED],
            "filing_number": [None, spec.filing_number],
            "round": [None, review.round],
        },
        audience=Audience.AGENCY,
    )
    return spec


@transaction.atomic
def refuse_spec(actor, spec: EvaluationSpec, *, reason: str) -> EvaluationSpec:
    """Refuse filing for good, with the reason (e.g. a national standard covers it)."""
    return _close_round(
        actor,
        spec,
        decision=SpecReview.Decision.REFUSED,
        status=SpecStatus.REFUSED,
        action="catalog.spec.refuse",
        comments=reason,
        required=_("Give the reason for refusing."),
    )


@transaction.atomic
def withdraw_spec(actor, spec: EvaluationSpec) -> EvaluationSpec:
    """The agency withdraws its specification, closing a pending round (Art 8)."""
    spec = EvaluationSpec.objects.select_for_update().get(pk=spec.pk)
    access.require(actor, "catalog.spec.submit", spec)
    _raise(_withdrawal_errors(spec))
    old, spec.status = spec.status, SpecStatus.WITHDRAWN
    spec.reviews.filter(decision=SpecReview.Decision.PENDING).update(
        decision=SpecReview.Decision.WITHDRAWN, decided_at=clock.now(), decided_by=actor
    )
    spec.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        "catalog.spec.withdraw",
        spec,
        {"status": [old, spec.status]},
        audience=Audience.AGENCY,
    )
    return spec
