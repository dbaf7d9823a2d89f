"""State changes of the catalog, one function per business action.

Each checks access through ``portal.access``, validates, changes rows in one
transaction and writes one audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import (
    EligibilityRoute,
    EligibilityRule,
    EvaluationSpec,
    LevelRequirement,
    MajorCategory,
    Method,
    MethodRequirement,
    NationalStandard,
    Occupation,
    OccupationStatus,
    SkillLevel,
    SpecReview,
    SpecStatus,
    WorkType,
)
from catalog.queries import standard_basis
from portal import access, audit, clock, codes, documents
from portal.audit_models import Audience
from portal.document_models import RetentionClass
from portal.models import AgencyKind
from portal.roles import NATIONAL

OCCUPATION_FIELDS = (
    "name",
    "major_category_id",
    "is_digital",
    "is_green",
    "is_skill",
    "source",
    "work_type_count",
)


# --- Skill levels (Art 9) ------------------------------------------------------------------------


def level_allowed_for(agency_kind: str, level: SkillLevel) -> bool:
    """Art 9: employers may set tiers above level 1 (特级技师, 首席技师); social
    training-and-evaluation organisations assess the five levels only."""
    return not level.employer_only or agency_kind == AgencyKind.EMPLOYER


def check_level_allowed(agency_kind: str, level: SkillLevel) -> None:
    if not level_allowed_for(agency_kind, level):
        raise ValidationError(
            _("Only employer agencies may assess %(level)s (Art 9).") % {"level": level.display},
            code="employer_only_level",
        )


# --- Occupations and work types (Art 6) ----------------------------------------------------------


def _skill_flag(major_category_id: str, requested: bool | None) -> bool:
    # Professional-technical occupations (category 2) are never skill occupations (Art 6).
    if major_category_id == "2":
        return False
    return True if requested is None else requested


@transaction.atomic
def create_occupation(
    actor,
    *,
    code: str,
    name: str,
    major_category_id: str,
    is_digital=False,
    is_green=False,
    is_skill: bool | None = None,
    source: str = "published_later",
    work_type_count=None,
) -> Occupation:
    """Add an occupation published or filed after the 2022 classification (Art 6)."""
    access.require(actor, "catalog.occupation.manage")
    occupation = Occupation(
        code=codes.normalize_occupation_code(code),
        name=name.strip(),
        major_category_id=major_category_id,
        is_digital=is_digital,
        is_green=is_green,
        is_skill=_skill_flag(major_category_id, is_skill),
        source=source,
        work_type_count=work_type_count,
    )
    occupation.full_clean()
    occupation.save()
    audit.record(
        actor,
        "catalog.occupation.create",
        occupation,
        {f: [None, getattr(occupation, f)] for f in ("code",) + OCCUPATION_FIELDS},
        province=NATIONAL,
    )
    return occupation


@transaction.atomic
def update_occupation(actor, occupation: Occupation, **fields) -> Occupation:
    access.require(actor, "catalog.occupation.manage")
    occupation = Occupation.objects.select_for_update().get(pk=occupation.pk)
    before = audit.snapshot(occupation, OCCUPATION_FIELDS)
    for name, value in fields.items():
        if name not in OCCUPATION_FIELDS:
            raise ValueError(f"unknown occupation field {name}")
        setattr(occupation, name, value.strip() if isinstance(value, str) else value)
    occupation.is_skill = _skill_flag(occupation.major_category_id, occupation.is_skill)
    occupation.full_clean()
    occupation.save()
    changes = audit.diff(before, occupation, OCCUPATION_FIELDS)
    if changes:
        audit.record(actor, "catalog.occupation.change", occupation, changes, province=NATIONAL)
    return occupation


@transaction.atomic
def set_occupation_status(
    actor, occupation: Occupation, status: str, reason: str = ""
) -> Occupation:
    """Withdraw an occupation from (or restore it to) the catalogue; never deleted."""
    access.require(actor, "catalog.occupation.manage")
    occupation = Occupation.objects.select_for_update().get(pk=occupation.pk)
    if status not in OccupationStatus.values or occupation.status == status:
        raise ValidationError(_("The occupation is already in that state."), code="wrong_state")
    if status == OccupationStatus.WITHDRAWN and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing.")})
    old = occupation.status
    occupation.status = status
    occupation.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        "catalog.occupation.withdraw" if status == "withdrawn" else "catalog.occupation.restore",
        occupation,
        {"status": [old, status], "reason": [None, reason.strip() or None]},
        province=NATIONAL,
    )
    return occupation


@transaction.atomic
def add_work_type(
    actor, occupation: Occupation, *, name: str, code: str = "", is_demo: bool = False
) -> WorkType:
    access.require(actor, "catalog.occupation.manage")
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the work type's name.")})
    if WorkType.objects.filter(occupation=occupation, name=name).exists():
        raise ValidationError({"name": _("This occupation already has a work type of that name.")})
    work_type = WorkType.objects.create(
        occupation=occupation, name=name, code=code.strip(), is_demo=is_demo
    )
    audit.record(
        actor,
        "catalog.work_type.create",
        work_type,
        {"occupation": [None, occupation.code], "name": [None, name]},
        province=NATIONAL,
    )
    return work_type


@transaction.atomic
def set_work_type_status(actor, work_type: WorkType, status: str) -> WorkType:
    access.require(actor, "catalog.occupation.manage")
    work_type = WorkType.objects.select_for_update().get(pk=work_type.pk)
    if status not in OccupationStatus.values or work_type.status == status:
        raise ValidationError(_("The work type is already in that state."), code="wrong_state")
    old, work_type.status = work_type.status, status
    work_type.save(update_fields=["status"])
    audit.record(
        actor, "catalog.work_type.status", work_type, {"status": [old, status]}, province=NATIONAL
    )
    return work_type


# --- Level requirements (shared by standards and specifications) ---------------------------------


@dataclass
class MethodInput:
    method: str
    full_marks: int = 100
    pass_mark: int = 60
    duration_minutes: int | None = None


@dataclass
class EligibilityInput:
    route: str
    prior_level: str | None = None
    years: int = 0
    education: str = ""
    description: str = ""


@dataclass
class LevelInput:
    level: str
    methods: Sequence[MethodInput]
    eligibility: Sequence[EligibilityInput] = ()
    ratios: dict | None = None


def _validate_level_input(item: LevelInput) -> SkillLevel:
    level = SkillLevel.objects.filter(pk=item.level).first()
    if level is None:
        raise ValidationError(
            {"levels": _("Unknown skill level %(level)s.") % {"level": item.level}}
        )
    if not item.methods:
        raise ValidationError(
            {
                "levels": _("Level %(level)s needs at least one assessment method.")
                % {"level": level.display}
            }
        )
    methods = [m.method for m in item.methods]
    if len(set(methods)) != len(methods):
        raise ValidationError(
            {"levels": _("A method is listed twice for %(level)s.") % {"level": level.display}}
        )
    if Method.REVIEW in methods and level.rank < 4:
        # Comprehensive review applies only to levels 2 and 1 (and the tiers above).
        raise ValidationError(
            {
                "levels": _("Comprehensive review applies only to levels 2 and 1, not %(level)s.")
                % {"level": level.display}
            }
        )
    for m in item.methods:
        if m.method not in Method.values:
            raise ValidationError(
                {"levels": _("Unknown assessment method %(m)s.") % {"m": m.method}}
            )
        if not (0 < m.pass_mark <= m.full_marks):
            raise ValidationError(
                {"levels": _("The pass mark must be above 0 and at most the full marks.")}
            )
    for e in item.eligibility:
        if e.route not in EligibilityRoute.values:
            raise ValidationError({"levels": _("Unknown eligibility route.")})
        if e.route == EligibilityRoute.PRIOR_LEVEL and not e.prior_level:
            raise ValidationError({"levels": _("Name the level held for this eligibility rule.")})
        if e.route == EligibilityRoute.EDUCATION and not e.education.strip():
            raise ValidationError({"levels": _("Name the education for this eligibility rule.")})
    return level


def _write_levels(owner: NationalStandard | EvaluationSpec, items: Iterable[LevelInput]) -> None:
    owner_field = "standard" if isinstance(owner, NationalStandard) else "spec"
    LevelRequirement.objects.filter(**{owner_field: owner}).delete()
    for item in items:
        level = _validate_level_input(item)
        requirement = LevelRequirement.objects.create(
            **{owner_field: owner}, level=level, **(item.ratios or {})
        )
        requirement.full_clean()
        MethodRequirement.objects.bulk_create(
            MethodRequirement(
                requirement=requirement,
                method=m.method,
                full_marks=m.full_marks,
                pass_mark=m.pass_mark,
                duration_minutes=m.duration_minutes,
            )
            for m in item.methods
        )
        EligibilityRule.objects.bulk_create(
            EligibilityRule(
                requirement=requirement,
                route=e.route,
                prior_level_id=e.prior_level,
                years=e.years,
                education=e.education,
                description=e.description,
            )
            for e in item.eligibility
        )


def _levels_summary(owner) -> list[str]:
    return [
        f"{r.level_id}:"
        + ",".join(f"{m.method}/{m.pass_mark}/{m.full_marks}" for m in r.methods.all())
        for r in owner.levels.select_related("level").prefetch_related("methods")
    ]


# --- National standards (Art 7, 8, 17) -----------------------------------------------------------


STANDARD_FIELDS = (
    "title",
    "edition_year",
    "document_number",
    "issued_on",
    "effective_from",
    "is_demo",
)


@transaction.atomic
def create_standard(
    actor,
    occupation: Occupation,
    *,
    title: str,
    edition_year: int,
    effective_from: dt.date,
    levels: Sequence[LevelInput],
    document_number: str = "",
    issued_on: dt.date | None = None,
    supersedes: NationalStandard | None = None,
    work_types: Iterable[WorkType] = (),
    is_demo: bool = False,
) -> NationalStandard:
    """Record an edition of a national standard (Art 8: made by the ministry).

    A new edition supersedes the old one from its effective date; the old one is
    kept, and whatever used it keeps pointing at it.
    """
    access.require(actor, "catalog.standard.manage")
    if not levels:
        raise ValidationError({"levels": _("A standard covers at least one level.")})
    if supersedes is not None:
        if supersedes.occupation_id != occupation.pk:
            raise ValidationError(
                {"supersedes": _("A new edition must be of the same occupation.")}
            )
        if hasattr(supersedes, "superseded_by"):
            raise ValidationError({"supersedes": _("That edition has already been superseded.")})
        if effective_from <= supersedes.effective_from:
            raise ValidationError(
                {"effective_from": _("A new edition takes effect after the edition it replaces.")}
            )
    standard = NationalStandard(
        occupation=occupation,
        title=title.strip(),
        edition_year=edition_year,
        document_number=document_number.strip(),
        issued_on=issued_on,
        effective_from=effective_from,
        supersedes=supersedes,
        is_demo=is_demo,
    )
    standard.full_clean()
    standard.save()
    work_types = list(work_types)
    if any(wt.occupation_id != occupation.pk for wt in work_types):
        raise ValidationError({"work_types": _("Work types must belong to the occupation.")})
    standard.work_types.set(work_types)
    _write_levels(standard, levels)
    audit.record(
        actor,
        "catalog.standard.create",
        standard,
        {
            **{f: [None, getattr(standard, f)] for f in STANDARD_FIELDS},
            "occupation": [None, occupation.code],
            "supersedes": [None, supersedes.pk if supersedes else None],
            "levels": [None, _levels_summary(standard)],
        },
        province=NATIONAL,
    )
    return standard


@transaction.atomic
def update_standard(
    actor,
    standard: NationalStandard,
    *,
    levels: Sequence[LevelInput] | None = None,
    work_types: Iterable[WorkType] | None = None,
    **fields,
) -> NationalStandard:
    access.require(actor, "catalog.standard.manage")
    standard = NationalStandard.objects.select_for_update().get(pk=standard.pk)
    before = audit.snapshot(standard, STANDARD_FIELDS)
    before_levels = _levels_summary(standard)
    for name, value in fields.items():
        if name not in STANDARD_FIELDS:
            raise ValueError(f"unknown standard field {name}")
        setattr(standard, name, value)
    standard.full_clean()
    standard.save()
    if work_types is not None:
        standard.work_types.set(list(work_types))
    if levels is not None:
        if not levels:
            raise ValidationError({"levels": _("A standard covers at least one level.")})
        _write_levels(standard, levels)
    changes = audit.diff(before, standard, STANDARD_FIELDS)
    after_levels = _levels_summary(standard)
    if after_levels != before_levels:
        changes["levels"] = [before_levels, after_levels]
    audit.record(actor, "catalog.standard.change", standard, changes, province=NATIONAL)
    return standard


@transaction.atomic
def attach_standard_document(actor, standard: NationalStandard, upload) -> NationalStandard:
    """Store the standard's PDF as a public reference document (kept permanently)."""
    access.require(actor, "catalog.standard.manage")
    doc = documents.store_document(
        actor,
        upload,
        title=str(standard),
        kind="standard",
        owner_jurisdiction=NATIONAL,
        subject=standard,
        retention_class=RetentionClass.REFERENCE,
        is_public=True,
        allowed=("pdf",),
        audience=Audience.AUTHORITY,
    )
    NationalStandard.objects.filter(pk=standard.pk).update(document=doc)
    standard.document = doc
    return standard


