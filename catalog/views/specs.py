"""Pages of evaluation specifications (Art 8, 17): the public list and page of filed ones, an
agency's own specifications with their submission, and the filing queue of the national
testing centre and the ministry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog import queries, services
from catalog.forms import (
    LevelFormSet,
    ReasonForm,
    SpecForm,
    SpecQueueForm,
    spec_initial,
    spec_level_initial,
)
from catalog.models import EvaluationSpec
from portal import access
from portal.ui.helpers import apply_errors, button_action, form_action, loads
from portal.ui.queues import read_filters


def _own(request):
    """The specifications of the agency whose workspace the URL names."""
    return queries.agency_specs(request.agency)


def _visible(request):
    return queries.specs_visible_to(request.user)


# --- Public pages ----------------------------------------------------------------------------


def specs(request):
    page = Paginator(queries.filed_specs().order_by("-filed_on"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/specs/specs.html", {"page": page})


def spec_public(request, pk: int):
    spec = get_object_or_404(queries.filed_specs(), pk=pk)
    context = {"spec": spec, "levels": queries.level_bases(spec)}
    return render(request, "catalog/specs/spec_public.html", context)


# --- An agency's own specifications ----------------------------------------------------------


def agency_specs(request, agency_id: int):
    context = {"specs": queries.agency_specs(request.agency)}
    return render(request, "catalog/specs/agency_specs.html", context)


def agency_spec_new(request, agency_id: int):
    return _spec_form(request, agency_id, None)


@loads(_own, "catalog.spec.edit", as_="spec")
def agency_spec_edit(request, agency_id: int, spec: EvaluationSpec):
    return _spec_form(request, agency_id, spec)


def _spec_form(request, agency_id: int, spec: EvaluationSpec | None):
    form = SpecForm(request.POST or None, initial=spec_initial(spec))
    formset = LevelFormSet(
        request.POST or None, prefix="levels", initial=spec_level_initial(request.agency, spec)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and formset.is_valid()
        and (
            done := form_action(
                request,
                form,
                lambda data: _save_spec(request, spec, data, formset.level_inputs()),
                success_url=lambda saved: reverse(
                    "catalog:agency_spec", args=[agency_id, saved.pk]
                ),
                message=_("The specification has been saved."),
            )
        )
    ):
        return done
    context = {"form": form, "formset": formset, "spec": spec}
    return render(request, "catalog/specs/agency_spec_edit.html", context)


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


@loads(_own, "catalog.spec.view", as_="spec", post_action="catalog.spec.submit")
def agency_spec_detail(request, agency_id: int, spec: EvaluationSpec):
    """The agency's page of its specification; its buttons submit or withdraw it (Art 8)."""
    if request.method == "POST":
        here = reverse("catalog:agency_spec", args=[agency_id, spec.pk])
        action = request.POST.get("action")
        if action == "submit":
            return button_action(
                request,
                lambda: services.submit_spec(request.user, spec, note=request.POST.get("note", "")),
                success_url=here,
                message=_("The specification has been submitted for filing."),
            )
        if action == "withdraw":
            return button_action(
                request,
                lambda: services.withdraw_spec(request.user, spec),
                success_url=here,
                message=_("The specification has been withdrawn."),
            )
        raise Http404
    context = queries.spec_page(spec, agency_side=True)
    context.update(
        submission_refusal=services.submission_refusal(spec, request.user),
        withdrawal_refusal=services.withdrawal_refusal(spec, request.user),
    )
    return render(request, "catalog/specs/spec_detail.html", context)


# --- The filing queue (national testing centre, ministry) ------------------------------------


def spec_queue(request):
    """Opens on the submitted specifications, longest waiting first (docs/decisions/0027)."""
    filters = read_filters(SpecQueueForm, request.GET)
    items = queries.spec_queue(
        request.user, filters["status"], q=filters.search, sort=filters["sort"]
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    context = {"page": page, "form": filters.form, "filters": filters}
    return render(request, "catalog/specs/spec_queue.html", context)


@loads(_visible, "catalog.spec.view", as_="spec", post_action="catalog.spec.review")
def spec_review(request, spec: EvaluationSpec):
    """The reviewer's page: return, file or refuse with comments (Art 8). Comments missing
    are shown at the field; any other refusal as a message above the page."""
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        try:
            spec = _decide(
                request, spec, request.POST.get("action"), request.POST.get("reason", "")
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("catalog:spec_review", spec.pk)
            apply_errors(form, exc, rename={"comments": "reason"})
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
