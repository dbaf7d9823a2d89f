"""Pages of assessment sessions (Art 17–18): the agency plans, files, answers and cancels; the
officials of the site's province (national: all) look through filed plans, ask a question or
stop one; workers search ``/sessions/``. Thin views: every change goes through
``assessments.services.sessions``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agencies import queries as agency_queries
from assessments import queries, services
from assessments.forms.sessions import (
    SITTING_INITIAL,
    AnswerForm,
    PlanFilterForm,
    PublicSearchForm,
    QuestionForm,
    ReasonForm,
    SessionForm,
    SittingFormSet,
)
from assessments.models import AssessmentSession, SessionStatus
from assessments.services.sessions import latest_filing_day, lead_days
from catalog.models import Occupation
from portal import clock, pagecache
from portal.templatetags.portal_tags import cndate_day
from portal.ui.confirm import confirm_page, is_confirmed, is_revising
from portal.ui.helpers import apply_errors, button_action, crumbs, loads
from portal.ui.tracker import STOPPED, Step, progress

PER_PAGE = 30


def _own(request):
    return queries.sessions_of_agency(request.agency)


def _list_crumb(agency_id: int):
    return (_("Assessment sessions"), reverse("assessments:sessions", args=[agency_id]))


def _tracker(session: AssessmentSession) -> list[Step]:
    """The states of the session for ``{% process_tracker %}``: draft, filed, registration
    open, registration closed; a stopped or cancelled plan ends where it stood."""
    labels = [
        _("Draft"),
        _("Filed with the authority"),
        _("Registration open"),
        _("Registration closed"),
        _("Results on notice"),
        _("Results final"),
        pgettext("session status", "Archived"),
    ]
    order = [SessionStatus.DRAFT, SessionStatus.FILED, SessionStatus.OPEN, SessionStatus.CLOSED]
    reached = {0: (session.created_at, "")}
    if session.filed_at:
        reached[1] = (session.filed_at, "")
    reached[2] = (None, "")
    # After the sittings (Art 20, 21) the stage follows the results and the archive.
    if session.results_published_at:
        reached[4] = (session.results_published_at, "")
    if session.results_final_at:
        reached[5] = (session.results_final_at, "")
    if session.archived_at:
        reached[6] = (session.archived_at, "")
    if session.status in (SessionStatus.STOPPED, SessionStatus.CANCELLED):
        current = 1 if session.filed_at else 0
        steps = progress(labels, reached, current + 1)
        steps = steps[: current + 1] + [
            Step(session.get_status_display(), STOPPED, session.ended_at, note=session.end_reason)
        ]
        return steps
    if session.status == SessionStatus.ARCHIVED:
        current = 6
    elif session.status == SessionStatus.CLOSED and session.results_final_at:
        current = 5
    elif session.status == SessionStatus.CLOSED and session.results_published_at:
        current = 4
    else:
        current = order.index(session.status)
    steps = progress(labels, reached, current)
    if session.status == SessionStatus.FILED:
        steps[2].note = (
            _("waits for the agency's answer")
            if session.awaiting_answer
            else _("opens on %(date)s") % {"date": cndate_day(session.registration_opens)}
        )
    if session.status == SessionStatus.OPEN:
        steps[2].until = session.registration_closes
    return steps


def sessions(request, agency_id: int):
    status = request.GET.get("status", "")
    found = _own(request)
    if status in SessionStatus.values:
        found = found.filter(status=status)
    context = {
        "sessions": found,
        "status": status,
        "statuses": SessionStatus.choices,
        "lead_days": lead_days(),
        "breadcrumbs": crumbs(_("Assessment sessions")),
    }
    return render(request, "assessments/sessions/sessions.html", context)


def _scope_occupations(agency):
    entry = agency_queries.directory_entries().filter(agency=agency).first()
    codes = {item.occupation_id for item in agency_queries.approved_scope(entry)}
    return Occupation.objects.filter(pk__in=codes).order_by("code")


def session_new(request, agency_id: int):
    agency = request.agency
    venues = queries.verified_venues(agency)
    form = SessionForm(request.POST or None, venues=venues, occupations=_scope_occupations(agency))
    rooms = queries.bookable_rooms(agency)
    sittings = SittingFormSet(
        request.POST or None, prefix="sittings", rooms=rooms, initial=SITTING_INITIAL
    )
    if request.method == "POST" and (form.is_valid() & sittings.is_valid()):
        try:
            session = services.plan_session(
                request.user, agency, sittings=sittings.sittings(), **form.service_fields()
            )
        except ValidationError as exc:
            sittings.problems = [m for e in exc.error_dict.pop("sittings", []) for m in e.messages]
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The session is planned as a draft: check it, then file it.")
            )
            return redirect("assessments:session", agency_id, session.pk)
    title = _("Plan an assessment session")
    context = {
        "form": form,
        "sittings": sittings,
        "title": title,
        "lead_days": lead_days(),
        "no_venue": not venues.exists(),
        "breadcrumbs": crumbs(_list_crumb(agency_id), title),
    }
    return render(request, "assessments/sessions/session_form.html", context)


def _detail_context(session: AssessmentSession) -> dict:
    return {
        "session": session,
        "sittings": queries.sittings_of(session),
        "questions": list(session.questions.select_related("asked_by", "answered_by")),
        "tracker": _tracker(session),
        "latest_filing": (
            latest_filing_day(session.first_sitting_on) if session.first_sitting_on else None
        ),
        "lead_days": lead_days(),
        "registration_open": session.registration_open_on(clock.today()),
    }


def _confirm(request, session, *, title, points, label, back):
    return confirm_page(
        request, title=title, subject=str(session), points=points, confirm_label=label,
        back_url=back,
    )  # fmt: skip


def _ending(request, session, form, *, refusal, service, title, points, done, url):
    """Cancel or stop with a reason: the confirmation page that restates it first (decision
    0026), then the service; a response, or None to show the page with the form's errors."""
    if not form.is_valid() or is_revising(request):
        return None
    reason = form.cleaned_data["reason"]
    if not is_confirmed(request):
        if refused := refusal(session, request.user):
            form.add_error(None, refused)
            return None
        return _confirm(request, session, title=title, points=points(reason), label=title, back=url)
    try:
        service(request.user, session, reason=reason)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, done)
    return redirect(url)


