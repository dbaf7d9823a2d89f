"""Pages of the inspections stage (Art 25, 27). Inspectors: their assigned inspections, the
records opened for review, records, findings, conclusion and rectification orders. Officials
of the jurisdiction: every inspection of their plans, and follow-ups of serious findings. The
agency: its own inspections' findings and the orders it answers. Thin views: every change
goes through ``supervision.services.inspections``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import access, clock
from portal.ui.confirm import confirm_page, is_confirmed, password_error, posted_password
from portal.ui.helpers import apply_errors, crumbs, form_action, loads
from supervision.forms.inspections import (
    AcceptForm,
    AnswerForm,
    ConclusionForm,
    FindingForm,
    FollowUpForm,
    OrderForm,
    RecordForm,
    ReopenForm,
)
from supervision.models import Conclusion, FollowUpKind, OrderState, Severity
from supervision.queries import inspections as queries
from supervision.services import inspections as services

PER_PAGE = 50
READ = "supervision.inspections.read"
INSPECT = "supervision.inspections.inspect"


def _list_crumb():
    return (_("Spot-check inspections"), reverse("supervision:inspections"))


def _page_crumb(inspection):
    return (inspection.agency.name, reverse("supervision:inspection", args=[inspection.pk]))


def inspections(request):
    rows = queries.inspections_for(request.user).order_by("-plan__period_start", "plan", "position")
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        late = queries.overdue_orders_for(request.user).values("inspection_id")
        rows = rows.filter(pk__in=late)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "overdue": overdue,
        "breadcrumbs": crumbs(_("Spot-check inspections")),
    }
    return render(request, "supervision/inspections/list.html", context)


def _review_links(request, inspection) -> dict:
    """The records opened for review that this user can open (read-only pages)."""
    user = request.user
    sessions = [
        s
        for s in services.sessions_for_review(inspection)
        if access.can(user, "assessments.session.read", s)
    ]
    return {
        "sessions": sessions,
        "archives": access.can(user, "assessments.session.queue"),
        "certificates": access.can(user, "certificates.registry", inspection),
    }


@loads(queries.inspections_for_request, READ, as_="inspection")
def inspection(request, inspection):
    user = request.user
    can_inspect = access.can(user, INSPECT, inspection)
    findings = list(queries.findings_of(inspection))
    orders = list(inspection.orders.prefetch_related("findings").order_by("-issued_at"))
    for order in orders:
        order.overdue = services.is_overdue(order)
    context = {
        "inspection": inspection,
        "assignments": inspection.assignments.select_related("inspector__user"),
        "check_items": inspection.plan.check_items.order_by("code"),
        "records": inspection.records.prefetch_related("documents").select_related("recorded_by"),
        "findings": findings,
        "orders": orders,
        "follow_ups": _follow_ups(request, inspection),
        "review": _review_links(request, inspection),
        "can_inspect": can_inspect,
        "inspect_refusal": services.inspect_refusal(inspection, user),
        "can_order": can_inspect and any(True for _f in findings),
        "can_follow_up": access.can(user, "supervision.inspections.follow_up", inspection)
        and any(f.severity == Severity.SERIOUS for f in findings),
        "breadcrumbs": crumbs(_list_crumb(), inspection.agency.name),
    }
    return render(request, "supervision/inspections/inspection.html", context)


def _follow_ups(request, inspection) -> list:
    """What followed, each with a link to it where the user may open it: the certificate's
    public page, or the agency's page with its sanctions."""
    from certificates import queries as certificates

    rows = list(inspection.follow_ups.select_related("started_by"))
    for row in rows:
        label, _sep, pk = row.target.partition(":")
        row.link, row.link_text = "", row.target
        if label == "certificates.certificate":
            cert = certificates.certificates_of_agency(inspection.agency).filter(pk=pk).first()
            if cert is not None:
                row.link = reverse("certificates:public", args=[cert.token])
                row.link_text = cert.number
        elif label == "agencies.sanction" and access.can(
            request.user, "agencies.agency.sanction", inspection.agency
        ):
            row.link = reverse("agencies:listed_agency", args=[inspection.agency_id])
            row.link_text = _("The agency's sanctions")
    return rows


