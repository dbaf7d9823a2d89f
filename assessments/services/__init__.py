"""The public write API of exam affairs, by stage (decision 0017)."""

from assessments.services.people import (
    OccupationRange,
    PersonInput,
    add_person,
    add_training,
    edit_person,
    edit_refusal,
    find_person,
    range_refusal,
    reinstate,
    reinstatement_refusal,
    retire,
    retirement_refusal,
    serving_refusal,
    suspend,
    suspension_refusal,
)
from assessments.services.venues import (
    RoomData,
    create_venue,
    decision_refusal,
    refuse_venue,
    reset_ended_leases,
    update_venue,
    verification_refusal,
    verify_venue,
)

__all__ = [
    # people (Art 19, 23)
    "OccupationRange",
    "PersonInput",
    "add_person",
    "add_training",
    "edit_person",
    "edit_refusal",
    "find_person",
    "range_refusal",
    "reinstate",
    "reinstatement_refusal",
    "retire",
    "retirement_refusal",
    "serving_refusal",
    "suspend",
    "suspension_refusal",
    # venues (Art 12, 19)
    "RoomData",
    "create_venue",
    "decision_refusal",
    "refuse_venue",
    "reset_ended_leases",
    "update_venue",
    "verification_refusal",
    "verify_venue",
]
