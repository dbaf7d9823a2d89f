"""Views of the catalog: the public catalogue, and specifications for agencies and the centre."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog import queries, services
from catalog.forms import BaseLevelFormSet, LevelForm, OccupationSearchForm, ReasonForm, SpecForm
from catalog.models import (
    EvaluationSpec,
    Method,
    NationalStandard,
    Occupation,
    SpecStatus,
)
from portal import access

LevelFormSet = formset_factory(LevelForm, formset=BaseLevelFormSet, extra=0, max_num=7)


# --- Public pages ------------------------------------------------------------------------------


def occupations(request):
    form = OccupationSearchForm(request.GET or None)
    results = queries.search_occupations()
    if form.is_valid():
        data = form.cleaned_data
        has = {"yes": True, "no": False}.get(data["has_standard"])
        results = queries.search_occupations(
            data["q"],
            major_category=data["major_category"],
            marker=data["marker"],
            has_standard=has,
        )
    page = Paginator(results, 30).get_page(request.GET.get("page"))
    return render(request, "catalog/occupations.html", {"form": form, "page": page})


def occupation_detail(request, code: str):
    occupation = get_object_or_404(
        Occupation.objects.select_related("major_category").prefetch_related("work_types"),
        code=code,
    )
    five = list(queries.five_levels())
    bases = queries.standard_bases(occupation, five)
    rows = [{"level": level, "basis": bases[level.pk]} for level in five]
    standards = occupation.standards.select_related("document", "supersedes").order_by(
        "-effective_from"
    )
    specs = queries.filed_specs().filter(occupation=occupation)
    return render(
        request,
        "catalog/occupation_detail.html",
        {
            "occupation": occupation,
            "rows": rows,
            "standards": standards,
            "specs": specs,
            "breadcrumbs": [
                (_("Occupations and standards"), reverse("catalog:occupations")),
                (occupation.name, ""),
            ],
        },
    )


def standards(request):
    items = (
        NationalStandard.objects.select_related("occupation", "document")
        .prefetch_related("levels__level")
        .order_by("occupation__code", "-effective_from")
    )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "catalog/standards.html", {"page": page})


def standard_detail(request, pk: int):
    standard = get_object_or_404(
        NationalStandard.objects.select_related("occupation", "document", "supersedes"), pk=pk
    )
    levels = [
        queries.to_basis(standard, r)
        for r in standard.levels.select_related("level").prefetch_related(
            "methods", "eligibility__prior_level"
        )
    ]
    return render(
        request,
        "catalog/standard_detail.html",
        {
            "standard": standard,
            "levels": levels,
            "work_types": standard.work_types.all(),
            "breadcrumbs": [
                (_("Occupations and standards"), reverse("catalog:occupations")),
                (
                    standard.occupation.name,
                    reverse("catalog:occupation", args=[standard.occupation.code]),
                ),
                (str(standard), ""),
            ],
        },
    )


def specs(request):
    page = Paginator(queries.filed_specs().order_by("-filed_on"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "catalog/specs.html", {"page": page})


def spec_public(request, pk: int):
    spec = get_object_or_404(queries.filed_specs(), pk=pk)
    levels = [
        queries.to_basis(spec, r)
        for r in spec.levels.select_related("level").prefetch_related(
            "methods", "eligibility__prior_level"
        )
    ]
    return render(request, "catalog/spec_public.html", {"spec": spec, "levels": levels})


# --- Specifications: agency side ---------------------------------------------------------------


def _level_inputs(formset) -> list[services.LevelInput]:
    items = []
    for form in formset:
        data = form.cleaned_data
        if not data or not data.get("covers"):
            continue
        methods = []
        if data.get("theory"):
            methods.append(
                services.MethodInput(
                    Method.THEORY, 100, data["pass_mark"], data.get("theory_minutes")
                )
            )
        if data.get("skill"):
            methods.append(
                services.MethodInput(
                    Method.SKILL, 100, data["pass_mark"], data.get("skill_minutes")
                )
            )
        if data.get("review"):
            methods.append(services.MethodInput(Method.REVIEW, 100, data["pass_mark"], None))
        eligibility = []
        level = data["level"]
        below = queries.level_below(level)
        if data.get("prior_level_years") is not None and below is not None:
            eligibility.append(
                services.EligibilityInput(
                    "prior_level",
                    prior_level=below.pk,
                    years=data["prior_level_years"],
                    description=_(
                        "Holds %(level)s and has worked %(years)d more years in the occupation."
                    )
                    % {"level": below.display, "years": data["prior_level_years"]},
                )
            )
        if data.get("total_years") is not None:
            eligibility.append(
                services.EligibilityInput(
                    "total_years",
                    years=data["total_years"],
                    description=_("Has worked %(years)d years in the occupation.")
                    % {"years": data["total_years"]},
                )
            )
        items.append(services.LevelInput(level.pk, methods, eligibility))
    return items


def _initial_levels(agency, spec: EvaluationSpec | None) -> list[dict]:
    """One row per level the agency may assess (Art 9), filled from the spec where covered."""
    existing = {}
    if spec is not None:
        existing = {
            r.level_id: r
            for r in spec.levels.select_related("level").prefetch_related("methods", "eligibility")
        }
    initial = []
    for level in sorted(queries.levels(), key=lambda lv: -lv.rank):
        if not services.level_allowed_for(agency.kind, level):
            continue
        req = existing.get(level.pk)
        if req is None:
            initial.append({"level": level, "covers": False, "pass_mark": 60})
            continue
        methods = {m.method: m for m in req.methods.all()}
        rules = {e.route: e for e in req.eligibility.all()}
        any_method = next(iter(methods.values()), None)
        initial.append(
            {
                "level": req.level,
                "covers": True,
                "theory": "theory" in methods,
                "theory_minutes": methods["theory"].duration_minutes
                if "theory" in methods
                else None,
                "skill": "skill" in methods,
                "skill_minutes": methods["skill"].duration_minutes if "skill" in methods else None,
                "review": "review" in methods,
                "pass_mark": any_method.pass_mark if any_method else 60,
                "prior_level_years": rules["prior_level"].years if "prior_level" in rules else None,
                "total_years": rules["total_years"].years if "total_years" in rules else None,
            }
        )
    return initial


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def agency_specs(request, agency_id: int):
    items = EvaluationSpec.objects.filter(agency=request.agency).select_related(
        "occupation", "work_type"
    )
    return render(request, "catalog/agency_specs.html", {"specs": items})


def agency_spec_edit(request, agency_id: int, pk: int | None = None):
    spec = None
    if pk is not None:
        spec = get_object_or_404(EvaluationSpec, pk=pk, agency=request.agency)
    initial = {}
    if spec is not None:
        initial = {
            "occupation": spec.occupation.code,
            "title": spec.title,
            "summary": spec.summary,
            "work_type": spec.work_type.name if spec.work_type else "",
        }
    form = SpecForm(request.POST or None, initial=initial)
    formset = LevelFormSet(
        request.POST or None, prefix="levels", initial=_initial_levels(request.agency, spec)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            if spec is None:
                spec = services.create_spec(
                    request.user,
                    request.agency,
                    occupation=data["occupation"],
                    title=data["title"],
                    summary=data["summary"],
                    work_type=data["work_type"],
                    levels=_level_inputs(formset),
                )
            else:
                services.update_spec(
                    request.user,
                    spec,
                    title=data["title"],
                    summary=data["summary"],
                    occupation_id=data["occupation"].pk,
                    work_type_id=data["work_type"].pk if data["work_type"] else None,
                    levels=_level_inputs(formset),
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The specification has been saved."))
            return redirect("catalog:agency_spec", agency_id, spec.pk)
    return render(
        request, "catalog/agency_spec_edit.html", {"form": form, "formset": formset, "spec": spec}
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
    return render(request, "catalog/spec_detail.html", _spec_context(spec, agency_side=True))


def _spec_context(spec: EvaluationSpec, *, agency_side: bool) -> dict:
    levels = [
        queries.to_basis(spec, r)
        for r in spec.levels.select_related("level").prefetch_related(
            "methods", "eligibility__prior_level"
        )
    ]
    return {
        "spec": spec,
        "levels": levels,
        "reviews": spec.reviews.select_related("submitted_by", "decided_by").order_by("round"),
        "agency_side": agency_side,
        "editable": spec.status in (SpecStatus.DRAFT, SpecStatus.RETURNED),
        "conflicts": services.covered_by_standard(spec)
        if spec.status in (SpecStatus.DRAFT, SpecStatus.RETURNED, SpecStatus.SUBMITTED)
        else [],
    }


# --- Specifications: the filing queue (national testing centre, ministry) ------------------------


def spec_queue(request):
    status = request.GET.get("status", SpecStatus.SUBMITTED)
    items = queries.specs_visible_to(request.user)
    if status in SpecStatus.values:
        items = items.filter(status=status)
    page = Paginator(items.order_by("updated_at"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/spec_queue.html",
        {"page": page, "status": status, "statuses": SpecStatus.choices},
    )


def spec_review(request, pk: int):
    spec = get_object_or_404(queries.specs_visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        comments = request.POST.get("reason", "")
        try:
            if action == "return":
                services.return_spec(request.user, spec, comments=comments)
                messages.success(request, _("The specification has been returned to the agency."))
            elif action == "file":
                spec = services.file_spec(request.user, spec, comments=comments)
                messages.success(
                    request, _("Filed as %(number)s.") % {"number": spec.filing_number}
                )
            elif action == "refuse":
                services.refuse_spec(request.user, spec, reason=comments)
                messages.success(request, _("Filing has been refused."))
            else:
                raise Http404
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for errors in exc.error_dict.values():
                    for error in errors:
                        form.add_error("reason", error)
            else:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("catalog:spec_review", spec.pk)
        else:
            return redirect("catalog:spec_review", spec.pk)
    context = _spec_context(spec, agency_side=False)
    context.update(form=form, can_review=access.can(request.user, "catalog.spec.review", spec))
    return render(request, "catalog/spec_detail.html", context)
