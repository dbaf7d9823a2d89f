"""External quality supervision (Art 26): the drawn session opened to its supervisors, the
report filed once by a supervisor sent to it, its refusals, the rectification order from its
findings, and who reads it (the agency, the authority of the jurisdiction)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal import access, clock
from portal.models import AuditEntry
from supervision.models import Finding, PlanKind, RectificationOrder, VisitState
from supervision.services import quality as services
from tests.supervision.builders_quality import (
    check_item,
    drawn_visit,
    quality_plan,
    report_data,
)


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- The draw opens the session ---------------------------------------------------------------


def test_the_draw_opens_the_session_to_its_supervisor_and_no_one_else(world, client):
    visit = drawn_visit(world)
    assert access.can(world.expert, "assessments.session.read", visit.session)
    assert not access.can(world.expert2, "assessments.session.read", visit.session)
    client.force_login(world.expert)
    page = client.get(reverse("supervision:quality_visit", args=[visit.pk]))
    scores = reverse("assessments:scores", args=[visit.session_id])
    assert scores in page.content.decode()
    assert client.get(scores).status_code == 200
    client.force_login(world.expert2)
    assert client.get(scores).status_code == 404
    assert client.get(reverse("supervision:quality_visit", args=[visit.pk])).status_code == 404


def test_a_spot_check_plan_opens_nothing_here(world):
    plan = quality_plan(world, kind=PlanKind.SPOT_CHECK)
    assert services.open_sessions(plan) == 0


# --- Filing the report ------------------------------------------------------------------------


def test_the_supervisor_files_the_report_once(world):
    item = check_item(world)
    visit = drawn_visit(world)
    findings = [{"severity": "minor", "description": "座位号张贴不清。", "check_item": item}]
    services.file_report(world.expert, visit, report_data(findings=findings, rating="good"))
    visit.refresh_from_db()
    assert (visit.state, visit.rating, visit.reported_by) == (
        VisitState.REPORTED,
        "good",
        world.expert,
    )
    (finding,) = Finding.objects.filter(visit=visit)
    assert (finding.severity, finding.check_item, finding.inspection) == ("minor", item, None)
    entry = AuditEntry.objects.get(action="supervision.quality.report", object_id=str(visit.pk))
    assert (entry.actor, entry.audience) == (world.expert, "authority")  # it names the expert
    with pytest.raises(ValidationError):
        services.file_report(world.expert, visit, report_data())
    assert Finding.objects.filter(visit=visit).count() == 1
    assert services.report_refusal(visit, world.expert)


def test_a_supervisor_not_sent_there_may_not_report(world):
    visit = drawn_visit(world)
    for other in (world.expert2, world.osta_gd, world.members["admin"]):
        with pytest.raises(PermissionDenied):
            services.file_report(other, visit, report_data())
    visit.refresh_from_db()
    assert visit.state == VisitState.ASSIGNED


def test_a_report_without_rating_or_process_is_refused_and_nothing_saved(world):
    visit = drawn_visit(world)
    errors = _errors(lambda: services.file_report(world.expert, visit, report_data(rating="")))
    assert "rating" in errors
    errors = _errors(lambda: services.file_report(world.expert, visit, report_data(process=" ")))
    assert "process" in errors
    bad = [
        {"severity": "", "description": "无严重程度"},
        {"severity": "serious", "description": ""},
    ]
    errors = _errors(lambda: services.file_report(world.expert, visit, report_data(findings=bad)))
    assert {"finding_1_severity", "finding_2_description"} <= set(errors)
    other = check_item(world, jurisdiction="230000", code="HLJ-1")
    rows = [{"severity": "minor", "description": "x", "check_item": other}]
    errors = _errors(lambda: services.file_report(world.expert, visit, report_data(findings=rows)))
    assert "finding_1_check_item" in errors
    visit.refresh_from_db()
    assert visit.state == VisitState.ASSIGNED and not Finding.objects.filter(visit=visit).exists()


def test_findings_open_a_rectification_order(world):
    visit = drawn_visit(world)
    deadline = clock.today() + dt.timedelta(days=20)
    past = report_data(order_requirements="整改座位标识", order_deadline=clock.today())
    assert "order_deadline" in _errors(lambda: services.file_report(world.expert, visit, past))
    none = report_data(findings=[], order_requirements="整改", order_deadline=deadline)
    assert "order_requirements" in _errors(lambda: services.file_report(world.expert, visit, none))
    assert not RectificationOrder.objects.filter(visit=visit).exists()
    data = report_data(order_requirements="重新张贴座位号并提交照片。", order_deadline=deadline)
    services.file_report(world.expert, visit, data)
    (order,) = RectificationOrder.objects.filter(visit=visit)
    assert (order.agency, order.deadline, order.issued_by) == (visit.agency, deadline, world.expert)
    assert list(order.findings.all()) == list(Finding.objects.filter(visit=visit))


# --- Who reads it -----------------------------------------------------------------------------


def test_the_agency_reads_the_reports_on_its_sessions_only_once_filed(world, client):
    visit = drawn_visit(world)
    agency = visit.agency.pk
    listing = reverse("supervision:agency_quality_reports", args=[agency])
    detail = reverse("supervision:agency_quality_report", args=[agency, visit.pk])
    client.force_login(world.members["staff"])
    assert client.get(detail).status_code == 404
    services.file_report(world.expert, visit, report_data())
    assert visit.session.occupation.name in client.get(listing).content.decode()
    page = client.get(detail).content.decode()
    assert "个别考生座位号张贴不清" in page and world.expert.username not in page
    client.force_login(world.hlj_admin)
    assert client.get(detail).status_code == 404
    client.force_login(world.members["examiner"])
    assert client.get(listing).status_code == 403


def test_the_authority_reads_the_reports_of_its_jurisdiction(world, client):
    visit = drawn_visit(world)
    services.file_report(world.expert, visit, report_data())
    page = reverse("supervision:quality_visit", args=[visit.pk])
    for official in (world.osta_gd, world.gd_official, world.ministry, world.osta_national):
        client.force_login(official)
        listing = client.get(reverse("supervision:quality_reports")).content.decode()
        assert page in listing
        assert "个别考生座位号张贴不清" in client.get(page).content.decode()
    client.force_login(world.hlj_official)
    assert page not in client.get(reverse("supervision:quality_reports")).content.decode()
    assert client.get(page).status_code == 404


def test_the_report_form_asks_for_a_confirmation_then_files(world, client):
    visit = drawn_visit(world)
    url = reverse("supervision:quality_report", args=[visit.pk])
    client.force_login(world.expert)
    form = {"process": "考务规范。", "rating": "good", "finding_1_severity": "minor",
            "finding_1_description": "座位号不清。"}  # fmt: skip
    assert "rating" in client.post(url, {**form, "rating": ""}).context["form"].errors
    confirm = client.post(url, form)
    assert "portal/confirm.html" in [t.name for t in confirm.templates]
    visit.refresh_from_db()
    assert visit.state == VisitState.ASSIGNED
    done = client.post(url, {**form, "confirmed": "1"})
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.state == VisitState.REPORTED and visit.findings.count() == 1
    client.force_login(world.expert2)
    assert client.post(url, {**form, "confirmed": "1"}).status_code == 404


def test_the_dashboards_show_what_waits(world, client):
    from assessments.models import AssessmentSession

    visit = drawn_visit(world)
    client.force_login(world.expert)
    text = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("supervision:quality_visits") in text
    past = clock.today() - dt.timedelta(days=2)
    AssessmentSession.objects.filter(pk=visit.session_id).update(last_sitting_on=past)
    client.force_login(world.osta_gd)
    text = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("supervision:quality_reports") + "?state=assigned" in text
    services.file_report(world.expert, visit, report_data())
    text = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("supervision:quality_reports") + "?state=assigned" not in text
