"""Pages of the sitting (Art 18, 19): the agency allocates seats, issues and prints tickets and
decides incidents; the people assigned to a sitting check candidates in on a phone and record
incidents; the internal quality supervisor files the report; a worker downloads their own
tickets. Thin views: every change goes through ``assessments.services.sittings``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments import queries
from assessments.forms.sittings import (
    CodeForm,
    DecisionForm,
    IncidentForm,
    ReportForm,
    SeatRuleForm,
    TicketLookupForm,
)
from assessments.models import (
    AssessmentSession,
    Attendance,
    AttendanceStatus,
    EnrolmentStatus,
    Incident,
    Seat,
    SeatAllocation,
    Sitting,
    SupervisorReport,
    Ticket,
    TicketBatch,
)
from assessments.services import sittings as services
from portal import access
from portal.ui.confirm import confirm_page, is_confirmed
from portal.ui.helpers import apply_errors, button_action, crumbs, form_action, loads


def _own(request):
    return queries.sessions_of_agency(request.agency)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf(document, *, filename: str):
    if document is None or not document.is_ready or not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"), filename=filename, content_type="application/pdf"
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- the agency: seats, tickets, incidents ----------------------------------------------------


def _sitting_rows(session):
    rows = []
    for sitting in queries.sittings_of(session):
        allocation = SeatAllocation.objects.filter(sitting=sitting).first()
        counts = {
            "seats": Seat.objects.filter(sitting=sitting).count(),
            "present": Attendance.objects.filter(
                sitting=sitting, status=AttendanceStatus.PRESENT
            ).count(),
            "absent": Attendance.objects.filter(
                sitting=sitting, status=AttendanceStatus.ABSENT
            ).count(),
        }
        rows.append(
            {
                "sitting": sitting,
                "key": f"allocate-{sitting.pk}",
                "method": _method_label(sitting.method),
                "allocation": allocation,
                "rounds_used": max(
                    Seat.objects.filter(sitting=sitting).values_list("round", flat=True),
                    default=0,
                ),
                "refusal": services.allocation_refusal(sitting),
                **counts,
            }
        )
    return rows


def _method_label(method: str) -> str:
    from catalog.models import Method

    return Method(method).label if method in Method.values else method


@loads(_own, as_="session")
def sittings(request, agency_id: int, session: AssessmentSession):
    url = reverse("assessments:sittings", args=[agency_id, session.pk])
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "allocate":
            sitting = session.sittings.filter(pk=request.POST.get("sitting") or 0).first()
            form = SeatRuleForm(request.POST)
            if sitting is None or not form.is_valid():
                raise Http404
            return button_action(
                request,
                lambda: services.allocate_seats(
                    request.user, sitting, rule=form.cleaned_data["rule"]
                ),
                success_url=url,
                message=_("The seats are allocated."),
            )
        if action == "issue":
            return button_action(
                request,
                lambda: services.issue_tickets(request.user, session),
                success_url=url,
                message=lambda n: (
                    _("%(count)s tickets issued; the PDFs are being prepared.") % {"count": n}
                ),
            )
        raise Http404
    services.refresh_tickets(request.user, session)
    tickets = (
        Ticket.objects.filter(
            enrolment__session=session, enrolment__status=EnrolmentStatus.ENROLLED
        )
        .select_related("enrolment__candidate", "document")
        .order_by("enrolment__candidate__id_index")
    )
    incidents = (
        Incident.objects.filter(sitting__session=session)
        .select_related("sitting", "enrolment", "evidence")
        .order_by("reported_at")
    )
    return render(
        request,
        "assessments/sittings/sittings.html",
        {
            "session": session,
            "rows": _sitting_rows(session),
            "rule_form": SeatRuleForm(),
            "tickets": tickets,
            "batch": TicketBatch.objects.filter(session=session).select_related("document").first(),
            "issue_refusal": services.issue_refusal(session, request.user),
            "incidents": incidents,
            "report": SupervisorReport.objects.filter(session=session).first(),
            "breadcrumbs": crumbs(
                (_("Assessment sessions"), reverse("assessments:sessions", args=[agency_id])),
                (str(session), reverse("assessments:session", args=[agency_id, session.pk])),
                _("Seats, tickets and check-in"),
            ),
        },
    )


@loads(_own, as_="session")
def tickets_pdf(request, agency_id: int, session: AssessmentSession):
    batch = TicketBatch.objects.filter(session=session).select_related("document").first()
    return _pdf(batch.document if batch else None, filename=f"准考证-{session.pk}.pdf")


def _own_tickets(request):
    return Ticket.objects.filter(enrolment__session__agency=request.agency)


@loads(_own_tickets, kwarg="ticket", as_="ticket")
def ticket_pdf(request, agency_id: int, pk: int, ticket: Ticket):
    if ticket.enrolment.session_id != pk:
        raise Http404
    return _pdf(ticket.document, filename=f"准考证-{ticket.code}.pdf")


def _own_incidents(request):
    return Incident.objects.filter(sitting__session__agency=request.agency)


@loads(_own_incidents, kwarg="incident", as_="incident")
def incident(request, agency_id: int, pk: int, incident: Incident):
    session = incident.sitting.session
    if session.pk != pk:
        raise Http404
    url = reverse("assessments:sittings", args=[agency_id, pk])
    form = DecisionForm(request.POST or None)
    refusal = services.decision_refusal(incident, request.user)
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
        return redirect(url)
    if done := form_action(
        request,
        form,
        lambda data: services.decide_incident(
            request.user, incident, decision=data["decision"], reason=data["reason"]
        ),
        success_url=url,
        message=_("The incident is decided."),
    ):
        return done
    return render(
        request,
        "assessments/sittings/incident.html",
        {
            "incident": incident,
            "session": session,
            "form": form,
            "refusal": refusal,
            "breadcrumbs": crumbs((str(session), url), _("Incident")),
        },
    )


# --- the people assigned: check-in on a phone, incidents ----------------------------------------


def _acting_sitting(request, pk) -> Sitting:
    """The sitting, for agency admin/staff and the people assigned (declared); else 404."""
    sitting = (
        Sitting.objects.select_related("session__site", "session__agency", "room__venue")
        .filter(pk=pk)
        .first()
    )
    if sitting is None or not services.acts_on(request.user, sitting):
        raise Http404
    return sitting


def _checkin_url(sitting) -> str:
    return reverse("assessments:checkin", args=[sitting.pk])


def checkin(request, pk: int):
    sitting = _acting_sitting(request, pk)
    request.session["checkin_sitting"] = sitting.pk
    url = _checkin_url(sitting)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "code":
            if form.is_valid():
                code = services.normalise_code(form.cleaned_data["code"])
                return redirect("assessments:checkin_ticket", pk=sitting.pk, code=code or "-")
        elif action == "absent":
            if refusal := services.absentees_refusal(sitting, request.user):
                messages.error(request, refusal)
                return redirect(url)
            if not is_confirmed(request):
                count = services.absentees(sitting).count()
                return confirm_page(
                    request,
                    title=_("Mark the rest absent"),
                    subject=services.sitting_label(sitting),
                    points=[
                        _("%(count)s candidates not checked in are marked absent.")
                        % {"count": count},
                        _("An absent candidate fails the session with that reason; the mark "
                          "cannot be undone here."),
                    ],
                    confirm_label=_("Mark them absent"),
                    back_url=url,
                )  # fmt: skip
            return button_action(
                request,
                lambda: services.mark_absentees(request.user, sitting),
                success_url=url,
                message=lambda n: _("%(count)s candidates marked absent.") % {"count": n},
            )
        else:
            raise Http404
    hidden = services.conflicted_for(request.user, sitting)
    seats = (
        Seat.objects.filter(sitting=sitting, enrolment__status=EnrolmentStatus.ENROLLED)
        .exclude(enrolment_id__in=hidden)
        .select_related("enrolment")
        .order_by("round", "number")
    )
    marks = dict(Attendance.objects.filter(sitting=sitting).values_list("enrolment_id", "status"))
    rows = [{"seat": s, "status": marks.get(s.enrolment_id, "")} for s in seats]
    return _no_store(
        render(
            request,
            "assessments/sittings/checkin.html",
            {
                "sitting": sitting,
                "session": sitting.session,
                "form": form,
                "rows": rows,
                "present": sum(1 for r in rows if r["status"] == AttendanceStatus.PRESENT),
                "absent": sum(1 for r in rows if r["status"] == AttendanceStatus.ABSENT),
                "absent_refusal": services.absentees_refusal(sitting, request.user),
                "breadcrumbs": crumbs(services.sitting_label(sitting)),
            },
        )
    )


def checkin_ticket(request, pk: int, code: str):
    sitting = _acting_sitting(request, pk)
    url = _checkin_url(sitting)
    ticket = services.ticket_for_code(code)
    refusal = services.checkin_refusal(sitting, ticket, request.user)
    if request.method == "POST":
        if request.POST.get("action") != "present" or ticket is None:
            raise Http404
        return button_action(
            request,
            lambda: services.check_in(request.user, sitting, ticket),
            success_url=url,
            failure_url=reverse("assessments:checkin_ticket", args=[sitting.pk, ticket.code]),
            message=_("%(name)s is checked in.") % {"name": ticket.enrolment.real_name},
        )
    # What the invigilator may see: only a ticket of this session, and never a candidate they
    # declared a conflict with.
    shown = (
        ticket is not None
        and ticket.enrolment.session_id == sitting.session_id
        and ticket.enrolment_id not in services.conflicted_for(request.user, sitting)
    )
    seat = (
        Seat.objects.filter(sitting=sitting, enrolment_id=ticket.enrolment_id).first()
        if shown
        else None
    )
    return _no_store(
        render(
            request,
            "assessments/sittings/checkin_ticket.html",
            {
                "sitting": sitting,
                "ticket": ticket if shown else None,
                "code": services.format_code(services.normalise_code(code)),
                "seat": seat,
                "photo_uri": (services_photo(ticket.enrolment.photo) if shown else ""),
                "refusal": refusal,
                "breadcrumbs": crumbs((services.sitting_label(sitting), url), _("Check-in")),
            },
        )
    )


def services_photo(document) -> str:
    from assessments.services.ticket_pdf import photo_data_uri

    return photo_data_uri(document)


def checkin_scan(request, code: str):
    """What the ticket's QR opens (the phone's camera app): the check-in of this ticket at the
    sitting the invigilator has open, else at their sitting of the ticket's session (today's
    first); 404 for anyone who acts on neither. The page posts to the sitting's own URL."""
    if request.method != "GET":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET"])
    remembered = request.session.get("checkin_sitting")
    sitting = Sitting.objects.select_related("session").filter(pk=remembered or 0).first()
    if sitting is None or not services.acts_on(request.user, sitting):
        sitting = None
        ticket = services.ticket_for_code(code)
        if ticket is not None:
            from portal import clock

            mine = [
                s
                for s in Sitting.objects.filter(session=ticket.enrolment.session).order_by("date")
                if services.acts_on(request.user, s)
            ]
            today = [s for s in mine if s.date == clock.today()]
            sitting = (today or mine or [None])[0]
    if sitting is None:
        raise Http404
    return checkin_ticket(request, pk=sitting.pk, code=code)