def _form_page(request, inspection, form, title, template="supervision/inspections/form.html"):
    context = {
        "inspection": inspection,
        "form": form,
        "title": title,
        "refusal": services.inspect_refusal(inspection, request.user),
        "breadcrumbs": crumbs(_list_crumb(), _page_crumb(inspection), title),
    }
    return render(request, template, context)


def _record(request, inspection, form, service, message, title):
    """A form that adds to the inspection (a record, a finding): saved, then back to it."""
    back = reverse("supervision:inspection", args=[inspection.pk])
    act = lambda data: service(request.user, inspection, **data)  # noqa: E731
    if done := form_action(request, form, act, success_url=back, message=message):
        return done
    return _form_page(request, inspection, form, title)


@loads(queries.inspections_for_request, INSPECT, as_="inspection")
def record_new(request, inspection):
    form = RecordForm(
        request.POST or None, request.FILES or None, initial={"visited_on": clock.today()}
    )
    return _record(request, inspection, form, services.record_visit, _("The record was saved."),
                   _("Record a review or visit"))  # fmt: skip


@loads(queries.inspections_for_request, INSPECT, as_="inspection")
def finding_new(request, inspection):
    form = FindingForm(request.POST or None, inspection=inspection)
    return _record(request, inspection, form, services.add_finding,
                   _("The finding was recorded."), _("Record a finding"))  # fmt: skip


