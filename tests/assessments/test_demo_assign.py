"""The assignment demo: the demo agency's open session gets a full staff with leaders and a
supervisor, every declaration done, through the services."""

from __future__ import annotations

import pytest

from assessments import demo_assign
from assessments.models import AssessmentSession, Assignment, AssignmentStatus, ConflictEntry
from assessments.services import staffing, staffing_complete

pytestmark = pytest.mark.django_db


def test_the_demo_session_is_fully_staffed_and_declared(seeded_demo):
    demo_assign.seed()  # on the session's seed_demo, restored (tests/conftest.py)
    session = (
        AssessmentSession.objects.filter(agency__uscc="91440101MA5D7E0M1A", status="open")
        .order_by("first_sitting_on", "pk")
        .first()
    )
    assert staffing_complete(session), [(n.kind, n.needed, n.assigned) for n in staffing(session)]
    active = Assignment.objects.filter(session=session, status=AssignmentStatus.ACTIVE)
    assert active.filter(kind="supervisor").count() == 1
    assert not active.filter(declared_at__isnull=True).exists()
    if session.enrolments.exists():
        assert ConflictEntry.objects.filter(
            assignment__session=session, source="declared", kind="trainee"
        ).exists()
    before = Assignment.objects.count()
    demo_assign.seed()  # again: nothing more
    assert Assignment.objects.count() == before
