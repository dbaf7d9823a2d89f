"""Pages of assignment (Art 19): the agency's staffing of a session (who is where, how many are
still missing, add, remove, the group leader, the rounds of a skill sitting); the officials'
read-only view of it; each person's assignments across their agencies and their declaration
of conflicts. Thin views: every change goes through ``assessments.services.assignments``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import queries
from assessments.forms.assignments import AssignForm, DeclarationForm, RemovalForm, RoundsForm
from assessments.models import AssessmentSession, Assignment, AssignmentKind, Sitting
from assessments.services import assignments as services
from portal.ui.helpers import apply_errors, button_action, crumbs, loads


def _own(request):
    return queries.sessions_of_agency(request.agency)


def _url(session: AssessmentSession) -> str:
    return reverse("assessments:assignments", args=[session.agency_id, session.pk])


def _context(session: AssessmentSession) -> dict:
    needs = services.staffing(session)
    return {
        "session": session,
        "needs": needs,
        "missing_total": sum(n.missing for n in needs),
        "leaders_missing": sum(1 for n in needs if n.leader_missing),
        "assignments": list(queries.session_assignments(session)),
    }


@loads(_own, as_="session")
def assignments(request, agency_id: int, session: AssessmentSession):
    url = _url(session)
    sittings = list(Sitting.objects.filter(session=session).select_related("room"))
    form = AssignForm(session=session, sittings=sittings, prefix="a")
    rounds_forms = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "assign":
            form = AssignForm(request.POST, session=session, sittings=sittings, prefix="a")
            if form.is_valid():
                try:
                    services.assign(request.user, **form.service_args())
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Assigned. The person now declares conflicts."))
                    return redirect(url)
        elif action == "leader":
            assignment = _assignment_of(session, request.POST.get("assignment"))
            return button_action(
                request,
                lambda: services.set_leader(request.user, assignment),
                success_url=url,
                message=_("The group leader is named."),
            )
        elif action == "rounds":
            sitting = next((s for s in sittings if str(s.pk) == request.POST.get("sitting")), None)
            if sitting is None:
                raise Http404
            bound = RoundsForm(request.POST, prefix=f"r{sitting.pk}")
            rounds_forms[sitting.pk] = bound
            if bound.is_valid():
                try:
                    services.set_rounds(request.user, sitting, rounds=bound.cleaned_data["rounds"])
                except ValidationError as exc:
                    apply_errors(bound, exc)
                else:
                    messages.success(request, _("The rounds are set."))
                    return redirect(url)
        else:
            raise Http404
    context = _context(session)
    for need in context["needs"]:
        if need.sitting is not None and need.kind == AssignmentKind.EXAMINER:
            need.rounds_form = rounds_forms.get(need.sitting.pk) or RoundsForm(
                prefix=f"r{need.sitting.pk}", initial={"rounds": need.sitting.rounds}
            )
            need.rounds_refusal = services.rounds_refusal(need.sitting, request.user)
    for a in context["assignments"]:
        a.leader_refusal = services.leader_refusal(a, request.user)
    context.update(
        form=form,
        staffing_refusal=services.staffing_refusal(session, request.user),
        editable=True,
        breadcrumbs=crumbs(
            (_("Assessment sessions"), reverse("assessments:sessions", args=[agency_id])),
            (str(session), reverse("assessments:session", args=[agency_id, session.pk])),
            _("Examiners and supervisors"),
        ),
    )
    return render(request, "assessments/assignments/assignments.html", context)


def _assignment_of(session, pk) -> Assignment:
    found = Assignment.objects.filter(session=session, pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found


@loads(_own, as_="session")
def assignment_remove(request, agency_id: int, session: AssessmentSession, assignment_id: int):
    assignment = _assignment_of(session, assignment_id)
    url = _url(session)
    form = RemovalForm(request.POST or None)
    refusal = services.removal_refusal(assignment, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_assignment(request.user, assignment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The person is taken off."))
            return redirect(url)
    context = {
        "session": session,
        "assignment": assignment,
        "form": form,
        "refusal": refusal,
        "breadcrumbs": crumbs(
            (_("Assessment sessions"), reverse("assessments:sessions", args=[agency_id])),
            (str(session), reverse("assessments:session", args=[agency_id, session.pk])),
            (_("Examiners and supervisors"), url),
            _("Take off"),
        ),
    }
    return render(request, "assessments/assignments/remove.html", context)


def _officials(request):
    return queries.plans_for_official(request.user)


@loads(_officials, "assessments.session.read", as_="session")
def plan_assignments(request, session: AssessmentSession):
    context = _context(session)
    context.update(
        editable=False,
        breadcrumbs=crumbs(
            (_("Filed assessment plans"), reverse("assessments:plans")),
            (str(session), reverse("assessments:plan", args=[session.pk])),
            _("Examiners and supervisors"),
        ),
    )
    return render(request, "assessments/assignments/assignments.html", context)


# --- The assigned person ----------------------------------------------------------------------


def my_assignments(request):
    rows = list(queries.assignments_of_user(request.user))
    context = {
        "active": [a for a in rows if a.is_active],
        "ended": [a for a in rows if not a.is_active],
        "breadcrumbs": crumbs(_("My assignments")),
    }
    return render(request, "assessments/assignments/my_assignments.html", context)


@loads(queries.assignments_for_request, as_="assignment")
def declare(request, assignment: Assignment):
    url = reverse("assessments:declare", args=[assignment.pk])
    candidates = list(services.candidates_to_declare(assignment))
    initial = {
        "employer_name": assignment.employer_name,
        "employer_uscc": assignment.employer_uscc,
    }
    form = DeclarationForm(request.POST or None, candidates=candidates, initial=initial)
    refusal = services.declaration_refusal(assignment, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflicts(request.user, assignment, **form.service_args())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your declaration is recorded.")
                if not form.cleaned_data["stand_aside"]
                else _("You stand aside from this sitting."),
            )
            return redirect(url)
    conflicts = {c.enrolment_id: c for c in assignment.conflicts.all()}
    context = {
        "assignment": assignment,
        "session": assignment.session,
        "form": form,
        "refusal": refusal,
        "conflicts": conflicts,
        "agency_uscc": assignment.session.agency.uscc,
        "breadcrumbs": crumbs(
            (_("My assignments"), reverse("assessments:my_assignments")), str(assignment.session)
        ),
    }
    return render(request, "assessments/assignments/declare.html", context)
