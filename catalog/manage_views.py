"""Officials' pages of the catalog (Art 6, 8): occupations and work types, the import with
its preview, and national standards with their levels. National testing-centre staff and
ministry officials only; every change goes through ``catalog.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from catalog import imports, queries, services
from catalog.forms import ReasonForm
from catalog.manage_forms import (
    ImportApplyForm,
    ImportUploadForm,
    OccupationFilterForm,
    OccupationManageForm,
    StandardDocumentForm,
    StandardForm,
    StandardLevelFormSet,
    StandardOccupationForm,
    WorkTypeManageForm,
    level_initial,
    plan_fingerprint,
)
from catalog.models import NationalStandard, Occupation, OccupationStatus, WorkType


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _crumbs(*tail) -> list[tuple[str, str]]:
    return [(_("Workspace"), reverse("portal:dashboard")), *tail]


def _occupations_crumb() -> tuple[str, str]:
    return (_("Occupation catalogue"), reverse("catalog:manage_occupations"))


def _standards_crumb() -> tuple[str, str]:
    return (_("National standards"), reverse("catalog:manage_standards"))


# --- Occupations ----------------------------------------------------------------------------------


def occupations(request):
    form = OccupationFilterForm(request.GET or None)
    results = queries.search_occupations(include_withdrawn=True)
    if form.is_valid():
        data = form.cleaned_data
        results = queries.search_occupations(
            data["q"],
            major_category=data["major_category"],
            marker=data["marker"],
            has_standard={"yes": True, "no": False}.get(data["has_standard"]),
            include_withdrawn=True,
        )
        if data["status"]:
            results = results.filter(status=data["status"])
    results = results.annotate(work_type_rows=Count("work_types"))
    page = Paginator(results, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/manage/occupations.html",
        {
            "form": form,
            "page": page,
            "breadcrumbs": _crumbs((_("Occupation catalogue"), "")),
        },
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
            _apply_errors(form, exc)
        else:
            return redirect("catalog:manage_occupation", occupation.code)
    title = _("Edit the occupation") if code else _("Add an occupation")
    tail = [(occupation.name, reverse("catalog:manage_occupation", args=[code]))] if code else []
    return render(
        request,
        "catalog/manage/occupation_form.html",
        {
            "form": form,
            "occupation": occupation if code else None,
            "title": title,
            "breadcrumbs": _crumbs(_occupations_crumb(), *tail, (title, "")),
        },
    )


def occupation_detail(request, code: str):
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
    return render(
        request,
        "catalog/manage/occupation_detail.html",
        {
            "occupation": occupation,
            "work_types": occupation.work_types.order_by("status", "name"),
            "standards": occupation.standards.select_related("supersedes", "document")
            .prefetch_related("levels__level")
            .order_by("-effective_from"),
            "work_type_form": work_type_form,
            "reason_form": reason_form,
            "breadcrumbs": _crumbs(_occupations_crumb(), (occupation.name, "")),
        },
    )


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
        _apply_errors(form, exc)
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
        _apply_errors(form, exc)
        return False
    if action == "withdraw":
        messages.success(request, _("The occupation has been withdrawn from the catalogue."))
    else:
        messages.success(request, _("The occupation has been restored to the catalogue."))
    return True


# --- The import with its preview ------------------------------------------------------------------


def _preview_rows(plan: imports.ImportPlan) -> list[dict]:
    def show(value) -> str:
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return "—" if value in (None, "") else str(value)

    label_of = {
        "name": _("Name"),
        "major_category_id": _("Major category"),
        "is_digital": _("Digital occupation (S)"),
        "is_green": _("Green occupation (L)"),
        "work_type_count": Occupation._meta.get_field("work_type_count").verbose_name,
    }
    return [
        {
            "line": row.line,
            "code": occupation.code,
            "name": occupation.name,
            "changes": [
                (label_of.get(f, f), show(old), show(new)) for f, (old, new) in changes.items()
            ],
        }
        for occupation, row, changes in plan.updates
    ]


def _render_preview(request, plan, *, apply_form=None, upload_form=None, changed=False):
    return render(
        request,
        "catalog/manage/import_preview.html",
        {
            "plan": plan,
            "updates": _preview_rows(plan),
            "apply_form": apply_form,
            "upload_form": upload_form or ImportUploadForm(),
            "changed": changed,
            "breadcrumbs": _crumbs(
                _occupations_crumb(),
                (_("Import the catalogue"), reverse("catalog:manage_import")),
                (_("Preview"), ""),
            ),
        },
    )


def occupation_import(request):
    """Upload (GET form, POST file) → preview; POST ``apply`` → apply the previewed file."""
    if request.method == "POST" and "apply" in request.POST:
        return _import_apply(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, source = form.cleaned_data["file"], form.cleaned_data["source"]
        upload.seek(0)
        data = upload.read()
        plan = imports.plan_import(data, upload.name)
        apply_form = None
        if plan.ok:
            apply_form = ImportApplyForm.for_preview(request.user, data, upload.name, source, plan)
        return _render_preview(request, plan, apply_form=apply_form)
    return render(
        request,
        "catalog/manage/import.html",
        {
            "form": form,
            "breadcrumbs": _crumbs(_occupations_crumb(), (_("Import the catalogue"), "")),
        },
    )


def _import_apply(request):
    form = ImportApplyForm(request.POST, user=request.user)
    if not form.is_valid():
        for message in form.non_field_errors():
            messages.error(request, message)
        return redirect("catalog:manage_import")
    data, filename, source = (
        form.cleaned_data["bytes"],
        form.cleaned_data["filename"],
        form.cleaned_data["source"],
    )
    plan = imports.plan_import(data, filename)
    if plan.ok and plan_fingerprint(plan) != form.cleaned_data["plan"]:
        # The catalogue changed since the preview: show what applying would do now.
        apply_form = ImportApplyForm.for_preview(request.user, data, filename, source, plan)
        return _render_preview(request, plan, apply_form=apply_form, changed=True)
    plan = imports.apply_import(request.user, data, filename, source=source)
    if not plan.ok:
        return _render_preview(request, plan)
    messages.success(
        request,
        _(
            "The catalogue has been imported: %(created)d new, %(updated)d changed, "
            "%(unchanged)d unchanged."
        )
        % {"created": len(plan.creates), "updated": len(plan.updates), "unchanged": plan.unchanged},
    )
    return redirect("catalog:manage_occupations")


# --- National standards ---------------------------------------------------------------------------


def standards(request):
    q = (request.GET.get("q") or "").strip()[:40]
    items = (
        NationalStandard.objects.select_related(
            "occupation", "supersedes", "superseded_by", "document"
        )
        .prefetch_related("levels__level")
        .order_by("occupation__code", "-effective_from")
    )
    if q:
        code = q.replace("－", "-").replace(" ", "")
        items = items.filter(
            Q(occupation__code__startswith=code)
            | Q(occupation__name__contains=q)
            | Q(title__contains=q)
        )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/manage/standards.html",
        {
            "page": page,
            "q": q,
            "breadcrumbs": _crumbs((_("National standards"), "")),
        },
    )


def _level_formset(request, standard: NationalStandard | None):
    levels = sorted(queries.levels(), key=lambda lv: lv.rank)
    existing = {}
    if standard is not None:
        existing = {
            r.level_id: r
            for r in standard.levels.prefetch_related("methods", "eligibility__prior_level")
        }
    return StandardLevelFormSet(
        request.POST or None,
        prefix="levels",
        levels=levels,
        initial=[level_initial(level, existing.get(level.pk)) for level in levels],
    )


def _all_valid(*forms) -> bool:
    results = [f.is_valid() for f in forms]  # validate every form, so each shows its errors
    return all(results)


def _standards_of(occupation: Occupation) -> str:
    return reverse("catalog:manage_standards") + "?" + urlencode({"q": occupation.code})


def standard_new(request):
    picker = StandardOccupationForm(request.GET or None)
    if not picker.is_valid():
        return render(
            request,
            "catalog/manage/standard_pick.html",
            {
                "form": picker,
                "breadcrumbs": _crumbs(_standards_crumb(), (_("Record a national standard"), "")),
            },
        )
    occupation = picker.cleaned_data["occupation"]
    form = StandardForm(request.POST or None, occupation=occupation)
    formset = _level_formset(request, None)
    if request.method == "POST" and _all_valid(form, formset):
        data = form.cleaned_data
        try:
            standard = services.create_standard(
                request.user,
                occupation,
                levels=formset.level_inputs(),
                supersedes=data["supersedes"],
                work_types=data.get("work_types") or (),
                **form.service_fields(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(standard)s has been recorded.") % {"standard": standard})
            return redirect(_standards_of(occupation))
    return _render_standard_form(request, form, formset, occupation, None)


def standard_edit(request, pk: int):
    standard = get_object_or_404(
        NationalStandard.objects.select_related("occupation", "supersedes", "document"), pk=pk
    )
    occupation = standard.occupation
    form = StandardForm(request.POST or None, occupation=occupation, standard=standard)
    formset = _level_formset(request, standard)
    if request.method == "POST" and _all_valid(form, formset):
        try:
            services.update_standard(
                request.user,
                standard,
                levels=formset.level_inputs(),
                work_types=form.cleaned_data.get("work_types") or (),
                **form.service_fields(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(standard)s has been saved.") % {"standard": standard})
            return redirect(_standards_of(occupation))
    return _render_standard_form(request, form, formset, occupation, standard)


def _render_standard_form(request, form, formset, occupation, standard):
    title = _("Edit the national standard") if standard else _("Record a national standard")
    return render(
        request,
        "catalog/manage/standard_form.html",
        {
            "form": form,
            "formset": formset,
            "occupation": occupation,
            "standard": standard,
            "title": title,
            "breadcrumbs": _crumbs(
                _standards_crumb(),
                (f"{occupation.code} {occupation.name}", _standards_of(occupation)),
                (title, ""),
            ),
        },
    )


def standard_document(request, pk: int):
    standard = get_object_or_404(
        NationalStandard.objects.select_related("occupation", "document"), pk=pk
    )
    form = StandardDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_standard_document(request.user, standard, form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, _("The PDF of %(standard)s has been stored.") % {"standard": standard}
            )
            return redirect(_standards_of(standard.occupation))
    return render(
        request,
        "catalog/manage/standard_document.html",
        {
            "form": form,
            "standard": standard,
            "breadcrumbs": _crumbs(
                _standards_crumb(),
                (str(standard), reverse("catalog:manage_standard_edit", args=[standard.pk])),
                (_("Upload the PDF"), ""),
            ),
        },
    )