# --- Evaluation specifications (Art 8, 17) -------------------------------------------------------


SPEC_FIELDS = ("title", "summary", "occupation_id", "work_type_id")


def covered_by_standard(spec: EvaluationSpec, *, on: dt.date | None = None) -> list[str]:
    """The spec's levels that a national standard in force already covers (refusal reasons)."""
    reasons = []
    for requirement in spec.levels.select_related("level"):
        found = standard_basis(spec.occupation, requirement.level, work_type=spec.work_type, on=on)
        if found is not None:
            reasons.append(
                _("%(level)s is covered by the national standard %(standard)s.")
                % {"level": requirement.level.display, "standard": str(found)}
            )
    return reasons


def _refuse_if_covered(spec: EvaluationSpec) -> None:
    reasons = covered_by_standard(spec)
    if reasons:
        raise ValidationError([ValidationError(r, code="covered_by_standard") for r in reasons])


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
    _write_levels(spec, levels)
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
    if spec.status not in (SpecStatus.DRAFT, SpecStatus.RETURNED):
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
    spec.save()
    if levels is not None:
        for item in levels:
            check_level_allowed(spec.agency.kind, SkillLevel.objects.get(pk=item.level))
        _write_levels(spec, levels)
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
    if spec.status not in (SpecStatus.DRAFT, SpecStatus.RETURNED):
        raise ValidationError(
            _("Only a draft or a returned specification can be submitted."), code="wrong_state"
        )
    if not spec.levels.exists():
        raise ValidationError(
            _("Add at least one level with its methods before submitting."), code="no_levels"
        )
    _refuse_if_covered(spec)
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


