"""Forms of the catalog, one module per stage; every form is re-exported here by name."""

from catalog.forms.imports import ImportApplyForm, ImportForm, ImportUploadForm, plan_fingerprint
from catalog.forms.occupations import (
    OccupationFilterForm,
    OccupationForm,
    OccupationManageForm,
    OccupationSearchForm,
    ReasonForm,
    WorkTypeForm,
    WorkTypeManageForm,
)
from catalog.forms.specs import (
    BaseLevelFormSet,
    LevelForm,
    LevelFormSet,
    SpecForm,
    SpecQueueForm,
    spec_initial,
    spec_level_initial,
)
from catalog.forms.standards import (
    BaseStandardLevelFormSet,
    StandardDocumentForm,
    StandardForm,
    StandardLevelForm,
    StandardLevelFormSet,
    StandardOccupationForm,
    level_initial,
    standard_level_formset,
)

__all__ = [
    "BaseLevelFormSet",
    "BaseStandardLevelFormSet",
    "ImportApplyForm",
    "ImportForm",
    "ImportUploadForm",
    "LevelForm",
    "LevelFormSet",
    "OccupationFilterForm",
    "OccupationForm",
    "OccupationManageForm",
    "OccupationSearchForm",
    "ReasonForm",
    "SpecForm",
    "SpecQueueForm",
    "StandardDocumentForm",
    "StandardForm",
    "StandardLevelForm",
    "StandardLevelFormSet",
    "StandardOccupationForm",
    "WorkTypeForm",
    "WorkTypeManageForm",
    "level_initial",
    "plan_fingerprint",
    "spec_initial",
    "spec_level_initial",
    "standard_level_formset",
]
