"""Exam affairs (Art 12, 18–20, 23): one module per stage, every model re-exported here by name."""

from assessments.models.assignments import (
    KIND_FOR_METHOD,
    SCORING_KINDS,
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    ConflictEntry,
    ConflictKind,
    ConflictSource,
    ReviewGrant,
)
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
from assessments.models.results import (
    ArchiveExport,
    Result,
    ResultOutcome,
    ResultPublication,
    ResultStatus,
    ScoreReview,
)
from assessments.models.scores import (
    Mark,
    MethodScore,
    ScoreCorrection,
    ScoreSource,
    TheoryEntry,
    TheorySheet,
)
from assessments.models.sessions import (
    ENDED_STATUSES,
    LIVE_STATUSES,
    AssessmentSession,
    SessionQuestion,
    SessionStatus,
    Sitting,
)
from assessments.models.sittings import (
    Attendance,
    AttendanceStatus,
    Incident,
    IncidentDecision,
    IncidentKind,
    Seat,
    SeatAllocation,
    SeatRule,
    SupervisionRating,
    SupervisorReport,
    Ticket,
    TicketBatch,
)
from assessments.models.venues import Room, RoomKind, Tenure, Venue, VenueStatus

__all__ = [
    # assignments (Art 19)
    "KIND_FOR_METHOD",
    "SCORING_KINDS",
    "Assignment",
    "AssignmentKind",
    "AssignmentStatus",
    "ConflictEntry",
    "ConflictKind",
    "ConflictSource",
    "ReviewGrant",
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
    # results, publicity, archive (Art 20, 21)
    "ArchiveExport",
    "Result",
    "ResultOutcome",
    "ResultPublication",
    "ResultStatus",
    "ScoreReview",
    # scores (Art 18, 20)
    "Mark",
    "MethodScore",
    "ScoreCorrection",
    "ScoreSource",
    "TheoryEntry",
    "TheorySheet",
    # sessions (Art 17, 18)
    "AssessmentSession",
    "ENDED_STATUSES",
    "LIVE_STATUSES",
    "SessionQuestion",
    "SessionStatus",
    "Sitting",
    # sittings (Art 18, 19)
    "Attendance",
    "AttendanceStatus",
    "Incident",
    "IncidentDecision",
    "IncidentKind",
    "Seat",
    "SeatAllocation",
    "SeatRule",
    "SupervisionRating",
    "SupervisorReport",
    "Ticket",
    "TicketBatch",
    # venues (Art 12, 19)
    "Room",
    "RoomKind",
    "Tenure",
    "Venue",
    "VenueStatus",
]