def next_filing_number(year: int) -> str:
    """备〔2026〕0001号: sequential per year across all filed specifications."""
    prefix = f"备〔{year}〕"
    last = (
        EvaluationSpec.objects.filter(filing_number__startswith=prefix)
        .order_by("-filing_number")
        .values_list("filing_number", flat=True)
        .first()
    )
    number = int(last[len(prefix) : len(prefix) + 4]) + 1 if last else 1
    return f"{prefix}{number:04d}号"


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
    _pending_review(spec)
    _refuse_if_covered(spec)
    review = _decide(actor, spec, SpecReview.Decision.FILED, comments)
    today = clock.today()
    # Serialise numbering: lock the year's filed rows while the next number is taken.
    list(
        EvaluationSpec.objects.select_for_update()
        .filter(filed_on__year=today.year)
        .values_list("pk", flat=True)
    )
    spec.status = SpecStatus.FILED
    spec.filing_number = next_filing_number(today.year)
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
    spec = EvaluationSpec.objects.select_for_update().get(pk=spec.pk)
    access.require(actor, "catalog.spec.submit", spec)
    if spec.status in (SpecStatus.FILED, SpecStatus.REFUSED, SpecStatus.WITHDRAWN):
        raise ValidationError(
            _("This specification can no longer be withdrawn."), code="wrong_state"
        )
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


def major_category(code: str) -> MajorCategory | None:
    return MajorCategory.objects.filter(pk=code).first()
