"""Read paths of the catalog, including ``basis_for``: the governing basis of assessment,
and the read models of the catalog's pages.

Art 17: where a national standard covers the occupation (work type) and level,
it governs; otherwise a specification filed by the agency (Art 8) may.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from catalog.models import (
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
from portal import access, clock

if TYPE_CHECKING:
    from catalog.services.imports import ImportPlan


@dataclass(frozen=True)
class MethodRule:
    method: str
    label: str
    full_marks: int
    pass_mark: int
    duration_minutes: int | None


@dataclass(frozen=True)
class Ratios:
    theory_candidates_per_invigilator: int
    theory_min_invigilators_per_room: int
    skill_candidates_per_examiner: int
    skill_min_examiners: int
    skill_examiners_odd: bool
    review_panel_min: int
    review_panel_odd: bool


@dataclass(frozen=True)
class Eligibility:
    route: str
    label: str
    prior_level: str | None
    years: int
    education_level: str  # an EducationLevel value, "" unless the education route
    education: str  # its label (初中, 本科, …)
    description: str


@dataclass(frozen=True)
class Basis:
    """The same interface for a national standard and a filed specification.

    Agencies and assessments read ``methods``, ``ratios`` and ``eligibility``
    without caring which kind of document governs.
    """

    kind: str  # "standard" or "spec"
    title: str
    reference: str  # the edition ("2018年版") or the filing number
    level: SkillLevel
    methods: tuple[MethodRule, ...]
    ratios: Ratios
    eligibility: tuple[Eligibility, ...]
    source: NationalStandard | EvaluationSpec = field(compare=False)

    @property
    def is_standard(self) -> bool:
        return self.kind == "standard"

    def __str__(self) -> str:
        return f"{self.title}（{self.reference}）"


def _requirement_prefetch() -> Prefetch:
    return Prefetch(
        "levels",
        queryset=LevelRequirement.objects.select_related("level").prefetch_related(
            Prefetch("methods", queryset=MethodRequirement.objects.all()),
            Prefetch("eligibility", queryset=EligibilityRule.objects.select_related("prior_level")),
        ),
    )


_METHOD_ORDER = {method: index for index, method in enumerate(Method.values)}


def to_basis(source: NationalStandard | EvaluationSpec, requirement: LevelRequirement) -> Basis:
    is_standard = isinstance(source, NationalStandard)
    return Basis(
        kind="standard" if is_standard else "spec",
        title=source.title,
        reference=(f"{source.edition_year}年版" if is_standard else source.filing_number),
        level=requirement.level,
        methods=tuple(
            MethodRule(
                m.method, str(m.get_method_display()), m.full_marks, m.pass_mark, m.duration_minutes
            )
            for m in sorted(requirement.methods.all(), key=lambda m: _METHOD_ORDER[m.method])
        ),
        ratios=Ratios(
            requirement.theory_candidates_per_invigilator,
            requirement.theory_min_invigilators_per_room,
            requirement.skill_candidates_per_examiner,
            requirement.skill_min_examiners,
            requirement.skill_examiners_odd,
            requirement.review_panel_min,
            requirement.review_panel_odd,
        ),
        eligibility=tuple(
            Eligibility(
                e.route,
                str(e.get_route_display()),
                e.prior_level.display if e.prior_level else None,
                e.years,
                e.education_level,
                str(e.get_education_level_display()) if e.education_level else "",
                e.description,
            )
            for e in requirement.eligibility.all()
        ),
        source=source,
    )


def standards_in_force(
    occupation: Occupation, on: dt.date | None = None
) -> QuerySet[NationalStandard]:
    """Editions of the occupation's standards in force on ``on``: effective, not yet superseded."""
    on = on or clock.today()
    successor_in_force = NationalStandard.objects.filter(
        supersedes=OuterRef("pk"), effective_from__lte=on
    )
    return (
        NationalStandard.objects.filter(occupation=occupation, effective_from__lte=on)
        .exclude(Exists(successor_in_force))
        .order_by("-effective_from")
    )


def _covers_work_type(standard: NationalStandard, work_type: WorkType | None) -> bool:
    covered = {wt.pk for wt in standard.work_types.all()}
    if not covered:
        return True  # the standard covers the whole occupation
    return work_type is not None and work_type.pk in covered


def _loaded_standards(occupation: Occupation, on: dt.date | None) -> list[NationalStandard]:
    return list(
        standards_in_force(occupation, on).prefetch_related("work_types", _requirement_prefetch())
    )


def _pick(standards: list[NationalStandard], level: SkillLevel, work_type: WorkType | None):
    for standard in standards:  # newest effective first
        if not _covers_work_type(standard, work_type):
            continue
        for requirement in standard.levels.all():
            if requirement.level_id == level.pk:
                return to_basis(standard, requirement)
    return None


