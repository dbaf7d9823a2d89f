"""Pages of the vetting (Art 14): the official's queue and application page (material check,
expert assignment, site visit, decision) and the expert's assignments (declaration, review).

Thin views: every change goes through ``agencies.services.vetting``; every read through
``agencies.queries`` (scoped by ``portal.access``). An object outside the user's reach
answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import queries, services
from agencies.forms import vetting as forms
from agencies.models import AgencyApplication, ExpertAssignment
from portal import access, clock
from portal.models import AgencyKind
from portal.ui.confirm import confirm_page, is_revising, wants_confirmation
from portal.ui.helpers import apply_errors, crumbs, loads
from portal.ui.queues import read_filters

VET = "agencies.application.vet"

# --- The official's queue and application page -------------------------------------------------


def queue(request):
    """Opens on what waits for the official, longest waiting first (docs/decisions/0027)."""
    filters = read_filters(forms.StatusFilterForm, request.GET)
    context = queries.queue_page(
        request.user,
        status=filters["status"],
        stage=filters["stage"],
        q=filters.search,
        sort=filters["sort"],
    )
    page = Paginator(context.pop("applications"), 50).get_page(request.GET.get("page"))
    context.update(
        {
            "form": filters.form,
            "filters": filters,
            "page": page,
            "breadcrumbs": crumbs(_("Agency vetting")),
        }
    )
    return render(request, "agencies/vetting/queue.html", context)


def _vetted(request):
    return queries.applications_for_official(request.user)


@loads(_vetted, as_="application", post_action=VET)
def vetting_detail(request, application: AgencyApplication):
    """The application page; each POST runs one of ``_ACTIONS`` (vetting officials only)."""
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in _ACTIONS:
            raise Http404
        handler, anchor, success = _ACTIONS[action]
        if (failed := handler(request, application)) is None:
            messages.success(request, success)
            page = reverse("agencies:vetting_detail", args=[application.pk])
            return redirect(f"{page}#{anchor}")
        if isinstance(failed, HttpResponse):  # the confirmation step (decision 0026)
            return failed
        bound[action] = failed
        if not is_revising(request):
            messages.error(request, _("Please correct the errors below."))
    application.refresh_from_db()
    context = queries.vetting_page(application, forms.return_item_labels())
    context.update(_forms(application, bound))
    context["can_vet"] = access.can(request.user, VET, application)
    for decision in ("approve", "reject"):
        context[f"{decision}_refusal"] = services.decision_refusal(
            application, request.user, approve=decision == "approve"
        )
    home = (_("Agency vetting"), reverse("agencies:vetting"))
    context["breadcrumbs"] = crumbs(home, application.legal_name)
    return render(request, "agencies/vetting/detail.html", context)


def _forms(application, bound: dict) -> dict:
    """The forms of the application page, blank or as bound by a refused action."""
    scope = queries.requested_scope(application)
    return {
        "uscc_form": bound.get("uscc") or forms.UsccForm(),
        "accept_form": bound.get("accept") or forms.AcceptForm(),
        "return_form": bound.get("return") or forms.ReturnForm(),
        "assign_form": bound.get("assign")
        or forms.AssignForm(pool=queries.unassigned_pool(application)),
        "visit_form": bound.get("visit")
        or forms.SiteVisitForm(initial={"visited_on": clock.today()}),
        "decision_form": bound.get("decide")
        or forms.DecisionForm(application=application, scope=scope),
    }


def _run(form, call) -> object | None:
    """Validate ``form`` and run ``call(data)``; the bound form on failure, else None."""
    if not form.is_valid():
        return form
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return form
    return None


def _uscc(request, application):
    return _run(
        forms.UsccForm(request.POST),
        lambda d: services.confirm_uscc(
            request.user, application, confirm=d["decision"] == "confirm", note=d["note"]
        ),
    )


def _accept(request, application):
    return _run(
        forms.AcceptForm(request.POST),
        lambda d: services.accept_materials(
            request.user,
            application,
            use_expert_review=d["use_expert_review"],
            use_site_visit=d["use_site_visit"],
            comment=d["comment"],
        ),
    )


def _return(request, application):
    form = forms.ReturnForm(request.POST)
    return _run(
        form,
        lambda d: services.return_materials(
            request.user,
            application,
            comments=form.comments(),
            general_comment=d["general_comment"],
        ),
    )


def _assign(request, application):
    form = forms.AssignForm(request.POST, pool=queries.unassigned_pool(application))
    return _run(
        form, lambda d: services.assign_experts(request.user, application, list(d["experts"]))
    )


def _visit(request, application):
    return _run(
        forms.SiteVisitForm(request.POST, request.FILES),
        lambda d: services.record_site_visit(
            request.user,
            application,
            visited_on=d["visited_on"],
            people=d["people"],
            findings=d["findings"],
            photos=d["photos"],
        ),
    )


def _decide(request, application):
    """Approve or reject (Art 14), after a confirmation step that restates the decision."""
    scope = queries.requested_scope(application)
    form = forms.DecisionForm(request.POST, application=application, scope=scope)
    approve = request.POST.get("decision") == "approve"
    if is_revising(request):
        return form
    if wants_confirmation(request):
        if not form.is_valid():
            return form
        if refusal := services.decision_refusal(application, request.user, approve=approve):
            form.add_error(None, refusal)
            return form
        return confirm_page(request, **_decision_restatement(application, form, approve))
    return _run(
        form,
        lambda d: services.decide(
            request.user,
            application,
            approve=approve,
            reasons=d["reasons"],
            approved_levels=form.approved_levels() if approve else None,
            may_serve_others=d.get("may_serve_others", False),
        ),
    )


def _decision_restatement(application, form, approve: bool) -> dict:
    """What the confirmation page of a decision says will happen."""
    name, data = application.legal_name, form.cleaned_data
    page = reverse("agencies:vetting_detail", args=[application.pk])
    common = {
        "subject": name,
        "back_url": f"{page}#decision",
        "breadcrumbs": crumbs((_("Agency vetting"), reverse("agencies:vetting")), (name, page)),
    }
    if not approve:
        return {
            **common,
            "title": _("Confirm the rejection"),
            "confirm_label": _("Reject the application"),
            "points": [
                _("The application of %(name)s is rejected (Art 14).") % {"name": name},
                _("Reasons: %(reasons)s") % {"reasons": data["reasons"]},
                _(
                    "A decision letter of rejection is issued to the applicant, and the "
                    "retention period of the materials starts."
                ),
            ],
            "warning": _("A decision cannot be taken back."),
        }
    lines = []
    for item, field in form.scope_rows:
        labels = {str(pk): str(label) for pk, label in form.fields[field].choices}
        chosen = [labels[str(pk)] for pk in data.get(field) or [] if str(pk) in labels]
        levels = "、".join(chosen) if chosen else _("none approved")
        lines.append(f"{item}：{levels}")
    if application.kind == AgencyKind.SOCIAL_ORG:
        after = _(
            "The approval first goes to public notice for %(days)d working days (Art 14); an "
            "upheld objection turns it into a rejection."
        ) % {"days": application.call.notice_period_days}
    else:
        after = _(
            "The approval stands at once; the agency then signs the commitment letter (Art 15)."
        )
    points = [
        _("The application of %(name)s is approved (Art 14).") % {"name": name},
        _("Approved scope:") + "\n" + "\n".join(lines),
        after,
        _("Reasons: %(reasons)s") % {"reasons": data["reasons"]},
        _("A decision letter is issued to the applicant."),
    ]
    if data.get("may_serve_others"):
        points.insert(2, _("The agency may also assess other employers' staff and the public."))
    return {
        **common,
        "title": _("Confirm the approval"),
        "confirm_label": _("Approve the application"),
        "points": points,
        "warning": _("A decision cannot be taken back."),
    }


# action: (handler, anchor of its section, message on success)
_ACTIONS = {
    "uscc": (_uscc, "uscc", gettext_lazy("Your decision on the code has been recorded.")),
    "accept": (_accept, "check", gettext_lazy("The materials have been accepted.")),
    "return": (
        _return,
        "check",
        gettext_lazy("The application has been returned to the applicant for correction."),
    ),
    "assign": (_assign, "experts", gettext_lazy("The experts have been assigned.")),
    "visit": (_visit, "visits", gettext_lazy("The site visit has been recorded.")),
    "decide": (_decide, "decision", gettext_lazy("The decision has been recorded.")),
}


# --- The experts' reviews (专家论证) ------------------------------------------------------------


def expert_assignments(request):
    """Opens on the reviews still to do, longest waiting first (docs/decisions/0027)."""
    filters = read_filters(forms.AssignmentFilterForm, request.GET)
    rows = queries.expert_queue(
        request.user, show=filters["show"], q=filters.search, sort=filters["sort"]
    )
    context = {
        "assignments": rows,
        "form": filters.form,
        "filters": filters,
        "breadcrumbs": crumbs(_("My reviews")),
    }
    return render(request, "agencies/vetting/expert_assignments.html", context)


def _declare(request, assignment, form):
    return _run(
        form,
        lambda d: services.declare_conflict(
            request.user, assignment, has_conflict=d["has_conflict"], note=d["note"]
        ),
    )


def _review(request, assignment, form):
    return _run(
        form,
        lambda d: services.submit_expert_review(
            request.user,
            assignment,
            scores=form.scores(),
            opinion=d["opinion"],
            recommendation=d["recommendation"],
        ),
    )


# action: (form, handler, message on success)
_EXPERT_ACTIONS = {
    "declare": (forms.ConflictForm, _declare, gettext_lazy("Your declaration has been recorded.")),
    "review": (forms.ReviewForm, _review, gettext_lazy("Your review has been submitted.")),
}


@loads(lambda request: queries.assignments_for_expert(request.user), as_="assignment")
def expert_assignment(request, assignment: ExpertAssignment):
    bound = {"declare": forms.ConflictForm(), "review": forms.ReviewForm()}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in _EXPERT_ACTIONS:
            raise Http404
        form_class, handler, success = _EXPERT_ACTIONS[action]
        bound[action] = form_class(request.POST)
        if handler(request, assignment, bound[action]) is None:
            messages.success(request, success)
            return redirect("agencies:expert_assignment", assignment.pk)
        messages.error(request, _("Please correct the errors below."))
    assignment.refresh_from_db()
    context = queries.assignment_page(assignment)
    context.update({"conflict_form": bound["declare"], "review_form": bound["review"]})
    home = (_("My reviews"), reverse("agencies:expert_assignments"))
    context["breadcrumbs"] = crumbs(home, assignment.application.legal_name)
    return render(request, "agencies/vetting/expert_assignment.html", context)
