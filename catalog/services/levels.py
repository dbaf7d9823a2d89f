"""What a standard or a specification requires at each level, written the same way for both,
and which levels an agency may assess at all (Art 9, 18)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalog.models import (
    EducationLevel,
    EligibilityRoute,
    EligibilityRule,
    EvaluationSpec,
    LevelRequirement,
    Method,
    MethodRequirement,
    NationalStandard,
    SkillLevel,
)
from portal.models import AgencyKind


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
    education_level: str = ""
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
        if e.route == EligibilityRoute.EDUCATION and e.education_level not in EducationLevel.values:
            raise ValidationError({"levels": _("Name the education for this eligibility rule.")})
    return level


def write_levels(owner: NationalStandard | EvaluationSpec, items: Iterable[LevelInput]) -> None:
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
                education_level=e.education_level,
                description=e.description,
            )
            for e in item.eligibility
        )


def levels_summary(owner) -> list[str]:
    return [
        f"{r.level_id}:"
        + ",".join(f"{m.method}/{m.pass_mark}/{m.full_marks}" for m in r.methods.all())
        for r in owner.levels.select_related("level").prefetch_related("methods")
    ]
