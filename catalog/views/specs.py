"""Pages of evaluation specifications (Art 8, 17): the public list and page of filed ones, an
agency's own specifications with their submission, and the filing queue of the national
testing centre and the ministry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalog import queries, services
from catalog.forms import LevelFormSet, ReasonForm, SpecForm, spec_initial, spec_level_initial
from catalog.models import EvaluationSpec, SpecStatus
from catalog.views._shared import apply_errors
from portal import access

# --- Public pages -----------------------------------------------------------------------------


def specs(request):
    page = Paginator(queries.filed_specs().order_by("-filed_on"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/specs/specs.html", {"page": page})


def spec_public(request, pk: int):
    spec = get_object_or_404(queries.filed_specs(), pk=pk)
    return render(
        request,
        "catalog/specs/spec_public.html",
        {"spec": spec, "levels": queries.level_bases(spec)},
    )


# --- An agency's own specifications -----------------------------------------------------------


def agency_specs(request, agency_id: int):
    return render(
        request, "catalog/specs/agency_specs.html", {"specs": queries.agency_specs(request.agency)}
    )


def agency_spec_edit(request, agency_id: int, pk: int | None = None):
    spec = None
    if pk is not None:
        spec = get_object_or_404(EvaluationSpec, pk=pk, agency=request.agency)
    form = SpecForm(request.POST or None, initial=spec_initial(spec))
    formset = LevelFormSet(
        request.POST or None, prefix="levels", initial=spec_level_initial(request.agency, spec)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            spec = _save_spec(request, spec, form.cleaned_data, formset.level_inputs())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The specification has been saved."))
            return redirect("catalog:agency_spec", agency_id, spec.pk)
    return render(
        request,
        "catalog/specs/agency_spec_edit.html",
        {"form": form, "formset": formset, "spec": spec},
    )


def _save_spec(request, spec: EvaluationSpec | None, data: dict, levels) -> EvaluationSpec:
    if spec is None:
        return services.create_spec(
            request.user,
            request.agency,
            occupation=data["occupation"],
            title=data["title"],
            summary=data["summary"],
            work_type=data["work_type"],
            levels=levels,
        )
    return services.update_spec(
        request.user,
        spec,
        title=data["title"],
        summary=data["summary"],
        occupation_id=data["occupation"].pk,
        work_type_id=data["work_type"].pk if data["work_type"] else None,
        levels=levels,
    )


def agency_spec_detail(request, agency_id: int, pk: int):
    spec = get_object_or_404(
        EvaluationSpec.objects.select_related("occupation", "work_type"),
        pk=pk,
        agency=request.agency,
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                services.submit_spec(request.user, spec, note=request.POST.get("note", ""))
                messages.success(request, _("The specification has been submitted for filing."))
            elif action == "withdraw":
                services.withdraw_spec(request.user, spec)
                messages.success(request, _("The specification has been withdrawn."))
            else:
                raise Http404
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("catalog:agency_spec", agency_id, spec.pk)
    context = queries.spec_page(spec, agency_side=True)
    context.update(
        submission_refusal=services.submission_refusal(spec, request.user),
        withdrawal_refusal=services.withdrawal_refusal(spec, request.user),
    )
    return render(request, "catalog/specs/spec_detail.html", context)


# --- The filing queue (national testing centre, ministry) -------------------------------------


def spec_queue(request):
    status = request.GET.get("status", SpecStatus.SUBMITTED)
    page = Paginator(queries.spec_queue(request.user, status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/specs/spec_queue.html",
        {"page": page, "status": status, "statuses": SpecStatus.choices},
    )


def spec_review(request, pk: int):
    spec = get_object_or_404(queries.specs_visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        try:
            comments = request.POST.get("reason", "")
            spec = _decide(request, spec, request.POST.get("action"), comments)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("catalog:spec_review", spec.pk)
            for errors in exc.error_dict.values():
                for error in errors:
                    form.add_error("reason", error)
        else:
            return redirect("catalog:spec_review", spec.pk)
    context = queries.spec_page(spec, agency_side=False)
    context.update(
        form=form,
        can_review=access.can(request.user, "catalog.spec.review", spec),
        filing_refusal=services.filing_refusal(spec, request.user),
    )
    return render(request, "catalog/specs/spec_detail.html", context)


def _decide(request, spec: EvaluationSpec, action: str | None, comments: str) -> EvaluationSpec:
    """Return, file or refuse, with the success message of each (Art 8)."""
    if action == "return":
        services.return_spec(request.user, spec, comments=comments)
        messages.success(request, _("The specification has been returned to the agency."))
    elif action == "file":
        spec = services.file_spec(request.user, spec, comments=comments)
        messages.success(request, _("Filed as %(number)s.") % {"number": spec.filing_number})
    elif action == "refuse":
        services.refuse_spec(request.user, spec, reason=comments)
        messages.success(request, _("Filing has been refused."))
    else:
        raise Http404
    return spec
