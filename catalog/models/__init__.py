"""The catalog: occupations and work types (Art 6), skill levels (Art 9), national
standards (Art 7, 8, 17) and agencies' evaluation specifications filed with the
ministry (Art 8, 17). One module per stage; every model is re-exported here by name.
"""

from catalog.models.levels import (
    EducationLevel,
    EligibilityRoute,
    EligibilityRule,
    LevelRequirement,
    Method,
    MethodRequirement,
    SkillLevel,
)
from catalog.models.occupations import (
    MajorCategory,
    Occupation,
    OccupationSource,
    OccupationStatus,
    WorkType,
)
from catalog.models.specs import EvaluationSpec, SpecReview, SpecStatus
from catalog.models.standards import NationalStandard

__all__ = [
    "EducationLevel",
    "EligibilityRoute",
    "EligibilityRule",
    "EvaluationSpec",
    "LevelRequirement",
    "MajorCategory",
    "Method",
    "MethodRequirement",
    "NationalStandard",
    "Occupation",
    "OccupationSource",
    "OccupationStatus",
    "SkillLevel",
    "SpecReview",
    "SpecStatus",
    "WorkType",
]
