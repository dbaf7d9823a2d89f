"""Inspections of a drawn spot-check plan (Art 25, 27): the review opening at the draw,
records, findings and conclusion, rectification orders and their deadlines, follow-ups through
the real agencies and certificates services, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Sanction
from certificates import services as certificates
from certificates.models import Certificate, CertificateReviewGrant
from portal import access, clock
from portal.jobs import periodic
from portal.models import AgencyStatus
from supervision import deadlines
from supervision.models import (
    Conclusion,
    FollowUp,
    InspectionState,
    OrderState,
    RectificationOrder,
)
from supervision.queries import inspections as queries
from supervision.services import inspections as svc
from tests.portal.builders import PASSWORD
from tests.supervision.builders_inspections import drawn_plan, inspector

pytestmark = pytest.mark.django_db

READ = "assessments.session.read"


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.message_dict


@pytest.fixture
def drawn(world):
    """gd_agency's session (sat a fortnight ago, certificates issued) and a drawn plan: the
    gd agency for insp_a and insp_b, the hlj agency for world.inspector."""
    from tests.certificates.builders import final_session

    session = final_session(world, 2, failed=0)
    certificates.issue_certificates(world.members["admin"], [session])
    a, b = inspector("insp_a"), inspector("insp_b")
    other = inspector(world.inspector.username)
    plan, (gd, hlj) = drawn_plan(
        world.gd_official, [(world.gd_agency, [a, b]), (world.hlj_agency, [other])]
    )
    return {"session": session, "plan": plan, "gd": gd, "hlj": hlj, "a": a, "b": b, "other": other}


def pdf(name="现场照片.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


# --- Opening the records at the draw ---------------------------------------------------------


def test_the_draw_opens_the_agencys_sessions_and_certificates_to_its_inspectors_only(
    world, drawn, client
):
    session, a, other = drawn["session"], drawn["a"], drawn["other"]
    assert access.can(a, READ, session)
    assert access.can(drawn["b"], READ, session)
    assert not access.can(other, READ, session)
    client.force_login(a)
    assert client.get(reverse("assessments:scores", args=[session.pk])).status_code == 200
    page = client.get(reverse("supervision:inspection", args=[drawn["gd"].pk]))
    assert page.status_code == 200
    assert reverse("assessments:scores", args=[session.pk]) in page.content.decode()
    number = Certificate.objects.filter(session=session).first().number
    listing = client.get(reverse("certificates:registry") + f"?agency={world.gd_agency.pk}")
    assert listing.status_code == 200 and number in listing.content.decode()
    assert "revoke" not in listing.content.decode()  # read-only
    client.force_login(other)
    assert client.get(reverse("assessments:scores", args=[session.pk])).status_code == 404
    listing = client.get(reverse("certificates:registry"))
    assert listing.status_code == 200 and number not in listing.content.decode()
    # The grants run until the inspection's date.
    grant = CertificateReviewGrant.objects.get(user=a, agency=world.gd_agency)
    assert grant.until == drawn["gd"].review_until


def test_sessions_outside_the_window_stay_closed(world, drawn):
    from tests.certificates.builders import final_session

    old = final_session(
        world,
        1,
        failed=0,
        first_sitting_on=drawn["plan"].period_end - dt.timedelta(days=400),
        last_sitting_on=drawn["plan"].period_end - dt.timedelta(days=399),
    )
    assert old not in svc.sessions_for_review(drawn["gd"])
    assert drawn["session"] in svc.sessions_for_review(drawn["gd"])
    assert not access.can(drawn["a"], READ, old)


def test_certificate_review_access_ends_on_its_date_even_before_the_job_runs(world):
    reviewer = inspector("insp_cert")
    assert not certificates.grant_in_force(reviewer, world.gd_agency)
    until = clock.today() + dt.timedelta(days=5)
    grant = certificates.open_for_review(world.gd_agency, reviewer, until, granted_by="抽查")
    assert access.can(reviewer, "certificates.registry")
    assert (
        certificates.open_for_review(world.gd_agency, reviewer, until - dt.timedelta(days=1)).until
        == until
    )
    assert (
        certificates.open_for_review(world.gd_agency, reviewer, until + dt.timedelta(days=2)).pk
        == grant.pk
    )
    CertificateReviewGrant.objects.filter(pk=grant.pk).update(
        until=clock.today() - dt.timedelta(days=1)
    )
    assert not access.can(reviewer, "certificates.registry")  # job not run yet
    assert periodic.jobs()["certificates.expire_review_grants"].func() == 1
    assert certificates.expire_review_grants() == 0  # safe to run twice
    assert "until" in _errors(
        lambda: certificates.open_for_review(
            world.gd_agency, reviewer, clock.today() - dt.timedelta(days=1)
        )
    )


# --- Records, findings, conclusion -----------------------------------------------------------


def test_an_inspector_records_finds_and_concludes(world, drawn):
    gd, a = drawn["gd"], drawn["a"]
    item = drawn["plan"].check_items.order_by("code").first()
    record = svc.record_visit(
        a,
        gd,
        kind="on_site",
        visited_on=clock.today(),
        people_present="机构负责人张三",
        notes="查看考场与设备",
        documents=[pdf()],
    )
    doc = record.documents.get()
    assert access.can(drawn["b"], "portal.document.download", doc)  # the other inspector
    assert not access.can(drawn["other"], "portal.document.download", doc)
    svc.add_finding(a, gd, check_item=item, severity="serious", description="考场监控缺失")
    done = svc.conclude_inspection(a, gd, conclusion=Conclusion.PROBLEMS_FOUND, note="")
    assert done.state == InspectionState.CONCLUDED
    assert done.publish_due == deadlines.publish_due(clock.today())
    assert done.concluded_by == a
    # Concluded: nothing more is recorded.
    with pytest.raises(ValidationError):
        svc.add_finding(a, gd, check_item=None, severity="minor", description="又一项")


def test_refusals_of_records_findings_and_conclusions(world, drawn):
    gd, a = drawn["gd"], drawn["a"]
    with pytest.raises(PermissionDenied):
        svc.add_finding(drawn["other"], gd, check_item=None, severity="minor", description="x")
    with pytest.raises(PermissionDenied):
        svc.record_visit(
            world.gd_official, gd, kind="document", visited_on=clock.today(), notes="查阅"
        )
    errors = _errors(
        lambda: svc.record_visit(
            a, gd, kind="on_site", visited_on=clock.today() + dt.timedelta(days=1), notes=""
        )
    )
    assert {"visited_on", "notes", "people_present"} <= set(errors)
    errors = _errors(
        lambda: svc.record_visit(
            a,
            gd,
            kind="document",
            visited_on=clock.today(),
            notes="查阅",
            documents=[SimpleUploadedFile("x.pdf", b"not a pdf at all")],
        )
    )
    assert "documents" in errors
    assert not gd.records.exists()  # nothing half-saved
    from supervision.models import CheckItem

    outside = CheckItem.objects.create(
        jurisdiction="440000", code="X-99", title="他项", legal_basis="-", method="document",
        records="-", created_by=world.gd_official, created_at=clock.now(),
    )  # fmt: skip
    assert "check_item" in _errors(
        lambda: svc.add_finding(a, gd, check_item=outside, severity="minor", description="x")
    )
    assert "conclusion" in _errors(
        lambda: svc.conclude_inspection(a, gd, conclusion=Conclusion.PROBLEMS_FOUND)
    )
    assert "note" in _errors(lambda: svc.conclude_inspection(a, gd, conclusion=Conclusion.REFUSED))
    svc.add_finding(a, gd, check_item=None, severity="minor", description="台账不全")
    assert "conclusion" in _errors(
        lambda: svc.conclude_inspection(a, gd, conclusion=Conclusion.NO_PROBLEM)
    )
    gd.refresh_from_db()
    assert gd.state == InspectionState.ASSIGNED and gd.publish_due is None


# --- Rectification orders -------------------------------------------------------------------------


def _order(drawn, *, days=30):
    gd, a = drawn["gd"], drawn["a"]
    finding = svc.add_finding(a, gd, check_item=None, severity="minor", description="台账不全")
    return svc.issue_order(
        a,
        inspection=gd,
        findings=[finding],
        requirements="补齐考务台账",
        deadline=clock.today() + dt.timedelta(days=days),
    )


def test_an_order_is_answered_accepted_or_reopened(world, drawn):
    order = _order(drawn)
    admin = world.members["admin"]
    with pytest.raises(ValidationError):
        svc.accept_order(drawn["a"], order)  # not answered yet
    with pytest.raises(PermissionDenied):
        svc.answer_order(world.hlj_admin, order, answer="已整改")
    with pytest.raises(PermissionDenied):
        svc.answer_order(world.members["examiner"], order, answer="已整改")
    assert "answer" in _errors(lambda: svc.answer_order(admin, order, answer=" "))
    svc.answer_order(admin, order, answer="已补齐", evidence=[pdf("台账.pdf")])
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED
    doc = order.answer_documents.get()
    assert access.can(drawn["a"], "portal.document.download", doc)
    with pytest.raises(PermissionDenied):
        svc.reopen_order(drawn["other"], order, reason="x", deadline=clock.today())
    errors = _errors(lambda: svc.reopen_order(drawn["b"], order, reason="", deadline=clock.today()))
    assert {"reason", "deadline"} <= set(errors)
    new = clock.today() + dt.timedelta(days=10)
    svc.reopen_order(drawn["b"], order, reason="证据不清晰", deadline=new)
    order.refresh_from_db()
    assert (order.state, order.deadline, order.reopened) == (OrderState.OPEN, new, 1)
    svc.answer_order(admin, order, answer="重新补充")
    svc.accept_order(drawn["a"], order, note="整改到位")
    order.refresh_from_db()
    assert order.state == OrderState.ACCEPTED


def test_an_order_needs_findings_of_the_inspection_and_a_deadline_after_today(world, drawn):
    gd, a = drawn["gd"], drawn["a"]
    hlj_finding = svc.add_finding(
        drawn["other"], drawn["hlj"], check_item=None, severity="minor", description="x"
    )
    errors = _errors(
        lambda: svc.issue_order(
            a, inspection=gd, findings=[hlj_finding], requirements="", deadline=clock.today()
        )
    )
    assert {"findings", "requirements", "deadline"} <= set(errors)
    with pytest.raises(PermissionDenied):
        svc.issue_order(
            drawn["other"], inspection=gd, findings=[], requirements="x", deadline=clock.today()
        )
    assert not RectificationOrder.objects.exists()


def test_an_overdue_order_shows_on_the_officials_and_the_agencys_dashboards(world, drawn, client):
    order = _order(drawn)
    assert not queries.overdue_orders_for(world.gd_official).exists()
    RectificationOrder.objects.filter(pk=order.pk).update(
        deadline=clock.today() - dt.timedelta(days=3)
    )
    order.refresh_from_db()
    assert svc.is_overdue(order)
    assert list(queries.overdue_orders_for(world.gd_official)) == [order]
    assert list(queries.overdue_orders_for(world.ministry)) == [order]
    assert not queries.overdue_orders_for(world.hlj_official).exists()
    client.force_login(world.gd_official)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 项整改通知已逾期" in page or "rectification order is overdue" in page
    late = client.get(reverse("supervision:inspections") + "?overdue=1").content.decode()
    assert world.gd_agency.name in late and world.hlj_agency.name not in late
    client.force_login(world.members["admin"])
    page = client.get(reverse("portal:agency_home", args=[world.gd_agency.pk])).content.decode()
    assert reverse("supervision:agency_orders", args=[world.gd_agency.pk]) in page
    client.force_login(drawn["a"])
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("supervision:inspections") in page
    # Answered, it no longer waits for the agency; accepted, it is no longer overdue.
    svc.answer_order(world.members["admin"], order, answer="已整改")
    svc.accept_order(drawn["a"], order)
    assert not queries.overdue_orders_for(world.gd_official).exists()


# --- Follow-ups of serious findings -------------------------------------------------------------


def test_a_serious_finding_leads_to_a_suspension_through_the_agencies_service(world, drawn):
    gd, a = drawn["gd"], drawn["a"]
    svc.add_finding(a, gd, check_item=None, severity="minor", description="台账不全")
    follow = {
        "kind": "suspension",
        "reason": "考场严重违规",
        "legal_basis": "第二十七条",
        "until": clock.today() + dt.timedelta(days=90),
    }
    with pytest.raises(ValidationError):  # only a serious finding
        svc.start_follow_up(world.gd_official, gd, password=PASSWORD, **follow)
    svc.add_finding(a, gd, check_item=None, severity="serious", description="替考")
    with pytest.raises(PermissionDenied):
        svc.start_follow_up(a, gd, password=PASSWORD, **follow)
    with pytest.raises(PermissionDenied):
        svc.start_follow_up(world.hlj_official, gd, password=PASSWORD, **follow)
    assert "password" in _errors(
        lambda: svc.start_follow_up(world.gd_official, gd, password="wrong", **follow)
    )
    assert not FollowUp.objects.exists() and not Sanction.objects.exists()
    done = svc.start_follow_up(world.gd_official, gd, password=PASSWORD, **follow)
    sanction = Sanction.objects.get(agency=world.gd_agency)
    assert done.target == f"agencies.sanction:{sanction.pk}"
    world.gd_agency.refresh_from_db()
    assert world.gd_agency.status == AgencyStatus.SUSPENDED


def test_a_serious_finding_leads_to_a_revocation_through_the_certificates_service(
    world, drawn, client
):
    gd, a = drawn["gd"], drawn["a"]
    svc.add_finding(a, gd, check_item=None, severity="serious", description="冒名顶替")
    cert = Certificate.objects.filter(session=drawn["session"]).first()
    done = svc.start_follow_up(
        world.gd_official, gd, kind="revocation", reason="冒名顶替", certificate=cert,
        password=PASSWORD,
    )  # fmt: skip
    cert.refresh_from_db()
    assert cert.status == "revoked" and done.target == f"certificates.certificate:{cert.pk}"
    client.force_login(world.gd_official)
    page = client.get(reverse("supervision:inspection", args=[gd.pk])).content.decode()
    assert done.target in page


# --- Who sees what ------------------------------------------------------------------------------


def test_pages_answer_404_to_an_inspector_of_another_inspection_and_to_other_provinces(
    world, drawn, client
):
    order = _order(drawn)
    url = reverse("supervision:inspection", args=[drawn["gd"].pk])
    order_url = reverse("supervision:order", args=[order.pk])
    expected = {
        drawn["a"]: 200, drawn["other"]: 404, world.gd_official: 200, world.ministry: 200,
        world.hlj_official: 404, world.osta_gd: 404, world.members["admin"]: 404,
    }  # fmt: skip
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.get(order_url).status_code == status, user
    # The agency reads its own inspections' findings and orders, no other agency does.
    mine = reverse("supervision:agency_order", args=[world.gd_agency.pk, order.pk])
    client.force_login(world.members["staff"])
    assert client.get(mine).status_code == 200
    assert (
        "台账不全"
        in client.get(
            reverse("supervision:agency_orders", args=[world.gd_agency.pk])
        ).content.decode()
    )
    client.force_login(world.hlj_admin)
    assert client.get(mine).status_code == 404
    assert (
        client.get(
            reverse("supervision:agency_order", args=[world.hlj_agency.pk, order.pk])
        ).status_code
        == 404
    )
    # An official reads the order but does not decide it.
    client.force_login(world.gd_official)
    assert client.post(order_url, {"action": "accept"}).status_code == 403


def test_the_quality_stage_issues_an_order_for_a_visit_by_its_supervisor(world, drawn):
    """Art 26: an external supervisor sent to a session issues the order for the visit; the
    agency answers and the supervisor decides, as for an inspection."""
    from supervision.models import (
        ExternalSupervisor,
        Finding,
        PlanKind,
        QualityVisit,
        QualityVisitAssignment,
    )

    plan = drawn["plan"]
    plan.pk, plan.kind, plan.title = None, PlanKind.QUALITY, "外督派遣"
    plan.save()
    assert svc.open_records(plan) == 0  # the quality stage opens its own sessions
    visit = QualityVisit.objects.create(
        plan=plan, position=1, session=drawn["session"], agency=world.gd_agency,
        review_until=plan.period_end, created_at=clock.now(),
    )  # fmt: skip
    entry = ExternalSupervisor.objects.create(
        user=world.expert, jurisdiction="440000", organisation="省鉴定中心", created_at=clock.now()
    )
    QualityVisitAssignment.objects.create(
        visit=visit, supervisor=entry, position=1, assigned_at=clock.now()
    )
    access.grant(world.expert, "supervise_qualityvisit", visit)
    finding = Finding.objects.create(
        visit=visit, severity="minor", description="考场秩序混乱", recorded_by=world.expert,
        recorded_at=clock.now(),
    )  # fmt: skip
    deadline = clock.today() + dt.timedelta(days=15)
    with pytest.raises(PermissionDenied):
        svc.issue_order(
            world.expert2, visit=visit, findings=[finding], requirements="x", deadline=deadline
        )
    with pytest.raises(PermissionDenied):  # an inspector of the agency's inspection is not its
        svc.issue_order(
            drawn["a"], visit=visit, findings=[finding], requirements="x", deadline=deadline
        )
    order = svc.issue_order(
        world.expert,
        visit=visit,
        findings=[finding],
        requirements="整顿考场秩序",
        deadline=deadline,
    )
    assert order.agency == world.gd_agency and order.visit == visit
    svc.answer_order(world.members["admin"], order, answer="已整改", evidence=[pdf()])
    assert access.can(world.expert, "portal.document.download", order.answer_documents.get())
    svc.accept_order(world.expert, order)
    assert list(queries.orders_for(world.expert)) == [order]
    assert order not in queries.orders_for(drawn["a"])
