"""Officials' and experts' pages of the selection of agencies (Art 11, 14, 15): calls, the
vetting queue and application page, the experts' reviews and the site serials.

Thin views: every change goes through ``agencies.services``; every read through
``agencies.queries`` (scoped by ``portal.access``). An object outside the user's reach
answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import forms_vetting as forms
from agencies import queries, services
from agencies.models import (
    AgencyApplication,
    ApplicationStatus,
    CallStatus,
    Condition,
    ExpertAssignment,
    UsccCheck,
)
from agencies.services import vetting
from catalog import queries as catalog
from portal import access, clock
from portal.models import AgencySite


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _crumbs(*tail) -> list[tuple[str, str]]:
    return [(_("Workspace"), reverse("portal:dashboard")), *tail]


def _login_first(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


# --- Calls (Art 11) ----------------------------------------------------------------------------


def _managed_calls(user):
    return queries.calls_for_official(user).filter(jurisdiction=user.jurisdiction)


def calls(request):
    rows = (
        _managed_calls(request.user)
        .annotate(
            submitted=Count(
                "applications",
                distinct=True,
                filter=~Q(applications__status=ApplicationStatus.DRAFT),
            ),
        )
        .order_by("-opens_on", "-pk")
    )
    return render(
        request,
        "agencies/vetting/calls.html",
        {
            "calls": rows,
            "breadcrumbs": _crumbs((_("Calls for agencies"), "")),
        },
    )


def _call_or_404(request, pk: int):
    call = get_object_or_404(queries.calls_for_official(request.user), pk=pk)
    if not access.can(request.user, "agencies.call.manage", call):
        raise Http404
    return call


def call_edit(request, pk: int | None = None):
    if (login := _login_first(request)) is not None:
        return login
    call = _call_or_404(request, pk) if pk else None
    if call is not None and call.status != CallStatus.DRAFT:
        messages.error(request, _("Only a draft call can be changed."))
        return redirect("agencies:manage_call", call.pk)
    form = forms.CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            if call is None:
                call = services.create_call(
                    request.user,
                    jurisdiction=request.user.jurisdiction,
                    occupations=form.cleaned_data["occupation_codes"],
                    **form.service_fields(),
                )
                messages.success(request, _("The draft call has been saved."))
            else:
                services.update_call(
                    request.user,
                    call,
                    occupations=form.cleaned_data["occupation_codes"],
                    **form.service_fields(),
                )
                messages.success(request, _("The call has been saved."))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("agencies:manage_call", call.pk)
    title = _("Edit the call") if call else _("Draft a call for agencies")
    tail = [(call.title, reverse("agencies:manage_call", args=[call.pk]))] if call else []
    return render(
        request,
        "agencies/vetting/call_form.html",
        {
            "form": form,
            "call": call,
            "title": title,
            "breadcrumbs": _crumbs(
                (_("Calls for agencies"), reverse("agencies:manage_calls")), *tail, (title, "")
            ),
        },
    )


def call_detail(request, pk: int):
    if (login := _login_first(request)) is not None:
        return login
    call = _call_or_404(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.publish_call(request.user, call)
                messages.success(request, _("The call has been published."))
            elif action == "close":
                services.close_call(request.user, call)
                messages.success(request, _("The call has been closed."))
            else:
                raise Http404
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("agencies:manage_call", call.pk)
    return render(
        request,
        "agencies/vetting/call_detail.html",
        {
            "call": call,
            "occupations": call.occupations.order_by("code"),
            "applications": queries.applications_for_official(request.user).filter(call=call),
            "breadcrumbs": _crumbs(
                (_("Calls for agencies"), reverse("agencies:manage_calls")), (call.title, "")
            ),
        },
    )


# --- The vetting queue and the application page (Art 14) ----------------------------------------


def queue(request):
    form = forms.StatusFilterForm(request.GET or None)
    applications = queries.applications_for_official(request.user)
    counts = dict(applications.order_by().values_list("status").annotate(n=Count("pk")))
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status:
        applications = applications.filter(status=status)
    statuses = [
        (value, label, counts.get(value, 0))
        for value, label in ApplicationStatus.choices
        if value != ApplicationStatus.DRAFT
    ]
    return render(
        request,
        "agencies/vetting/queue.html",
        {
            "form": form,
            "applications": applications.order_by("-submitted_at", "-pk"),
            "statuses": statuses,
            "status": status,
            "total": sum(counts.values()),
            "breadcrumbs": _crumbs((_("Agency vetting"), "")),
        },
    )


def materials_context(application: AgencyApplication) -> dict:
    """Everything the applicant submitted, for the official's and the expert's pages."""
    call = application.call
    scope = list(
        application.scope.select_related("occupation", "work_type").prefetch_related(
            "levels", "approved_levels"
        )
    )
    on = application.submitted_at.date() if application.submitted_at else clock.today()
    scope_rows = []
    for item in scope:
        levels = [
            (
                level,
                catalog.basis_for(
                    item.occupation,
                    level,
                    work_type=item.work_type,
                    agency=application.agency,
                    on=on,
                ),
            )
            for level in item.levels.all()
        ]
        scope_rows.append(
            {"item": item, "levels": levels, "approved": list(item.approved_levels.all())}
        )
    applies = application.kind == "S" or call.thresholds_for_employers
    figures = [
        (
            _("Years of relevant training or evaluation work"),
            application.declared_years,
            call.min_years,
        ),
        (
            _("Person-times assessed in total"),
            application.declared_total_assessed,
            call.min_total_assessed,
        ),
    ] + [
        (
            _("Person-times assessed: %(occupation)s") % {"occupation": row["item"]},
            row["item"].declared_assessed,
            call.min_per_occupation,
        )
        for row in scope_rows
    ]
    return {
        "application": application,
        "call": call,
        "conditions": application.conditions.prefetch_related("evidence"),
        "scope_rows": scope_rows,
        "sites": application.sites.select_related("province"),
        "thresholds_apply": applies,
        "figures": [
            {
                "label": label,
                "declared": declared,
                "minimum": minimum,
                "short": applies and bool(minimum) and (declared or 0) < minimum,
            }
            for label, declared, minimum in figures
        ],
    }


def _application_or_404(request, pk: int) -> AgencyApplication:
    return get_object_or_404(queries.applications_for_official(request.user), pk=pk)


def vetting_detail(request, pk: int):
    if (login := _login_first(request)) is not None:
        return login
    application = _application_or_404(request, pk)
    can_vet = access.can(request.user, "agencies.application.vet", application)
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        handler = _ACTIONS.get(action)
        if handler is None:
            raise Http404
        if not can_vet:
            raise PermissionDenied("agencies.application.vet")
        result = handler(request, application)
        if result is None:
            messages.success(request, _SUCCESS[action])
            return redirect(f"{reverse('agencies:vetting_detail', args=[pk])}#{_ANCHOR[action]}")
        bound[action] = result
        messages.error(request, _("Please correct the errors below."))
    application.refresh_from_db()
    return render(
        request,
        "agencies/vetting/detail.html",
        _detail_context(request, application, can_vet, bound),
    )


def _detail_context(request, application, can_vet: bool, bound: dict) -> dict:
    status = application.status
    assignments = list(
        application.expert_assignments.select_related("expert").order_by("assigned_at", "pk")
    )
    assigned_ids = [a.expert_id for a in assignments]
    pool = vetting.expert_pool(application).exclude(pk__in=assigned_ids)
    scope = application.scope.select_related("occupation", "work_type").prefetch_related("levels")
    labels = forms.return_item_labels()
    rounds = [
        {"review": r, "comments": [(labels.get(k, k), v) for k, v in r.comments.items()]}
        for r in application.material_reviews.select_related("decided_by")
    ]
    under_review = status == ApplicationStatus.UNDER_REVIEW
    summary = vetting.expert_summary(application)
    context = materials_context(application)
    context.update(
        {
            "can_vet": can_vet,
            "rounds": rounds,
            "pending_round": status == ApplicationStatus.SUBMITTED,
            "uscc_form": bound.get("uscc") or forms.UsccForm(),
            "accept_form": bound.get("accept") or forms.AcceptForm(),
            "return_form": bound.get("return") or forms.ReturnForm(),
            "assignments": assignments,
            "assign_form": bound.get("assign") or forms.AssignForm(pool=pool),
            "pool_empty": not pool.exists(),
            "summary": summary,
            "summary_rows": [(c.label, summary["averages"][c.value]) for c in Condition],
            "opinions": [a for a in assignments if a.submitted_at],
            "min_experts": vetting.MIN_EXPERTS,
            "visits": application.site_visits.select_related("recorded_by").prefetch_related(
                "photos"
            ),
            "visit_form": bound.get("visit")
            or forms.SiteVisitForm(initial={"visited_on": clock.today()}),
            "decision_form": bound.get("decide")
            or forms.DecisionForm(application=application, scope=scope),
            "under_review": under_review,
            "decided": status
            in (
                ApplicationStatus.ON_NOTICE,
                ApplicationStatus.APPROVED,
                ApplicationStatus.LISTED,
                ApplicationStatus.REJECTED,
            ),
            "uscc_flagged": application.uscc_check == UsccCheck.FLAGGED,
            "breadcrumbs": _crumbs(
                (_("Agency vetting"), reverse("agencies:vetting")), (application.legal_name, "")
            ),
        }
    )
    return context


def _run(form, call) -> object | None:
    """Validate ``form`` and run ``call(data)``; the bound form on failure, else None."""
    if not form.is_valid():
        return form
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        _apply_errors(form, exc)
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
    assigned = application.expert_assignments.values("expert")
    form = forms.AssignForm(
        request.POST, pool=vetting.expert_pool(application).exclude(pk__in=assigned)
    )
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
    scope = application.scope.select_related("occupation", "work_type").prefetch_related("levels")
    form = forms.DecisionForm(request.POST, application=application, scope=scope)
    approve = request.POST.get("decision") == "approve"
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


_ACTIONS = {
    "uscc": _uscc,
    "accept": _accept,
    "return": _return,
    "assign": _assign,
    "visit": _visit,
    "decide": _decide,
}
_ANCHOR = {
    "uscc": "uscc",
    "accept": "check",
    "return": "check",
    "assign": "experts",
    "visit": "visits",
    "decide": "decision",
}
_SUCCESS = {
    "uscc": _("Your decision on the code has been recorded."),
    "accept": _("The materials have been accepted."),
    "return": _("The application has been returned to the applicant for correction."),
    "assign": _("The experts have been assigned."),
    "visit": _("The site visit has been recorded."),
    "decide": _("The decision has been recorded."),
}


# --- Experts (专家论证) ---------------------------------------------------------------------------


def expert_assignments(request):
    rows = queries.assignments_for_expert(request.user).select_related("application__agency")
    return render(
        request,
        "agencies/expert/assignments.html",
        {
            "assignments": rows,
            "breadcrumbs": _crumbs((_("My reviews"), "")),
        },
    )


def expert_assignment(request, pk: int):
    if (login := _login_first(request)) is not None:
        return login
    assignment = get_object_or_404(queries.assignments_for_expert(request.user), pk=pk)
    application = assignment.application
    conflict_form = forms.ConflictForm()
    review_form = forms.ReviewForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "declare":
            conflict_form = forms.ConflictForm(request.POST)
            failed = _run(
                conflict_form,
                lambda d: services.declare_conflict(
                    request.user, assignment, has_conflict=d["has_conflict"], note=d["note"]
                ),
            )
        elif action == "review":
            review_form = forms.ReviewForm(request.POST)
            failed = _run(
                review_form,
                lambda d: services.submit_expert_review(
                    request.user,
                    assignment,
                    scores=review_form.scores(),
                    opinion=d["opinion"],
                    recommendation=d["recommendation"],
                ),
            )
        else:
            raise Http404
        if failed is None:
            messages.success(
                request,
                _("Your declaration has been recorded.")
                if action == "declare"
                else _("Your review has been submitted."),
            )
            return redirect("agencies:expert_assignment", assignment.pk)
        messages.error(request, _("Please correct the errors below."))
    assignment.refresh_from_db()
    context = {
        "assignment": assignment,
        "application": application,
        "conflict_form": conflict_form,
        "review_form": review_form,
        "open": application.status == ApplicationStatus.UNDER_REVIEW,
        "breadcrumbs": _crumbs(
            (_("My reviews"), reverse("agencies:expert_assignments")), (application.legal_name, "")
        ),
    }
    if assignment.conflict == ExpertAssignment.Conflict.NONE:
        context.update(materials_context(application))
        context["scores"] = [(c.label, assignment.scores.get(str(c.value))) for c in Condition]
    return render(request, "agencies/expert/assignment.html", context)


# --- Site serials (Art 20: the numbering parts) ----------------------------------------------


def site_serials(request):
    sites = queries.sites_awaiting_serial(request.user).order_by("agency__name", "name")
    forms_by_site = {}
    if request.method == "POST":
        site = get_object_or_404(sites, pk=request.POST.get("site") or 0)
        form = forms.SerialForm(request.POST, prefix=f"s{site.pk}")
        failed = _run(
            form, lambda d: services.assign_site_serial(request.user, site, d["serial"].strip())
        )
        if failed is None:
            site.refresh_from_db()
            messages.success(
                request,
                _("Site %(name)s now has the serial %(serial)s.")
                % {"name": site.name, "serial": site.site_serial},
            )
            return redirect("agencies:site_serials")
        forms_by_site[site.pk] = form
    rows = [
        (site, forms_by_site.get(site.pk) or forms.SerialForm(prefix=f"s{site.pk}"))
        for site in sites
    ]
    recent = (
        AgencySite.objects.filter(province_id=request.user.jurisdiction)
        .exclude(site_serial="")
        .select_related("agency")
        .order_by("-site_serial")[:10]
    )
    return render(
        request,
        "agencies/vetting/site_serials.html",
        {
            "rows": rows,
            "recent": recent,
            "breadcrumbs": _crumbs((_("Site serials"), "")),
        },
    )