def incident_new(request, pk: int):
    sitting = _acting_sitting(request, pk)
    url = _checkin_url(sitting)
    hidden = services.conflicted_for(request.user, sitting)
    candidates = [
        (s.enrolment_id, f"{s.label} {s.enrolment.real_name}")
        for s in Seat.objects.filter(sitting=sitting, enrolment__status=EnrolmentStatus.ENROLLED)
        .exclude(enrolment_id__in=hidden)
        .select_related("enrolment")
        .order_by("round", "number")
    ]
    refusal = services.incident_refusal(sitting, request.user)
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
        return redirect(url)
    form = IncidentForm(request.POST or None, request.FILES or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enrolment = sitting.session.enrolments.filter(pk=data["enrolment"]).first() if (
            data["enrolment"]
        ) else None  # fmt: skip
        try:
            services.record_incident(
                request.user,
                sitting,
                kind=data["kind"],
                description=data["description"],
                enrolment=enrolment,
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The incident is recorded; the agency decides it."))
            return redirect(url)
    return _no_store(
        render(
            request,
            "assessments/sittings/incident_new.html",
            {
                "sitting": sitting,
                "form": form,
                "refusal": refusal,
                "breadcrumbs": crumbs((services.sitting_label(sitting), url), _("Incident")),
            },
        )
    )


# --- the supervisor's report ---------------------------------------------------------------


def _readable_sessions(request):
    return access.visible(
        request.user, AssessmentSession.objects.all(), assigned_perm="view_assessmentsession"
    )


@loads(_readable_sessions, "assessments.session.read", as_="session")
def supervisor_report(request, session: AssessmentSession):
    url = reverse("assessments:supervisor_report", args=[session.pk])
    report = SupervisorReport.objects.filter(session=session).select_related("supervisor").first()
    refusal = services.report_refusal(session, request.user)
    may_file = services.supervisor_assignment(request.user, session) is not None
    form = ReportForm(request.POST or None) if may_file and report is None else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if refusal:
            messages.error(request, refusal)
            return redirect(url)
        if done := form_action(
            request,
            form,
            lambda data: services.file_supervisor_report(request.user, session, **data),
            success_url=url,
            message=_("The report is filed."),
        ):
            return done
    return render(
        request,
        "assessments/sittings/report.html",
        {
            "session": session,
            "report": report,
            "form": form,
            "refusal": refusal,
            "breadcrumbs": crumbs(str(session), _("Supervisor's report")),
        },
    )


# --- the worker: own tickets ---------------------------------------------------------------


@never_cache
def ticket_lookup(request):
    form = TicketLookupForm(request.POST or None, captcha_request=request)
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = [
            {
                "ticket": t,
                "session": t.enrolment.session,
                "token": services.ticket_link_token(t),
            }
            for t in services.tickets_of_worker(data["real_name"], data["id_type"],
                                                data["id_number"])
        ]  # fmt: skip
        for t in found:
            services.refresh_tickets(access.SYSTEM, t["session"])
        form = TicketLookupForm(captcha_request=request)
    return _no_store(
        render(
            request,
            "assessments/sittings/lookup.html",
            {
                "form": form,
                "found": found,
                "breadcrumbs": crumbs(_("Admission tickets"), root=None),
            },
        )
    )


@never_cache
def ticket_download(request, token: str):
    ticket = services.ticket_from_token(token)
    if ticket is None or ticket.enrolment.status != EnrolmentStatus.ENROLLED:
        raise Http404
    document = ticket.document
    if document is not None and not document.is_ready:
        return _no_store(
            render(request, "portal/document_pending.html", {"doc": document}, status=404)
        )
    return _pdf(document, filename=f"准考证-{ticket.code}.pdf")