def standard_basis(
    occupation: Occupation,
    level: SkillLevel,
    *,
    work_type: WorkType | None = None,
    on: dt.date | None = None,
) -> Basis | None:
    """The national standard governing this occupation (work type) and level, if any."""
    return _pick(_loaded_standards(occupation, on), level, work_type)


def standard_bases(
    occupation: Occupation, levels: list[SkillLevel], *, on: dt.date | None = None
) -> dict[str, Basis | None]:
    """The governing standard of each level (whole occupation), in one pass."""
    standards = _loaded_standards(occupation, on)
    return {level.pk: _pick(standards, level, None) for level in levels}


def basis_for(
    occupation: Occupation,
    level: SkillLevel,
    *,
    work_type: WorkType | None = None,
    agency=None,
    on: dt.date | None = None,
) -> Basis | None:
    """The basis governing an assessment on date ``on`` (default today), Art 17.

    The national standard edition in force that covers the level (and work type,
    where the standard divides by work type); else the agency's own filed
    specification that covers it (filed on or before ``on``); else ``None``.
    """
    on = on or clock.today()
    found = standard_basis(occupation, level, work_type=work_type, on=on)
    if found is not None or agency is None:
        return found
    specs = (
        EvaluationSpec.objects.filter(
            agency=agency, occupation=occupation, status=SpecStatus.FILED, filed_on__lte=on
        )
        .filter(
            Q(work_type__isnull=True) | Q(work_type=work_type)
            if work_type
            else Q(work_type__isnull=True)
        )
        .order_by("-filed_on")
        .prefetch_related(_requirement_prefetch())
    )
    for spec in specs:
        for requirement in spec.levels.all():
            if requirement.level_id == level.pk:
                return to_basis(spec, requirement)
    return None


def level_below(level: SkillLevel) -> SkillLevel | None:
    """The next lower level (四级 below 三级); None for 五级."""
    return (
        SkillLevel.objects.filter(rank__lt=level.rank, employer_only=False)
        .order_by("-rank")
        .first()
    )


def levels() -> list[SkillLevel]:
    return list(SkillLevel.objects.all())


def five_levels() -> QuerySet[SkillLevel]:
    return SkillLevel.objects.filter(employer_only=False).order_by("-rank")


def search_occupations(
    q: str = "",
    *,
    major_category: str = "",
    marker: str = "",
    has_standard: bool | None = None,
    include_withdrawn: bool = False,
    status: str = "",
    on: dt.date | None = None,
) -> QuerySet[Occupation]:
    """Public catalogue search: a code prefix (``6-31``) or part of the name (``电工``)."""
    qs = Occupation.objects.select_related("major_category")
    if not include_withdrawn:
        qs = qs.filter(status=OccupationStatus.ACTIVE)
    q = (q or "").strip()
    if q:
        normalized = q.replace("－", "-").replace("—", "-").replace(" ", "")
        if normalized[:1].isdigit():
            qs = qs.filter(code__startswith=normalized)
        else:
            qs = qs.filter(name__contains=q[:40])
    if major_category:
        qs = qs.filter(major_category_id=major_category)
    if marker == "S":
        qs = qs.filter(is_digital=True)
    elif marker == "L":
        qs = qs.filter(is_green=True)
    if has_standard is not None:
        on = on or clock.today()
        in_force = NationalStandard.objects.filter(
            occupation=OuterRef("pk"), effective_from__lte=on
        )
        qs = qs.filter(Exists(in_force)) if has_standard else qs.exclude(Exists(in_force))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("code")


def specs_visible_to(user) -> QuerySet[EvaluationSpec]:
    return access.visible(
        user, EvaluationSpec.objects.select_related("agency", "occupation", "work_type")
    )


def filed_specs() -> QuerySet[EvaluationSpec]:
    return EvaluationSpec.objects.filter(status=SpecStatus.FILED).select_related(
        "agency", "occupation", "work_type"
    )


def major_category(code: str) -> MajorCategory | None:
    return MajorCategory.objects.filter(pk=code).first()


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


# --- Read models of the pages --------------------------------------------------------------------


def level_bases(owner: NationalStandard | EvaluationSpec) -> list[Basis]:
    """Every level a standard or a specification covers, as the ``Basis`` its page shows."""
    return [
        to_basis(owner, r)
        for r in owner.levels.select_related("level").prefetch_related(
            "methods", "eligibility__prior_level"
        )
    ]


def occupation_page(occupation: Occupation) -> dict:
    """The public page of an occupation: each of the five levels with the standard governing
    it (Art 17), every edition of its standards, and the specifications filed for it."""
    five = list(five_levels())
    bases = standard_bases(occupation, five)
    return {
        "occupation": occupation,
        "rows": [{"level": level, "basis": bases[level.pk]} for level in five],
        "standards": occupation.standards.select_related("document", "supersedes").order_by(
            "-effective_from"
        ),
        "specs": filed_specs().filter(occupation=occupation),
    }


