"""Exam affairs (Art 12, 18–20, 23): one module per stage, every model re-exported here by name."""

from assessments.models.candidates import (
    BatchStatus,
    Candidate,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    RosterBatch,
    RosterRow,
)
from assessments.models.people import (
    Engagement,
    Examiner,
    ExaminerOccupation,
    Gender,
    Grade,
    QualificationStatus,
    QualifiedPerson,
    QualitySupervisor,
    TrainingRecord,
)
from assessments.models.sessions import (
    ENDED_STATUSES,
    LIVE_STATUSES,
    AssessmentSession,
    SessionQuestion,
    SessionStatus,
    Sitting,
)
from assessments.models.venues import Room, RoomKind, Tenure, Venue, VenueStatus

__all__ = [
    # candidates (Art 16, 18)
    "BatchStatus",
    "Candidate",
    "Enrolment",
    "EnrolmentSource",
    "EnrolmentStatus",
    "RosterBatch",
    "RosterRow",
    # people (Art 19, 23)
    "Engagement",
    "Examiner",
    "ExaminerOccupation",
    "Gender",
    "Grade",
    "QualificationStatus",
    "QualifiedPerson",
    "QualitySupervisor",
    "TrainingRecord",
    # sessions (Art 17, 18)
    "AssessmentSession",
    "ENDED_STATUSES",
    "LIVE_STATUSES",
    "SessionQuestion",
    "SessionStatus",
    "Sitting",
    # venues (Art 12, 19)
    "Room",
    "RoomKind",
    "Tenure",
    "Venue",
    "VenueStatus",
]
