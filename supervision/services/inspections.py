"""Inspections of a drawn spot-check plan and rectification orders (Art 25, 27).

Each drawn object is an ``Inspection`` for the inspectors drawn for it (an object grant,
``supervision.inspect_inspection``). When the plan is drawn, ``open_records`` opens the
agency's records to them through the lower apps' ``open_for_review`` services. The inspectors
record document reviews and on-site visits, findings per check item, and conclude; findings
lead to a rectification order the agency answers in its workspace and the inspector accepts
or reopens. A serious finding lets an official of the plan's jurisdiction start a suspension
or removal through ``agencies.services`` or revoke a certificate through
``certificates.services``; a ``FollowUp`` links the inspection to what followed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal import access, audit, clock, documents
from portal.models import Audience
from portal.refusals import Refusal, refuse
from portal.roles import NATIONAL
from supervision import deadlines
from supervision.models import (
    CheckItem,
    Conclusion,
    Finding,
    FollowUp,
    FollowUpKind,
    Inspection,
    InspectionRecord,
    InspectionState,
    OrderState,
    PlanKind,
    QualityVisit,
    RecordKind,
    RectificationOrder,
    Severity,
)

GRANT = "inspect_inspection"
VISIT_GRANT = "supervise_qualityvisit"
RECORD_KIND = "supervision_inspection_record"
ANSWER_KIND = "supervision_order_evidence"
#: Sessions opened for document review: those whose first sitting is within this many days
#: before the end of the plan's period (and the inspection's own session).
REVIEW_WINDOW_DAYS = 366


# --- Opening the agency's records (Art 25) -------------------------------------------------------


def inspectors_of(inspection: Inspection) -> list:
    """The users drawn for ``inspection``, in the order drawn."""
    return [
        a.inspector.user
        for a in inspection.assignments.select_related("inspector__user").order_by("position")
    ]


def sessions_for_review(inspection: Inspection) -> list:
    """The agency's sessions its inspectors read: in the plan's jurisdiction, first sat
    within the 12 months before the plan's period end, and the inspection's own session."""
    from assessments import queries as sessions

    plan = inspection.plan
    start = plan.period_end - dt.timedelta(days=REVIEW_WINDOW_DAYS)
    rows = sessions.sessions_of_agency(inspection.agency).filter(
        first_sitting_on__gte=start, first_sitting_on__lte=plan.period_end
    )
    if plan.jurisdiction != NATIONAL:
        rows = rows.filter(site__province_id=plan.jurisdiction)
    found = list(rows.order_by("first_sitting_on", "pk"))
    if inspection.session_id and all(s.pk != inspection.session_id for s in found):
        found.append(inspection.session)
    return found


def open_records(plan) -> int:
    """For a drawn spot-check plan, open each inspection's agency records to its inspectors
    until ``review_until`` (Art 25): the sessions (``assessments.services.open_for_review``)
    and the certificates (``certificates.services.open_for_review``). The number of grants
    opened or extended; nothing for a quality plan (the quality stage opens its sessions)."""
    from assessments.services import open_for_review as open_session
    from certificates.services import open_for_review as open_certificates

    if plan.kind != PlanKind.SPOT_CHECK:
        return 0
    count = 0
    for inspection in plan.inspections.select_related("agency", "session", "plan"):
        until = inspection.review_until
        if until < clock.today():
            continue
        label = _("Spot check %(plan)s, inspection %(n)s") % {
            "plan": plan.pk,
            "n": inspection.position,
        }
        users = inspectors_of(inspection)
        review = sessions_for_review(inspection)
        for user in users:
            for session in review:
                open_session(session, user, until, granted_by=label)
                count += 1
            open_certificates(inspection.agency, user, until, granted_by=label)
            count += 1
    return count


def on_plan_drawn(sender, plan, **kwargs) -> None:
    """Receiver of ``supervision.signals.plan_drawn`` (inside the drawing transaction)."""
    open_records(plan)


# --- Records, findings, conclusion (Art 25) ---------------------------------------------


def _locked(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("plan", "agency")
        .get(pk=inspection.pk)
    )


def inspect_refusal(inspection: Inspection, actor=None) -> Refusal | None:
    """Records and findings are added while the inspection is not concluded."""
    if inspection.state != InspectionState.ASSIGNED:
        return Refusal(_("The inspection is concluded; nothing more can be recorded."))
    return None


def _store(actor, uploads: Iterable, *, title: str, kind: str, subject, agency, readers, field):
    docs = []
    for upload in uploads or ():
        try:
            doc = documents.store_document(
                actor,
                upload,
                title=title,
                kind=kind,
                owner_agency=agency,
                owner_jurisdiction=subject.plan.jurisdiction if hasattr(subject, "plan") else "",
                subject=subject,
            )
        except ValidationError as exc:  # at the field; nothing is saved
            name = getattr(upload, "name", "") or ""
            raise ValidationError({field: [f"{name}：{m}" for m in exc.messages]}) from exc
        for reader in readers:
            access.grant(reader, "view_document", doc)
        docs.append(doc)
    return docs


@transaction.atomic
def record_visit(
    actor,
    inspection: Inspection,
    *,
    kind: str,
    visited_on: dt.date,
    people_present: str = "",
    notes: str,
    documents: Iterable = (),
) -> InspectionRecord:
    """Art 25: an assigned inspector records a document review or an on-site visit (date,
    people present, what was checked and seen, photos and documents)."""
    inspection = _locked(inspection)
    access.require(actor, "supervision.inspections.inspect", inspection)
    refuse(inspect_refusal(inspection, actor))
    errors = {}
    if kind not in RecordKind.values:
        errors["kind"] = _("Choose the kind of record.")
    if visited_on is None or visited_on > clock.today():
        errors["visited_on"] = _("The date cannot be in the future.")
    elif visited_on < inspection.plan.period_start - dt.timedelta(days=366):
        errors["visited_on"] = _("The date is long before the plan's period.")
    if not (notes or "").strip():
        errors["notes"] = _("Say what was checked and seen.")
    if kind == RecordKind.ON_SITE and not (people_present or "").strip():
        errors["people_present"] = _("Name the people present at the visit.")
    if errors:
        raise ValidationError(errors)
    record = InspectionRecord.objects.create(
        inspection=inspection,
        kind=kind,
        visited_on=visited_on,
        people_present=(people_present or "").strip(),
        notes=notes.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    docs = _store(
        actor,
        documents,
        title=_("Inspection record of %(agency)s, %(date)s")
        % {"agency": inspection.agency.name, "date": visited_on.isoformat()},
        kind=RECORD_KIND,
        subject=inspection,
        agency=None,
        readers=inspectors_of(inspection),
        field="documents",
    )
    if docs:
        record.documents.add(*docs)
    audit.record(
        actor,
        "supervision.inspection.record",
        inspection,
        {"kind": [None, kind], "visited_on": [None, visited_on], "files": [0, len(docs)]},
        agency=inspection.agency,
        province=inspection.plan.jurisdiction,
    )
    return record


@transaction.atomic
def add_finding(
    actor, inspection: Inspection, *, check_item: CheckItem | None, severity: str, description: str
) -> Finding:
    """Art 25: a finding per check item of the plan, minor or serious."""
    inspection = _locked(inspection)
    access.require(actor, "supervision.inspections.inspect", inspection)
    refuse(inspect_refusal(inspection, actor))
    errors = {}
    if check_item is not None and not inspection.plan.check_items.filter(pk=check_item.pk).exists():
        errors["check_item"] = _("Choose one of the plan's check items.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose how serious the finding is.")
    if not (description or "").strip():
        errors["description"] = _("Describe what was found.")
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(
        inspection=inspection,
        check_item=check_item,
        severity=severity,
        description=description.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    audit.record(
        actor,
        "supervision.inspection.finding",
        finding,
        {"severity": [None, severity], "check_item": [None, check_item and check_item.code]},
        agency=inspection.agency,
        province=inspection.plan.jurisdiction,
        audience=Audience.AGENCY,
    )
    return finding


@transaction.atomic
def conclude_inspection(
    actor, inspection: Inspection, *, conclusion: str, note: str = ""
) -> Inspection:
    """Art 25: the conclusion (no problem, problems found, not found at the address, refused);
    the result must then be published by ``deadlines.publish_due(today)``."""
    inspection = _locked(inspection)
    access.require(actor, "supervision.inspections.inspect", inspection)
    refuse(inspect_refusal(inspection, actor))
    has_findings = inspection.findings.exists()
    errors = {}
    if conclusion not in Conclusion.values:
        errors["conclusion"] = _("Choose the conclusion.")
    elif conclusion == Conclusion.PROBLEMS_FOUND and not has_findings:
        errors["conclusion"] = _("Record the findings before concluding that problems were found.")
    elif conclusion == Conclusion.NO_PROBLEM and has_findings:
        errors["conclusion"] = _("Findings are recorded: the conclusion cannot be “no problem”.")
    if conclusion in (Conclusion.NOT_FOUND, Conclusion.REFUSED) and not (note or "").strip():
        errors["note"] = _("Say what happened.")
    if errors:
        raise ValidationError(errors)
    today = clock.today()
    inspection.state = InspectionState.CONCLUDED
    inspection.conclusion = conclusion
    inspection.conclusion_note = (note or "").strip()
    inspection.concluded_by = actor
    inspection.concluded_at = clock.now()
    inspection.publish_due = deadlines.publish_due(today)
    inspection.save(
        update_fields=[
            "state",
            "conclusion",
            "conclusion_note",
            "concluded_by",
            "concluded_at",
            "publish_due",
        ]
    )
    audit.record(
        actor,
        "supervision.inspection.conclude",
        inspection,
        {
            "state": [InspectionState.ASSIGNED, inspection.state],
            "conclusion": [None, conclusion],
            "publish_due": [None, inspection.publish_due],
        },
        agency=inspection.agency,
        province=inspection.plan.jurisdiction,
        audience=Audience.AGENCY,
    )
    return inspection


# --- Rectification orders (Art 25, 26) -------------------------------------------------


def _order_source(order: RectificationOrder):
    return order.inspection if order.inspection_id else order.visit


def _readers_of_order(order: RectificationOrder) -> list:
    if order.inspection_id:
        return inspectors_of(order.inspection)
    return [a.supervisor.user for a in order.visit.assignments.select_related("supervisor__user")]


@transaction.atomic
def issue_order(
    actor,
    *,
    inspection: Inspection | None = None,
    visit: QualityVisit | None = None,
    findings: Iterable[Finding],
    requirements: str,
    deadline: dt.date,
) -> RectificationOrder:
    """Art 25, 26: a rectification order (整改通知) on findings of an inspection (by one of its
    inspectors) or of an external supervisor's visit (by one of its supervisors), with a
    deadline the agency answers by."""
    if (inspection is None) == (visit is None):
        raise ValueError("an order is issued for an inspection or for a visit")
    if inspection is not None:
        source = _locked(inspection)
        access.require(actor, "supervision.inspections.order.issue", source)
        jurisdiction = source.plan.jurisdiction
    else:
        source = (
            QualityVisit.objects.select_for_update(of=("self",))
            .select_related("plan", "agency")
            .get(pk=visit.pk)
        )
        access.require(actor, "supervision.inspections.order.issue", source)
        jurisdiction = source.plan.jurisdiction
    picked = list(findings or ())
    ids = [f.pk for f in picked]
    own = source.findings.filter(pk__in=ids)
    errors = {}
    if not picked:
        errors["findings"] = _("Choose the findings the agency must put right.")
    elif own.count() != len(set(ids)):
        errors["findings"] = _("Choose findings of this inspection.")
    if not (requirements or "").strip():
        errors["requirements"] = _("Say what must be put right.")
    if deadline is None or deadline <= clock.today():
        errors["deadline"] = _("The deadline must be after today.")
    elif deadline > clock.today() + dt.timedelta(days=366):
        errors["deadline"] = _("The deadline must be within a year.")
    if errors:
        raise ValidationError(errors)
    order = RectificationOrder.objects.create(
        agency=source.agency,
        inspection=source if inspection is not None else None,
        visit=source if visit is not None else None,
        requirements=requirements.strip(),
        deadline=deadline,
        issued_by=actor,
        issued_at=clock.now(),
    )
    order.findings.set(own)
    audit.record(
        actor,
        "supervision.order.issue",
        order,
        {"deadline": [None, deadline], "findings": [0, len(ids)]},
        agency=source.agency,
        province=jurisdiction,
        audience=Audience.AGENCY,
    )
    return order


def _locked_order(order: RectificationOrder) -> RectificationOrder:
    return (
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("agency", "inspection__plan", "visit__plan")
        .get(pk=order.pk)
    )


def answer_refusal(order: RectificationOrder, actor=None) -> Refusal | None:
    if order.state != OrderState.OPEN:
        return Refusal(_("The order is not waiting for an answer."))
    return None


def decide_refusal(order: RectificationOrder, actor=None) -> Refusal | None:
    if order.state != OrderState.ANSWERED:
        return Refusal(_("The agency has not answered the order yet."))
    return None


@transaction.atomic
def answer_order(
    actor, order: RectificationOrder, *, answer: str, evidence: Iterable = ()
) -> RectificationOrder:
    """Art 25: the agency answers the order in its workspace: what it put right, with
    evidence."""
    order = _locked_order(order)
    access.require(actor, "supervision.inspections.order.answer", order)
    refuse(answer_refusal(order, actor))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Say what was put right.")})
    source = _order_source(order)
    docs = _store(
        actor,
        evidence,
        title=_("Rectification evidence of %(agency)s") % {"agency": order.agency.name},
        kind=ANSWER_KIND,
        subject=source,
        agency=order.agency,
        readers=_readers_of_order(order),
        field="evidence",
    )
    if docs:
        order.answer_documents.add(*docs)
    order.answer = answer.strip()
    order.state = OrderState.ANSWERED
    order.answered_by = actor
    order.answered_at = clock.now()
    order.save(update_fields=["answer", "state", "answered_by", "answered_at"])
    audit.record(
        actor,
        "supervision.order.answer",
        order,
        {"state": [OrderState.OPEN, order.state], "files": [0, len(docs)]},
        agency=order.agency,
        province=source.plan.jurisdiction,
        audience=Audience.AGENCY,
    )
    return order


@transaction.atomic
def accept_order(actor, order: RectificationOrder, *, note: str = "") -> RectificationOrder:
    """Art 25: the inspector (or the visit's supervisor) accepts the rectification."""
    order = _locked_order(order)
    access.require(actor, "supervision.inspections.order.decide", order)
    refuse(decide_refusal(order, actor))
    order.state = OrderState.ACCEPTED
    order.decided_by = actor
    order.decided_at = clock.now()
    order.decision_note = (note or "").strip()
    order.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor,
        "supervision.order.accept",
        order,
        {"state": [OrderState.ANSWERED, order.state]},
        agency=order.agency,
        province=_order_source(order).plan.jurisdiction,
        audience=Audience.AGENCY,
    )
    return order


