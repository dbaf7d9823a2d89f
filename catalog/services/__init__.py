"""State changes of the catalog, one function per business action; the app's public write API.

Each checks access through ``portal.access``, validates, changes rows in one
transaction and writes one audit entry. One module per stage: ``occupations``,
``imports``, ``standards``, ``specs``, and ``levels`` (what standards and
specifications require at each level).
"""

from catalog.services.imports import apply_import, plan_import
from catalog.services.levels import (
    EligibilityInput,
    LevelInput,
    MethodInput,
    check_level_allowed,
    level_allowed_for,
)
from catalog.services.occupations import (
    OCCUPATION_FIELDS,
    add_work_type,
    create_occupation,
    set_occupation_status,
    set_work_type_status,
    update_occupation,
)
from catalog.services.specs import (
    SPEC_FIELDS,
    covered_by_standard,
    create_spec,
    file_spec,
    filing_number,
    filing_refusal,
    refuse_spec,
    return_spec,
    submission_refusal,
    submit_spec,
    update_spec,
    withdraw_spec,
    withdrawal_refusal,
)
from catalog.services.standards import (
    STANDARD_FIELDS,
    attach_standard_document,
    create_standard,
    generate_standard_document,
    update_standard,
)

__all__ = [
    "OCCUPATION_FIELDS",
    "SPEC_FIELDS",
    "STANDARD_FIELDS",
    "EligibilityInput",
    "LevelInput",
    "MethodInput",
    "add_work_type",
    "apply_import",
    "attach_standard_document",
    "check_level_allowed",
    "covered_by_standard",
    "create_occupation",
    "create_spec",
    "create_standard",
    "file_spec",
    "generate_standard_document",
    "filing_refusal",
    "level_allowed_for",
    "filing_number",
    "plan_import",
    "refuse_spec",
    "return_spec",
    "set_occupation_status",
    "set_work_type_status",
    "submission_refusal",
    "submit_spec",
    "update_occupation",
    "update_spec",
    "update_standard",
    "withdraw_spec",
    "withdrawal_refusal",
]
