"""The tables of exam affairs, one module per stage, re-exported by name."""

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

__all__ = [
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
]