@transaction.atomic
def reopen_order(
    actor, order: RectificationOrder, *, reason: str, deadline: dt.date
) -> RectificationOrder:
    """Art 25: the answer does not put things right: the order is open again, with the
    reason and a new deadline."""
    order = _locked_order(order)
    access.require(actor, "supervision.inspections.order.decide", order)
    refuse(decide_refusal(order, actor))
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Say what is still wrong.")
    if deadline is None or deadline <= clock.today():
        errors["deadline"] = _("The deadline must be after today.")
    elif deadline > clock.today() + dt.timedelta(days=366):
        errors["deadline"] = _("The deadline must be within a year.")
    if errors:
        raise ValidationError(errors)
    old = order.deadline
    order.state = OrderState.OPEN
    order.decided_by = actor
    order.decided_at = clock.now()
    order.decision_note = reason.strip()
    order.deadline = deadline
    order.reopened += 1
    order.save(
        update_fields=["state", "decided_by", "decided_at", "decision_note", "deadline", "reopened"]
    )
    audit.record(
        actor,
        "supervision.order.reopen",
        order,
        {
            "state": [OrderState.ANSWERED, order.state],
            "deadline": [old, deadline],
            "reason": [None, order.decision_note],
        },
        agency=order.agency,
        province=_order_source(order).plan.jurisdiction,
        audience=Audience.AGENCY,
    )
    return order


