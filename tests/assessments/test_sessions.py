"""Assessment sessions (Art 17–18): planned within the approved scope on a frozen basis at a
verified venue, one sitting per required method; every refusal with its own message and
nothing saved; filed with the lead time in working days; questions and stops by the officials
of the site's province; registration opening on its own; the public search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.models import ScopeItem
from assessments import queries, services
from assessments.models import AssessmentSession, SessionStatus, Sitting
from assessments.services import sessions as session_services
from catalog.models import LevelRequirement, Method, MethodRequirement, Occupation, SkillLevel
from portal import clock
from portal.models import Agency, AgencyStatus, AuditEntry
from tests.assessments.builders import (
    planned_session,
    ready_agency,
    session_fields,
    sitting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _refused(world, **kwargs) -> dict:
    before = AssessmentSession.objects.count(), Sitting.objects.count()
    with pytest.raises(ValidationError) as refused:
        planned_session(world, **kwargs)
    assert (AssessmentSession.objects.count(), Sitting.objects.count()) == before
    return refused.value.message_dict


def _messages(errors: dict) -> str:
    return " | ".join(m for ms in errors.values() for m in ms)


def _add_skill(level_code: str = "4"):
    """The electrician standard also assesses skill operation at ``level_code``."""
    requirement = LevelRequirement.objects.get(
        standard__occupation__code="6-31-01-03", level_id=level_code
    )
    MethodRequirement.objects.create(requirement=requirement, method=Method.SKILL, pass_mark=60)


# --- Planning: the basis is frozen ------------------------------------------------------------


def test_a_planned_session_is_a_draft_with_its_basis_frozen_and_an_audit_entry(world):
    session = planned_session(world)
    assert session.status == SessionStatus.DRAFT
    assert session.basis["title"] == "电工国家职业技能标准"
    assert session.basis["reference"] == "2018年版"
    assert [m["method"] for m in session.basis["methods"]] == ["theory"]
    assert session.basis["methods"][0]["pass_mark"] == 60
    assert "ratios" in session.basis and session.basis_planned_on == clock.today()
    assert session.first_sitting_on == clock.today() + dt.timedelta(days=30)
    assert AuditEntry.objects.filter(
        action="assessments.session.plan", object_id=str(session.pk)
    ).exists()


def test_a_later_change_of_the_standard_does_not_change_a_planned_session(world):
    session = planned_session(world)
    MethodRequirement.objects.filter(
        requirement__standard__occupation__code="6-31-01-03", requirement__level_id="4"
    ).update(pass_mark=75)
    _add_skill()
    session.refresh_from_db()
    assert [m["method"] for m in session.basis["methods"]] == ["theory"]
    assert session.basis["methods"][0]["pass_mark"] == 60
    # the session is still filed on its frozen basis: no skill sitting asked for
    services.file_session(world.members["admin"], session)
    assert AssessmentSession.objects.get(pk=session.pk).status == SessionStatus.FILED


# --- Planning: every refusal, nothing saved ---------------------------------------------------


def test_an_agency_that_cannot_assess_on_a_sitting_date_is_refused(world):
    venue = ready_agency(world)
    Agency.objects.filter(pk=world.gd_agency.pk).update(status=AgencyStatus.SUSPENDED)
    errors = _refused(world, venue=venue)
    assert "暂停" in _messages(errors) or "suspend" in _messages(errors).lower()
    assert "sittings" in errors


def test_a_sitting_after_the_filing_term_ends_is_refused(world):
    venue = ready_agency(world)
    from agencies.models import DirectoryEntry

    DirectoryEntry.objects.filter(agency=world.gd_agency).update(
        valid_until=clock.today() + dt.timedelta(days=10)
    )
    errors = _refused(world, venue=venue)
    assert "sittings" in errors


def test_an_occupation_level_outside_the_approved_scope_is_refused(world):
    venue = ready_agency(world)
    errors = _refused(world, venue=venue, level=SkillLevel.objects.get(pk="2"))
    assert "level" in errors
    assert ScopeItem.objects.filter(entry__agency=world.gd_agency).exists()


def test_no_basis_is_refused(world):
    venue = ready_agency(world)
    LevelRequirement.objects.filter(standard__occupation__code="6-31-01-03", level_id="4").delete()
    errors = _refused(world, venue=venue)
    assert any("没有" in m or "basis" in m.lower() for m in errors["level"])


def test_a_required_method_without_a_sitting_is_refused(world):
    venue = ready_agency(world)
    _add_skill()
    errors = _refused(world, venue=venue)
    assert "sittings" in errors
    assert len(errors["sittings"]) == 1


def test_a_room_smaller_than_the_capacity_is_refused(world):
    venue = ready_agency(world)
    errors = _refused(world, venue=venue, capacity=41)
    assert "sittings" in errors and "41" in errors["sittings"][0]


def test_a_room_booked_twice_at_the_same_time_is_refused(world):
    venue = ready_agency(world)
    planned_session(world, venue=venue)
    later = sitting(venue, starts_at=dt.time(10, 0), ends_at=dt.time(12, 0))
    errors = _refused(world, venue=venue, sittings=[later])
    assert "sittings" in errors
    # another time of the same day is fine
    planned_session(world, venue=venue, sittings=[sitting(venue, starts_at=dt.time(14, 0),
                                                         ends_at=dt.time(16, 0))])  # fmt: skip


def test_a_skill_room_not_equipped_for_the_occupation_is_refused(world):
    venue = ready_agency(world)
    _add_skill()
    skill_room = venue.rooms.get(kind="skill")
    skill_room.occupations.set(Occupation.objects.exclude(code="6-31-01-03")[:1])
    errors = _refused(
        world, venue=venue, capacity=10, sittings=[sitting(venue), sitting(venue, "skill", days=31)]
    )
    assert len(errors["sittings"]) == 1


def test_a_venue_not_verified_is_refused(world):
    venue = ready_agency(world)
    from tests.assessments.builders import declared_venue

    waiting = declared_venue(world, name="待核验考点")
    errors = _refused(world, venue=waiting, sittings=[sitting(waiting)])
    assert "venue" in errors
    assert venue.status == "verified"


def test_sittings_in_the_past_are_refused(world):
    venue = ready_agency(world)
    errors = _refused(
        world,
        venue=venue,
        registration_opens=clock.today() - dt.timedelta(days=20),
        registration_closes=clock.today() - dt.timedelta(days=10),
        sittings=[sitting(venue, days=-2)],
    )
    assert "sittings" in errors


def test_registration_closing_after_the_first_sitting_is_refused(world):
    venue = ready_agency(world)
    errors = _refused(world, venue=venue, registration_closes=clock.today() + dt.timedelta(days=31))
    assert "registration_closes" in errors


def test_only_the_agency_members_who_manage_plan(world):
    venue = ready_agency(world)
    with pytest.raises(PermissionDenied):
        services.plan_session(
            world.gd_official, world.gd_agency, sittings=[sitting(venue)], **session_fields(venue)
        )


# --- Filing with the lead time ----------------------------------------------------------------


def test_a_plan_is_filed_at_least_the_lead_time_in_working_days_before_the_first_sitting(
    world, settings
):
    settings.SESSION_PLAN_LEAD_WORKING_DAYS = 5
    venue = ready_agency(world)
    today = clock.today()
    first = clock.add_working_days(today, 4)  # four working days away: too late
    session = planned_session(
        world,
        venue=venue,
        registration_opens=today,
        registration_closes=first - dt.timedelta(days=1),
        sittings=[sitting(venue, days=(first - today).days)],
    )
    refusal = services.filing_refusal(session)
    assert refusal is not None and "5" in str(refusal)
    with pytest.raises(ValidationError):
        services.file_session(world.members["admin"], session)
    assert AssessmentSession.objects.get(pk=session.pk).status == SessionStatus.DRAFT
    # Filed on a day off (a weekend in Beijing time), the count starts at the next working day.
    fine = clock.add_working_days(today, 5 if clock.is_working_day(today) else 6)
    ok = planned_session(
        world,
        venue=venue,
        registration_opens=today,
        registration_closes=fine - dt.timedelta(days=1),
        sittings=[sitting(venue, days=(fine - today).days, starts_at=dt.time(13, 0),
                          ends_at=dt.time(15, 0))],
    )  # fmt: skip
    assert services.filing_refusal(ok) is None


def test_filing_opens_registration_at_once_when_the_window_has_begun(world):
    venue = ready_agency(world)
    session = planned_session(world, venue=venue, registration_opens=clock.today())
    filed = services.file_session(world.members["admin"], session)
    assert filed.status == SessionStatus.OPEN and filed.filed_by == world.members["admin"]
    assert services.filing_refusal(filed) is not None  # once only


def test_registration_opens_on_its_own_at_the_window_start_and_closes_at_its_end(world):
    venue = ready_agency(world)
    session = services.file_session(world.members["admin"], planned_session(world, venue=venue))
    assert session.status == SessionStatus.FILED
    assert services.advance_sessions() == 0
    with clock.frozen(session.registration_opens):
        assert services.advance_sessions() == 1
        assert AssessmentSession.objects.get(pk=session.pk).status == SessionStatus.OPEN
        assert services.advance_sessions() == 0
    with clock.frozen(session.registration_closes + dt.timedelta(days=1)):
        assert services.advance_sessions() == 1
    assert AssessmentSession.objects.get(pk=session.pk).status == SessionStatus.CLOSED


# --- Officials: question and stop -------------------------------------------------------------


def _filed(world, **extra):
    venue = ready_agency(world)
    return services.file_session(
        world.members["admin"],
        planned_session(world, venue=venue, registration_opens=clock.today(), **extra),
    )


def test_a_question_holds_registration_until_the_agency_answers(world):
    session = _filed(world)
    assert session.status == SessionStatus.OPEN
    services.ask_question(world.gd_official, session, text="技能考场的设备清单？")
    session.refresh_from_db()
    assert session.status == SessionStatus.FILED and session.awaiting_answer
    assert not session.registration_open_on(clock.today())
    assert services.question_refusal(session) is not None  # one open question at a time
    with pytest.raises(ValidationError):
        services.ask_question(world.gd_official, session, text="再问一次")
    services.answer_question(world.members["admin"], session, answer="见附件清单。")
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN and not session.awaiting_answer


def test_an_official_of_another_province_cannot_ask_or_stop(world):
    session = _filed(world)
    with pytest.raises(PermissionDenied):
        services.ask_question(world.hlj_official, session, text="？")
    with pytest.raises(PermissionDenied):
        services.stop_session(world.hlj_official, session, reason="不符合")


def test_a_stop_needs_a_reason_and_tells_the_candidates_known_by_e_mail(
    world, django_capture_on_commit_callbacks
):
    session = _filed(world)
    provider = lambda s: ["worker@example.com", ""] if s.pk == session.pk else []  # noqa: E731
    services.register_recipients(provider)
    try:
        with pytest.raises(ValidationError):
            services.stop_session(world.gd_official, session, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            services.stop_session(world.gd_official, session, reason="考点不具备条件")
    finally:
        session_services._RECIPIENTS.remove(provider)
    session.refresh_from_db()
    assert session.status == SessionStatus.STOPPED and session.end_reason == "考点不具备条件"
    assert services.stop_refusal(session) is not None
    assert [m.to for m in mail.outbox] == [["worker@example.com"]]
    assert "考点不具备条件" in mail.outbox[0].body


def test_the_agency_cancels_with_a_reason_before_the_sitting(world):
    session = _filed(world)
    cancelled = services.cancel_session(world.members["admin"], session, reason="报名人数不足")
    assert cancelled.status == SessionStatus.CANCELLED
    assert services.cancel_refusal(cancelled) is not None
    entry = AuditEntry.objects.get(action="assessments.session.cancel", object_id=str(session.pk))
    assert entry.changes["reason"][1] == "报名人数不足"


def test_a_plan_cannot_end_once_its_sittings_have_begun(world):
    session = _filed(world)
    with clock.frozen(session.first_sitting_on):
        assert services.stop_refusal(session) is not None
        assert services.cancel_refusal(session) is not None


# --- Who sees what ----------------------------------------------------------------------------


def test_officials_see_filed_plans_of_their_province_and_never_drafts(world):
    draft = planned_session(world)
    session = _filed(
        world,
        sittings=[sitting(draft.venue, starts_at=dt.time(13, 0), ends_at=dt.time(15, 0))],
    )
    assert list(queries.plans_for_official(world.gd_official)) == [session]
    assert list(queries.plans_for_official(world.hlj_official)) == []
    assert session in queries.plans_for_official(world.osta_national)


# --- Public ------------------------------------------------------------------------------------


def test_the_public_search_lists_open_and_coming_sessions_by_city_level_and_month(client, world):
    venue = ready_agency(world)
    coming = services.file_session(world.members["admin"], planned_session(world, venue=venue))
    draft = planned_session(
        world, venue=venue,
        sittings=[sitting(venue, starts_at=dt.time(13, 0), ends_at=dt.time(15, 0))],
    )  # fmt: skip
    page = client.get(reverse("assessments:public_sessions"))
    assert page.status_code == 200
    found = list(page.context["page"])
    assert coming in found and draft not in found
    month = coming.first_sitting_on.strftime("%Y-%m")
    assert (
        coming
        in client.get(
            reverse("assessments:public_sessions"), {"city": "深圳", "level": "4", "month": month}
        ).context["page"]
    )
    other = (coming.first_sitting_on + dt.timedelta(days=62)).strftime("%Y-%m")
    assert (
        coming
        not in client.get(reverse("assessments:public_sessions"), {"month": other}).context["page"]
    )
    assert client.get(reverse("assessments:public_session", args=[draft.pk])).status_code == 404
    detail = client.get(reverse("assessments:public_session", args=[coming.pk]))
    assert "携带身份证" in detail.content.decode()


def test_the_home_page_links_the_sessions_and_the_directory_entry_lists_them(client, world):
    venue = ready_agency(world)
    services.file_session(world.members["admin"], planned_session(world, venue=venue))
    assert reverse("assessments:public_sessions") in client.get("/").content.decode()
    entry = client.get(reverse("agencies:directory_entry", args=[world.gd_agency.pk]))
    assert reverse("assessments:public_sessions").rstrip("/") in entry.content.decode()


def test_a_draft_is_cancelled_without_having_been_filed(world):
    draft = planned_session(world)
    cancelled = services.cancel_session(world.members["admin"], draft, reason="计划调整")
    assert cancelled.status == SessionStatus.CANCELLED and cancelled.filed_at is None


def test_the_agency_and_official_pages_render_the_plan(client, world):
    session = _filed(world)
    client.force_login(world.members["admin"])
    page = client.get(reverse("assessments:session", args=[world.gd_agency.pk, session.pk]))
    assert page.status_code == 200 and "电工国家职业技能标准" in page.content.decode()
    client.force_login(world.gd_official)
    listing = client.get(reverse("assessments:plans"), {"level": "4"})
    assert session in listing.context["page"]
    asked = client.post(
        reverse("assessments:plan", args=[session.pk]), {"action": "ask", "q-text": "设备清单？"}
    )
    assert asked.status_code == 302
    assert AssessmentSession.objects.get(pk=session.pk).awaiting_answer


def test_stopping_and_cancelling_restate_the_reason_before_anything_changes(client, world):
    session = _filed(world)
    plan_url = reverse("assessments:plan", args=[session.pk])
    client.force_login(world.gd_official)
    blank = client.post(plan_url, {"action": "stop", "s-reason": " "})
    assert blank.status_code == 200 and blank.context["stop_form"].errors
    before = AssessmentSession.objects.get(pk=session.pk).status
    page = client.post(plan_url, {"action": "stop", "s-reason": "考点条件不符"})
    assert page.status_code == 200 and "考点条件不符" in page.content.decode()
    assert AssessmentSession.objects.get(pk=session.pk).status == before
    stopped = client.post(
        plan_url, {"action": "stop", "s-reason": "考点条件不符", "confirmed": "1"}
    )
    assert stopped.status_code == 302
    assert AssessmentSession.objects.get(pk=session.pk).status == SessionStatus.STOPPED
    # Once stopped, the agency may no longer cancel: the service's refusal sits at the form.
    client.force_login(world.members["admin"])
    own_url = reverse("assessments:session", args=[world.gd_agency.pk, session.pk])
    refused = client.post(own_url, {"action": "cancel", "c-reason": "报名人数不足"})
    assert refused.status_code == 200
    session.refresh_from_db()
    assert services.cancel_refusal(session, world.members["admin"]) in str(
        refused.context["cancel_form"].non_field_errors()
    )
