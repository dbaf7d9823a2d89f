"""Pages of the occupation catalogue (Art 6): the public search and occupation page, and the
keepers' list, form and page of an occupation with its work types. Every change goes
through ``catalog.services``."""

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
    OccupationFilterForm,
    OccupationManageForm,
    OccupationSearchForm,
    ReasonForm,
    WorkTypeManageForm,
)
from catalog.models import Occupation, OccupationStatus, WorkType
from catalog.views._shared import apply_errors, crumbs


def occupations_crumb() -> tuple[str, str]:
    return (_("Occupation catalogue"), reverse("catalog:manage_occupations"))


# --- Public pages -----------------------------------------------------------------------------


def occupations(request):
    form = OccupationSearchForm(request.GET or None)
    results = queries.search_occupations(**form.search_args())
    page = Paginator(results, 30).get_page(request.GET.get("page"))
    return render(request, "catalog/occupations/occupations.html", {"form": form, "page": page})


def occupation(request, code: str):
    occupation = get_object_or_404(queries.public_occupations(), code=code)
    context = queries.occupation_page(occupation)
    context["breadcrumbs"] = [
        (_("Occupations and standards"), reverse("catalog:occupations")),
        (occupation.name, ""),
    ]
    return render(request, "catalog/occupations/occupation_detail.html", context)


# --- The keepers' pages -----------------------------------------------------------------------


def manage_occupations(request):
    form = OccupationFilterForm(request.GET or None)
    page = Paginator(queries.catalogue_rows(**form.search_args()), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "catalog/occupations/manage_occupations.html",
        {"form": form, "page": page, "breadcrumbs": crumbs((_("Occupation catalogue"), ""))},
    )


def occupation_edit(request, code: str | None = None):
    occupation = get_object_or_404(Occupation, code=code) if code else None
    form = OccupationManageForm(request.POST or None, instance=occupation)
    if request.method == "POST" and form.is_valid():
        try:
            if occupation is None:
                occupation = services.create_occupation(
                    request.user, code=form.cleaned_data["code"], **form.service_fields()
                )
                messages.success(request, _("The occupation has been added."))
            else:
                services.update_occupation(request.user, occupation, **form.service_fields())
                messages.success(request, _("The occupation has been saved."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("catalog:manage_occupation", occupation.code)
    title = _("Edit the occupation") if code else _("Add an occupation")
    tail = [(occupation.name, reverse("catalog:manage_occupation", args=[code]))] if code else []
    return render(
        request,
        "catalog/occupations/occupation_form.html",
        {
            "form": form,
            "occupation": occupation if code else None,
            "title": title,
            "breadcrumbs": crumbs(occupations_crumb(), *tail, (title, "")),
        },
    )


def manage_occupation(request, code: str):
    occupation = get_object_or_404(Occupation.objects.select_related("major_category"), code=code)
    work_type_form = WorkTypeManageForm(prefix="wt")
    reason_form = ReasonForm()
    if not occupation.is_active:
        reason_form.fields["reason"].required = False  # optional for a restore
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_work_type":
            work_type_form = WorkTypeManageForm(request.POST, prefix="wt")
            if _add_work_type(request, occupation, work_type_form):
                return redirect("catalog:manage_occupation", occupation.code)
        elif action == "work_type_status":
            _work_type_status(request, occupation)
            return redirect("catalog:manage_occupation", occupation.code)
        elif action in ("withdraw", "restore"):
            reason_form = ReasonForm(request.POST)
            if _occupation_status(request, occupation, action, reason_form):
                return redirect("catalog:manage_occupation", occupation.code)
        else:
            raise Http404
    context = queries.manage_occupation_page(occupation)
    context.update(
        work_type_form=work_type_form,
        reason_form=reason_form,
        breadcrumbs=crumbs(occupations_crumb(), (occupation.name, "")),
    )
    return render(request, "catalog/occupations/manage_occupation_detail.html", context)


def _add_work_type(request, occupation: Occupation, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.add_work_type(
            request.user,
            occupation,
            name=form.cleaned_data["name"],
            code=form.cleaned_data["code"],
            is_demo=form.cleaned_data["is_demo"],
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    messages.success(request, _("The work type has been added."))
    return True


def _work_type_status(request, occupation: Occupation) -> None:
    work_type = get_object_or_404(
        WorkType, pk=request.POST.get("work_type") or 0, occupation=occupation
    )
    status = request.POST.get("status", "")
    try:
        services.set_work_type_status(request.user, work_type, status)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if status == OccupationStatus.WITHDRAWN:
            messages.success(request, _("The work type has been withdrawn."))
        else:
            messages.success(request, _("The work type has been restored."))


def _occupation_status(request, occupation: Occupation, action: str, form) -> bool:
    if action == "restore":
        form.fields["reason"].required = False
    if not form.is_valid():
        return False
    status = OccupationStatus.WITHDRAWN if action == "withdraw" else OccupationStatus.ACTIVE
    try:
        services.set_occupation_status(
            request.user, occupation, status, form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    if action == "withdraw":
        messages.success(request, _("The occupation has been withdrawn from the catalogue."))
    else:
        messages.success(request, _("The occupation has been restored to the catalogue."))
    return True