@loads(_own, as_="session")
def session(request, agency_id: int, session: AssessmentSession):
    url = reverse("assessments:session", args=[agency_id, session.pk])
    answer, cancel = AnswerForm(prefix="a"), ReasonForm(prefix="c")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "file":
            if not is_confirmed(request):
                if refusal := services.filing_refusal(session, request.user):
                    messages.error(request, refusal)
                    return redirect(url)
                return _confirm(request, session, title=_("File the plan"), points=[
                    _("The plan is filed with the authority of %(province)s (Art 18): it is not "
                      "approved, the authority may ask a question or stop it.")
                    % {"province": session.site.province.name},
                    _("Registration opens on its own on %(date)s.")
                    % {"date": cndate_day(session.registration_opens)},
                    _("The sittings can no longer be changed; cancel the plan to change them."),
                ], label=_("File the plan"), back=url)  # fmt: skip
            return button_action(
                request,
                lambda: services.file_session(request.user, session),
                success_url=url,
                message=_("The plan is filed with the authority."),
            )
        if action == "answer":
            answer = AnswerForm(request.POST, prefix="a")
            if answer.is_valid():
                try:
                    services.answer_question(
                        request.user, session, answer=answer.cleaned_data["answer"]
                    )
                except ValidationError as exc:
                    apply_errors(answer, exc)
                else:
                    messages.success(request, _("Your answer is sent to the authority."))
                    return redirect(url)
        elif action == "cancel":
            cancel = ReasonForm(request.POST, prefix="c")
            response = _ending(
                request, session, cancel, refusal=services.cancel_refusal,
                service=services.cancel_session, title=_("Cancel the session"),
                points=lambda reason: [
                    _("The session is cancelled for good: %(reason)s") % {"reason": reason},
                    _("Candidates known by e-mail are told."),
                ],
                done=_("The session is cancelled."), url=url,
            )  # fmt: skip
            if response is not None:
                return response
        else:
            raise Http404
    context = _detail_context(session)
    context.update(
        answer_form=answer,
        cancel_form=cancel,
        filing_refusal=services.filing_refusal(session, request.user),
        answer_refusal=services.answer_refusal(session, request.user),
        cancel_refusal=services.cancel_refusal(session, request.user),
        breadcrumbs=crumbs(_list_crumb(agency_id), str(session)),
    )
    return render(request, "assessments/sessions/session.html", context)


# --- Officials ---------------------------------------------------------------------------------