def catalogue_rows(**search) -> QuerySet[Occupation]:
    """The keepers' list: withdrawn occupations included, with the number of work types."""
    return search_occupations(include_withdrawn=True, **search).annotate(
        work_type_rows=Count("work_types")
    )


def manage_occupation_page(occupation: Occupation) -> dict:
    """The keepers' page of an occupation: its work types and every edition of its standards."""
    return {
        "occupation": occupation,
        "work_types": occupation.work_types.order_by("status", "name"),
        "standards": occupation.standards.select_related("supersedes", "document")
        .prefetch_related("levels__level")
        .order_by("-effective_from"),
    }


def all_standards() -> QuerySet[NationalStandard]:
    """Every edition of every national standard, by occupation, newest first."""
    return (
        NationalStandard.objects.select_related("occupation", "document")
        .prefetch_related("levels__level")
        .order_by("occupation__code", "-effective_from")
    )


def search_standards(q: str = "") -> QuerySet[NationalStandard]:
    """The keepers' list of standards: an occupation code prefix, or part of a name or title."""
    items = (
        NationalStandard.objects.select_related(
            "occupation", "supersedes", "superseded_by", "document"
        )
        .prefetch_related("levels__level")
        .order_by("occupation__code", "-effective_from")
    )
    if q:
        code = q.replace("－", "-").replace(" ", "")
        items = items.filter(
            Q(occupation__code__startswith=code)
            | Q(occupation__name__contains=q)
            | Q(title__contains=q)
        )
    return items


def standard_page(standard: NationalStandard) -> dict:
    return {
        "standard": standard,
        "levels": level_bases(standard),
        "work_types": standard.work_types.all(),
    }


def agency_specs(agency) -> QuerySet[EvaluationSpec]:
    return EvaluationSpec.objects.filter(agency=agency).select_related("occupation", "work_type")


def spec_queue(
    user, status: str = SpecStatus.SUBMITTED, *, q: str = "", sort: str = ""
) -> QuerySet[EvaluationSpec]:
    """The filing queue: the specifications the user may see, in one state (or all), each
    with ``waiting_since`` (its pending round's submission, else its last change), the
    longest waiting first; searched by title, agency name or credit code."""
    from django.db.models import DateTimeField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from portal.ui import queues

    items = specs_visible_to(user)
    if status in SpecStatus.values:
        items = items.filter(status=status)
    if q:
        items = items.filter(
            Q(title__icontains=q)
            | Q(agency__name__icontains=q)
            | Q(agency__uscc__icontains=q.upper())
        )
    pending = SpecReview.objects.filter(
        spec=OuterRef("pk"), decision=SpecReview.Decision.PENDING
    ).order_by("-submitted_at")
    items = items.annotate(
        waiting_since=Coalesce(
            Subquery(pending.values("submitted_at")[:1], output_field=DateTimeField()),
            "updated_at",
        )
    )
    order = {
        queues.RECENT: ["-waiting_since", "-pk"],
        queues.NAME: ["title", "pk"],
    }.get(sort, ["waiting_since", "pk"])
    return items.order_by(*order)


def filing_queue_summary() -> dict:
    """How many specifications wait for a filing decision, and since when the longest has."""
    pending = SpecReview.objects.filter(
        decision=SpecReview.Decision.PENDING, spec__status=SpecStatus.SUBMITTED
    )
    return {
        "count": EvaluationSpec.objects.filter(status=SpecStatus.SUBMITTED).count(),
        "oldest": pending.aggregate(oldest=Min("submitted_at"))["oldest"],
    }


def spec_page(spec: EvaluationSpec, *, agency_side: bool) -> dict:
    """A specification with its levels and filing rounds, and the levels a standard in force
    covers while it can still be submitted or filed (Art 8, 17)."""
    open_states = (SpecStatus.DRAFT, SpecStatus.RETURNED, SpecStatus.SUBMITTED)
    return {
        "spec": spec,
        "levels": level_bases(spec),
        "reviews": spec.reviews.select_related("submitted_by", "decided_by").order_by("round"),
        "agency_side": agency_side,
        "editable": spec.status in (SpecStatus.DRAFT, SpecStatus.RETURNED),
        "conflicts": covered_by_standard(spec) if spec.status in open_states else [],
    }


def import_preview_rows(plan: ImportPlan) -> list[dict]:
    """The occupations an import changes, each change as (label, old, new) for the preview."""

    def show(value) -> str:
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return "—" if value in (None, "") else str(value)

    label_of = {
        "name": _("Name"),
        "major_category_id": _("Major category"),
        "is_digital": _("Digital occupation (S)"),
        "is_green": _("Green occupation (L)"),
        "work_type_count": Occupation._meta.get_field("work_type_count").verbose_name,
    }
    return [
        {
            "line": row.line,
            "code": occupation.code,
            "name": occupation.name,
            "changes": [
                (label_of.get(f, f), show(old), show(new)) for f, (old, new) in changes.items()
            ],
        }
        for occupation, row, changes in plan.updates
    ]
