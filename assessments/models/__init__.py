"""Exam affairs (Art 12, 18–20, 23): one module per stage, every model re-exported here by name."""

from assessments.models.venues import Room, RoomKind, Tenure, Venue, VenueStatus

__all__ = [
    "Room",
    "RoomKind",
    "Tenure",
    "Venue",
    "VenueStatus",
]