def is_overdue(order: RectificationOrder) -> bool:
    return order.state != OrderState.ACCEPTED and order.deadline < clock.today()


# --- Follow-ups of serious findings (Art 27) ------------------------------------------------------


def follow_up_refusal(inspection: Inspection, actor=None) -> Refusal | None:
    if not inspection.findings.filter(severity=Severity.SERIOUS).exists():
        return Refusal(_("Only a serious finding leads to a suspension, removal or revocation."))
    return None


@transaction.atomic
def start_follow_up(
    official,
    inspection: Inspection,
    *,
    kind: str,
    reason: str,
    password: str = "",
    legal_basis: str = "",
    until: dt.date | None = None,
    follow_up_plan: str = "",
    certificate=None,
) -> FollowUp:
    """Art 27: on a serious finding an official of the plan's jurisdiction suspends or
    removes the agency (``agencies.services.suspend_agency`` / ``remove_agency``, which ask
    the password and check the filing authority) or revokes one of its certificates
    (``certificates.services.revoke_certificate``); the follow-up links the inspection to
    what followed."""
    from agencies import services as agencies
    from certificates import services as certificates

    inspection = _locked(inspection)
    access.require(official, "supervision.inspections.follow_up", inspection)
    refuse(follow_up_refusal(inspection, official))
    if kind not in FollowUpKind.values:
        raise ValidationError({"kind": _("Choose what follows.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    reason = reason.strip()
    if kind == FollowUpKind.SUSPENSION:
        done = agencies.suspend_agency(
            official,
            inspection.agency,
            reason=reason,
            legal_basis=legal_basis,
            until=until or clock.today(),
            password=password,
        )
    elif kind == FollowUpKind.REMOVAL:
        done = agencies.remove_agency(
            official,
            inspection.agency,
            reason=reason,
            legal_basis=legal_basis,
            follow_up_plan=follow_up_plan,
            password=password,
        )
    else:
        if certificate is None or certificate.agency_id != inspection.agency_id:
            raise ValidationError({"certificate": _("Choose a certificate of this agency.")})
        if not official.check_password(password or ""):
            raise ValidationError({"password": _("The password is wrong.")})
        done = certificates.revoke_certificate(official, certificate, reason=reason)
    follow_up = FollowUp.objects.create(
        inspection=inspection,
        kind=kind,
        target=f"{done._meta.label_lower}:{done.pk}",
        note=reason,
        started_by=official,
        started_at=clock.now(),
    )
    audit.record(
        official,
        "supervision.inspection.follow_up",
        inspection,
        {"kind": [None, kind], "target": [None, follow_up.target]},
        agency=inspection.agency,
        province=inspection.plan.jurisdiction,
        audience=Audience.AGENCY,
    )
    return follow_up
