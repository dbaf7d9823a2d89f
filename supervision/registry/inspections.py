"""Registrations of the inspections stage of supervision (Art 25, 27): access rules, audit
sentences, links from the audit trail, menu entries, dashboard panels, and the receiver of
``plan_drawn`` that opens the drawn agencies' records to their inspectors."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import access, audit
from portal.access import (
    agency_role,
    any_of,
    assigned,
    authority_role,
    in_jurisdiction,
    register_action,
)
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import PanelLink, Todo, register_panel, todo_panel

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL)
GRANT = "inspect_inspection"
VISIT_GRANT = "supervise_qualityvisit"


def _source_of(obj):
    """The inspection or visit an order (or the object itself) belongs to."""
    from supervision.models import RectificationOrder

    if isinstance(obj, RectificationOrder):
        return obj.inspection if obj.inspection_id else obj.visit
    return obj


def _assigned_to_source(user, obj=None) -> bool:
    """An inspector drawn for the inspection, or an external supervisor sent to the visit."""
    from supervision.models import Inspection, QualityVisit

    source = _source_of(obj)
    if isinstance(source, Inspection):
        return assigned(GRANT)(user, source)
    if isinstance(source, QualityVisit):
        return assigned(VISIT_GRANT)(user, source)
    return False


def _official_of_source(user, obj=None) -> bool:
    return obj is not None and in_jurisdiction(*OFFICIALS)(user, _source_of(obj))


def register() -> None:
    from supervision.services import inspections
    from supervision.signals import plan_drawn

    plan_drawn.connect(inspections.on_plan_drawn, dispatch_uid="supervision.inspections.drawn")
    register_action(
        "supervision.inspections.list",
        any_of(authority_role(R.INSPECTOR), in_jurisdiction(*OFFICIALS)),
        "Open the spot-check inspections: inspectors their own, officials their jurisdiction's",
    )
    register_action(
        "supervision.inspections.read",
        any_of(assigned(GRANT), in_jurisdiction(*OFFICIALS)),
        "Read an inspection: its inspectors and officials of the plan's jurisdiction (Art 25)",
    )
    register_action(
        "supervision.inspections.inspect",
        assigned(GRANT),
        "Record, find and conclude: the inspectors drawn for the inspection (Art 25)",
    )
    register_action(
        "supervision.inspections.order.issue",
        _assigned_to_source,
        "Issue a rectification order: an inspector of the inspection or a supervisor of the "
        "visit (Art 25, 26)",
    )
    register_action(
        "supervision.inspections.order.decide",
        _assigned_to_source,
        "Accept or reopen the agency's answer to a rectification order (Art 25)",
    )
    register_action(
        "supervision.inspections.order.read",
        any_of(_assigned_to_source, _official_of_source, agency_role(A.ADMIN, A.STAFF)),
        "Read a rectification order: its issuers, officials, the agency",
    )
    register_action(
        "supervision.inspections.order.answer",
        agency_role(A.ADMIN, A.STAFF),
        "Answer a rectification order with evidence: the agency's admin and staff (Art 25)",
    )
    register_action(
        "supervision.inspections.follow_up",
        in_jurisdiction(*OFFICIALS),
        "Start a suspension, removal or revocation on a serious finding (Art 27)",
    )
    for action, label in {
        "supervision.inspection.record": _("recorded a document review or on-site visit"),
        "supervision.inspection.finding": _("recorded a finding of an inspection"),
        "supervision.inspection.conclude": _("concluded an inspection"),
        "supervision.inspection.follow_up": _("started a follow-up of an inspection"),
        "supervision.order.issue": _("issued a rectification order"),
        "supervision.order.answer": _("answered a rectification order"),
        "supervision.order.accept": _("accepted a rectification"),
        "supervision.order.reopen": _("reopened a rectification order"),
    }.items():
        audit.register_label(action, label)
    audit.display.register_change_labels(
        {"files": _("files"), "findings": _("findings"), "target": _("what followed")}
    )
    audit.register_object_url("supervision.inspection", _inspection_url)
    audit.register_object_url("supervision.rectificationorder", _order_url)
    navigation.register(
        "supervision_inspections",
        _("Spot-check inspections"),
        "supervision:inspections",
        area=navigation.WORKSPACE,
        order=360,
        roles={R.INSPECTOR, *OFFICIALS},
    )
    navigation.register(
        "supervision_agency_orders",
        _("Inspections and rectification"),
        "supervision:agency_orders",
        area=navigation.AGENCY,
        order=90,
        roles={"agency:admin", "agency:staff"},
    )
    register_panel("supervision.inspections.overdue", set(OFFICIALS), _overdue_panel)
    register_panel("supervision.inspections.inspector", {R.INSPECTOR}, _inspector_panel)
    register_panel(
        "supervision.inspections.agency", {"agency:admin", "agency:staff"}, _agency_panel
    )


def _inspection_url(user, object_id: str) -> str | None:
    from supervision.models import Inspection

    found = Inspection.objects.filter(pk=object_id).first()
    if found is None or not access.can(user, "supervision.inspections.read", found):
        return None
    return reverse("supervision:inspection", args=[found.pk])


def _order_url(user, object_id: str) -> str | None:
    from supervision.models import RectificationOrder

    found = RectificationOrder.objects.filter(pk=object_id).first()
    if found is None:
        return None
    if _assigned_to_source(user, found) or _official_of_source(user, found):
        return reverse("supervision:order", args=[found.pk])
    if agency_role(A.ADMIN, A.STAFF)(user, found):
        return reverse("supervision:agency_order", args=[found.agency_id, found.pk])
    return None


def _overdue_panel(request):
    """Officials: rectification orders past their deadline and not accepted (Art 25)."""
    from supervision.queries import inspections as queries

    if not access.can(request.user, "supervision.inspections.list"):
        return None
    rows = list(
        queries.overdue_orders_for(request.user)
        .order_by("deadline")
        .values_list("issued_at", "deadline")
    )
    url = reverse("supervision:inspections")
    return todo_panel(
        _("Rectification orders"),
        todos=[
            Todo(
                len(rows),
                ngettext(
                    "%(n)d rectification order is overdue",
                    "%(n)d rectification orders are overdue",
                    len(rows),
                )
                % {"n": len(rows)},
                f"{url}?overdue=1",
                oldest=min((r[0] for r in rows), default=None),
                due_on=min((r[1] for r in rows), default=None),
                working_days=False,
            )
        ],
        text=_("Agencies that have not put right the findings of spot checks by the deadline."),
        links=[PanelLink(_("Open the inspections"), url)],
        order=60,
    )


def _inspector_panel(request):
    """Inspectors: inspections to carry out and answers to review."""
    from supervision.queries import inspections as queries

    waiting = queries.waiting_for_inspector(request.user)
    inspections = list(
        waiting["inspections"].order_by("created_at").values_list("created_at", "review_until")
    )
    answers = list(waiting["answers"].order_by("answered_at").values_list("answered_at", flat=True))
    url = reverse("supervision:inspections")
    return todo_panel(
        _("Spot-check inspections"),
        todos=[
            Todo(
                len(inspections),
                ngettext(
                    "%(n)d inspection waits for you",
                    "%(n)d inspections wait for you",
                    len(inspections),
                )
                % {"n": len(inspections)},
                url,
                oldest=min((r[0] for r in inspections), default=None),
                due_on=min((r[1] for r in inspections), default=None),
                working_days=False,
            ),
            Todo(
                len(answers),
                ngettext(
                    "%(n)d answer to a rectification order awaits your review",
                    "%(n)d answers to rectification orders await your review",
                    len(answers),
                )
                % {"n": len(answers)},
                url,
                oldest=answers[0] if answers else None,
                working_days=False,
            ),
        ],
        text=_("The inspections you were drawn for (Art 25)."),
        links=[PanelLink(_("Open my inspections"), url)],
        order=30,
    )


def _agency_panel(request):
    """The agency: rectification orders waiting for its answer (None when there is none)."""
    from supervision.queries import inspections as queries

    agency = getattr(request, "agency", None)
    if agency is None:
        return None
    rows = list(
        queries.waiting_for_agency(agency).order_by("deadline").values_list("issued_at", "deadline")
    )
    if not rows:
        return None
    url = reverse("supervision:agency_orders", args=[agency.pk])
    return todo_panel(
        _("Rectification orders"),
        todos=[
            Todo(
                len(rows),
                ngettext(
                    "%(n)d rectification order waits for your answer",
                    "%(n)d rectification orders wait for your answer",
                    len(rows),
                )
                % {"n": len(rows)},
                url,
                oldest=min(r[0] for r in rows),
                due_on=min(r[1] for r in rows),
                working_days=False,
            )
        ],
        text=_("Put right what the spot check found and answer with evidence by the deadline."),
        links=[PanelLink(_("Open the rectification orders"), url)],
        order=20,
    )