def plans(request):
    filters = PlanFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    found = queries.plans_for_official(request.user)
    if q := data.get("q"):
        found = found.filter(Q(agency__name__icontains=q) | Q(agency__uscc__iexact=q))
    if occupation := data.get("occupation"):
        found = found.filter(
            Q(occupation__name__icontains=occupation) | Q(occupation__code=occupation)
        )
    if data.get("level"):
        found = found.filter(level=data["level"])
    status = data.get("status")
    if status == "asked":
        found = found.filter(awaiting_answer=True)
    elif status in SessionStatus.values:
        found = found.filter(status=status)
    if data.get("sits_from"):
        found = found.filter(last_sitting_on__gte=data["sits_from"])
    if data.get("sits_until"):
        found = found.filter(first_sitting_on__lte=data["sits_until"])
    page = Paginator(found.order_by("first_sitting_on", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"filters": filters, "page": page, "breadcrumbs": crumbs(_("Filed assessment plans"))}
    return render(request, "assessments/sessions/plans.html", context)


def _officials(request):
    return queries.plans_for_official(request.user)


@loads(_officials, "assessments.session.view", as_="session",
       post_action="assessments.session.review")  # fmt: skip
def plan(request, session: AssessmentSession):
    url = reverse("assessments:plan", args=[session.pk])
    question, stop = QuestionForm(prefix="q"), ReasonForm(prefix="s")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "ask":
            question = QuestionForm(request.POST, prefix="q")
            if question.is_valid():
                try:
                    services.ask_question(request.user, session, text=question.cleaned_data["text"])
                except ValidationError as exc:
                    apply_errors(question, exc)
                else:
                    messages.success(
                        request, _("The question is sent; registration waits for the answer.")
                    )
                    return redirect(url)
        elif action == "stop":
            stop = ReasonForm(request.POST, prefix="s")
            response = _ending(
                request, session, stop, refusal=services.stop_refusal,
                service=services.stop_session, title=_("Stop the plan"),
                points=lambda reason: [
                    _("The plan of %(agency)s is stopped: %(reason)s")
                    % {"agency": session.agency.name, "reason": reason},
                    _("Candidates known by e-mail are told; the agency sees the reason."),
                ],
                done=_("The plan is stopped."), url=url,
            )  # fmt: skip
            if response is not None:
                return response
        else:
            raise Http404
    context = _detail_context(session)
    context.update(
        question_form=question,
        stop_form=stop,
        question_refusal=services.question_refusal(session, request.user),
        stop_refusal=services.stop_refusal(session, request.user),
        breadcrumbs=crumbs(
            (_("Filed assessment plans"), reverse("assessments:plans")), str(session)
        ),
    )
    return render(request, "assessments/sessions/plan.html", context)


# --- Public ------------------------------------------------------------------------------------


def search_public(data: dict, on: dt.date | None = None):
    """The public search: province, city, occupation (name or code), level, month of sitting."""
    found = queries.public_sessions(on)
    if data.get("province"):
        found = found.filter(site__province_id=data["province"])
    if data.get("city"):
        found = found.filter(city__icontains=data["city"])
    if occupation := data.get("occupation"):
        found = found.filter(
            Q(occupation__name__icontains=occupation) | Q(occupation__code=occupation)
        )
    if data.get("level"):
        found = found.filter(level=data["level"])
    if month := data.get("month"):
        year, number = (int(part) for part in month.split("-"))
        start = dt.date(year, number, 1)
        end = dt.date(year + number // 12, number % 12 + 1, 1)
        found = found.filter(first_sitting_on__lt=end, last_sitting_on__gte=start)
    return found


def public_sessions(request):
    """Workers' search; on a cache hit (``{% publiccache %}``) no query runs for the content:
    the form, the search and the page are all lazy."""
    context = {
        **pagecache.lazy_context(lambda: _public_page(request), "filters", "page", "today"),
        "breadcrumbs": crumbs(_("Assessment sessions"), root=None),
    }
    return render(request, "assessments/sessions/public_sessions.html", context)


def _public_page(request) -> dict:
    filters = PublicSearchForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    page = Paginator(search_public(data), PER_PAGE).get_page(request.GET.get("page"))
    return {"filters": filters, "page": page, "today": clock.today()}


def public_session(request, pk: int):
    session = queries.public_sessions().filter(pk=pk).first()
    if session is None:
        raise Http404
    context = {
        "session": session,
        "sittings": queries.sittings_of(session),
        "registration_open": session.registration_open_on(clock.today()),
        "breadcrumbs": crumbs(
            str(session), root=(_("Assessment sessions"), reverse("assessments:public_sessions"))
        ),
    }
    return render(request, "assessments/sessions/public_session.html", context)