@loads(queries.inspections_for_request, INSPECT, as_="inspection")
def conclude(request, inspection):
    """The conclusion is final: the form, then a confirmation step (decision 0026)."""
    form = ConclusionForm(request.POST or None)
    back = reverse("supervision:inspection", args=[inspection.pk])
    if request.method == "POST" and form.is_valid() and request.POST.get("revise") != "1":
        if not is_confirmed(request):
            label = Conclusion(form.cleaned_data["conclusion"]).label
            return confirm_page(
                request,
                title=_("Conclude the inspection"),
                subject=inspection.agency.name,
                points=[
                    _("Conclusion: %(c)s.") % {"c": label},
                    _("Nothing more can be recorded afterwards."),
                    _("The result is then published within the working days the rules set."),
                ],
                confirm_label=_("Conclude"),
                back_url=back,
                breadcrumbs=crumbs(_list_crumb(), _page_crumb(inspection), _("Conclude")),
            )
        try:
            services.conclude_inspection(request.user, inspection, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The inspection was concluded."))
            return redirect(back)
    return _form_page(request, inspection, form, _("Conclude the inspection"))


@loads(queries.inspections_for_request, "supervision.inspections.order.issue", as_="inspection")
def order_new(request, inspection):
    form = OrderForm(request.POST or None, findings=inspection.findings.all())
    if done := form_action(
        request,
        form,
        lambda data: services.issue_order(
            request.user,
            inspection=inspection,
            findings=data["findings"],
            requirements=data["requirements"],
            deadline=data["deadline"],
        ),
        success_url=lambda order: reverse("supervision:order", args=[order.pk]),
        message=_("The rectification order was issued to the agency."),
    ):
        return done
    context = {
        "inspection": inspection,
        "form": form,
        "title": _("Issue a rectification order"),
        "refusal": None,
        "breadcrumbs": crumbs(
            _list_crumb(), _page_crumb(inspection), _("Issue a rectification order")
        ),
    }
    return render(request, "supervision/inspections/form.html", context)


@loads(queries.orders_for_request, "supervision.inspections.order.read", as_="order")
def order(request, order):
    """An order for its issuers and officials; the issuers accept or reopen an answer."""
    can_decide = access.can(request.user, "supervision.inspections.order.decide", order)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and not can_decide:
        raise PermissionDenied("supervision.inspections.order.decide")
    if request.method == "POST" and action not in ("accept", "reopen"):
        raise Http404
    accept = AcceptForm(request.POST if action == "accept" else None, prefix="accept")
    reopen = ReopenForm(request.POST if action == "reopen" else None, prefix="reopen")
    here = reverse("supervision:order", args=[order.pk])
    if action == "accept" and (
        done := form_action(
            request,
            accept,
            lambda data: services.accept_order(request.user, order, **data),
            success_url=here,
            message=_("The rectification was accepted."),
        )
    ):
        return done
    if action == "reopen" and (
        done := form_action(
            request,
            reopen,
            lambda data: services.reopen_order(request.user, order, **data),
            success_url=here,
            message=_("The order was reopened with a new deadline."),
        )
    ):
        return done
    source = order.inspection or order.visit
    trail = [_list_crumb()]
    if order.inspection_id:
        trail.append(_page_crumb(order.inspection))
    context = {
        "order": order,
        "source": source,
        "findings": order.findings.select_related("check_item"),
        "overdue": services.is_overdue(order),
        "can_decide": can_decide,
        "decide_refusal": services.decide_refusal(order, request.user),
        "accept_form": accept,
        "reopen_form": reopen,
        "breadcrumbs": crumbs(*trail, _("Rectification order")),
    }
    return render(request, "supervision/inspections/order.html", context)


def _certificate_of(inspection, number: str):
    from certificates import queries as certificates

    number = (number or "").strip().upper()
    if not number:
        return None
    return certificates.certificates_of_agency(inspection.agency).filter(number=number).first()


@loads(queries.inspections_for_request, "supervision.inspections.follow_up", as_="inspection")
def follow_up(request, inspection):
    """A follow-up of a serious finding: the form, then the password (decision 0026)."""
    form = FollowUpForm(request.POST or None)
    back = reverse("supervision:inspection", args=[inspection.pk])
    refusal = services.follow_up_refusal(inspection, request.user)
    title = _("Start a follow-up")
    if request.method == "POST" and form.is_valid() and request.POST.get("revise") != "1":
        data = dict(form.cleaned_data)
        number = data.pop("certificate")
        certificate = _certificate_of(inspection, number)
        if data["kind"] == FollowUpKind.REVOCATION and certificate is None:
            form.add_error("certificate", _("No certificate of this agency has this number."))
        elif not refusal:
            restated = {
                "title": title,
                "subject": inspection.agency.name,
                "points": [
                    FollowUpKind(data["kind"]).label,
                    certificate.number if certificate else "",
                    _("Reason: %(r)s") % {"r": data["reason"]},
                ],
                "warning": _("This is final and public."),
                "confirm_label": _("Confirm"),
                "back_url": back,
                "breadcrumbs": crumbs(_list_crumb(), _page_crumb(inspection), title),
            }
            if not is_confirmed(request):
                return confirm_page(request, ask_password=True, **restated)
            try:
                services.start_follow_up(
                    request.user,
                    inspection,
                    certificate=certificate,
                    password=posted_password(request),
                    **data,
                )
            except ValidationError as exc:
                if (wrong := password_error(exc)) is not None:
                    return confirm_page(
                        request, ask_password=True, password_error=wrong, **restated
                    )
                apply_errors(form, exc)
            else:
                messages.success(request, _("The follow-up was started."))
                return redirect(back)
    context = {
        "inspection": inspection,
        "form": form,
        "title": title,
        "refusal": refusal,
        "breadcrumbs": crumbs(_list_crumb(), _page_crumb(inspection), title),
    }
    return render(request, "supervision/inspections/form.html", context)


# --- The agency ---------------------------------------------------------------------------------


def agency_orders(request, agency_id: int):
    orders = list(queries.orders_of_agency(request.agency).order_by("-issued_at"))
    for row in orders:
        row.overdue = services.is_overdue(row)
    context = {
        "orders": orders,
        "inspections": queries.inspections_of_agency(request.agency),
        "breadcrumbs": crumbs(_("Inspections and rectification")),
    }
    return render(request, "supervision/inspections/agency_orders.html", context)


@loads(queries.order_of_agency, as_="order")
def agency_order(request, agency_id: int, order):
    form = AnswerForm(request.POST or None, request.FILES or None)
    here = reverse("supervision:agency_order", args=[agency_id, order.pk])
    if done := form_action(
        request,
        form,
        lambda data: services.answer_order(request.user, order, **data),
        success_url=here,
        message=_("Your answer was sent to the inspectors."),
    ):
        return done
    context = {
        "order": order,
        "form": form,
        "findings": order.findings.select_related("check_item"),
        "overdue": services.is_overdue(order),
        "refusal": services.answer_refusal(order, request.user),
        "answering": order.state == OrderState.OPEN,
        "breadcrumbs": crumbs(
            (
                _("Inspections and rectification"),
                reverse("supervision:agency_orders", args=[agency_id]),
            ),
            _("Rectification order"),
        ),
    }
    return render(request, "supervision/inspections/agency_order.html", context)
