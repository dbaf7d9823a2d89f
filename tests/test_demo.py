"""seed_demo, which `make run` calls: every role has an account, every application state is
there, and running it again changes nothing.

The first run is the session's one seeding (``demo_snapshot`` in tests/conftest.py, committed
as in ``make run``), restored here; the second run is this test's own."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from agencies.models import AffiliatedEmployer, AgencyApplication, ApplicationStatus, DirectoryEntry
from agencies.services import assessment_refusal
from assessments.models import AssessmentSession, RoomKind, Venue, VenueStatus
from portal import clock
from portal.audit import verify_chains
from portal.models import Agency, AgencyMembership, AgencyStatus, User
from portal.roles import AgencyRole, AuthorityRole

pytestmark = pytest.mark.django_db


def test_seed_demo_is_complete_and_idempotent(seeded_demo):
    counts = {
        "users": User.objects.count(),
        "applications": AgencyApplication.objects.count(),
        "entries": DirectoryEntry.objects.count(),
        "affiliates": AffiliatedEmployer.objects.count(),
    }
    for role in AuthorityRole.values:
        assert User.objects.filter(groups__name=role).exists(), role
    demo_agency = Agency.objects.get(uscc="91440101MA5D7E0M1A")
    for role in AgencyRole.values:
        assert AgencyMembership.objects.filter(agency=demo_agency, role=role).exists(), role
    statuses = set(AgencyApplication.objects.values_list("status", flat=True))
    for status in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.RETURNED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.ON_NOTICE,
        ApplicationStatus.LISTED,
        ApplicationStatus.REJECTED,
    ):
        assert status in statuses, status
    # The agency-role demo accounts work for a properly listed agency.
    assert DirectoryEntry.objects.filter(agency=demo_agency).exists()
    assert assessment_refusal(demo_agency) is None
    assert Agency.objects.filter(status=AgencyStatus.SUSPENDED).exists()
    assert Agency.objects.filter(status=AgencyStatus.REMOVED).exists()
    assert verify_chains()[1] == []
    # The 广东 employer has one confirmed and one pending affiliated employer (Art 16).
    employer = Agency.objects.get(uscc="91440104MA59XQ1B2C")
    assert sorted(employer.affiliates.values_list("status", flat=True)) == ["confirmed", "pending"]
    # Every demo agency publishes an office's role mailbox and line, never a person's own.
    for agency in Agency.objects.filter(is_demo=True):
        assert agency.public_email and agency.public_phone, agency.name
        assert agency.public_email != agency.contact_email, agency.name

    # Venues (issue 12): one verified with a theory and a skill room, one waiting.
    venues = {v.status: v for v in Venue.objects.filter(site__agency=demo_agency)}
    assert set(venues) == {VenueStatus.VERIFIED, VenueStatus.TO_VERIFY}
    kinds = set(venues[VenueStatus.VERIFIED].rooms.values_list("kind", flat=True))
    assert {RoomKind.THEORY, RoomKind.SKILL} <= kinds

    # Sessions (issue 13): open, draft, asked by gd_official, stopped; (issue 14) five held
    # sessions: sat, on notice, final (three: one left for certificates, one certified, one
    # archived).
    sessions = AssessmentSession.objects.filter(agency=demo_agency)
    assert sorted(sessions.values_list("status", flat=True)) == [
        "archived", "closed", "closed", "closed", "closed", "draft", "filed", "open", "stopped"
    ]  # fmt: skip
    assert sessions.get(status="filed").questions.get().asked_by.username == "gd_official"
    held = sessions.filter(last_sitting_on__lt=clock.today()).order_by("-last_sitting_on")
    sat, on_notice, ready, certified, archived = held
    assert sat.results.count() == 0 and sat.sittings.first().attendances.exists()
    assert on_notice.results_published_at and not on_notice.results_final_at
    assert ready.results_final_at and not ready.certificates_recorded_at
    assert certified.certificates_recorded_at and certified.status == "closed"
    assert archived.status == "archived" and archived.archive_export
    open_session = sessions.get(status="open")
    assert open_session.assignments.exists() and open_session.ticket_batch
    call_command("seed_demo")
    # Besides the statistics demo's venues and sessions (「统计演示」, decision 0053).
    assert Venue.objects.exclude(name__endswith="统计演示考场").count() == 2
    assert AssessmentSession.objects.exclude(city="统计演示").count() == 9
    assert counts == {
        "users": User.objects.count(),
        "applications": AgencyApplication.objects.count(),
        "entries": DirectoryEntry.objects.count(),
        "affiliates": AffiliatedEmployer.objects.count(),
    }
