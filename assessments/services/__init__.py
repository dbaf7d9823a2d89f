"""The write API of exam affairs, by stage (decision 0017)."""

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
    "RoomData",
    "create_venue",
    "decision_refusal",
    "refuse_venue",
    "reset_ended_leases",
    "update_venue",
    "verification_refusal",
    "verify_venue",
]
