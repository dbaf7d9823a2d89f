"""Pages of national standards (Art 7, 8, 17): the public list and page of an edition, and the
keepers' list, the form of an edition with its levels, and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from catalog import queries, services
from catalog.forms import (
    StandardDocumentForm,
    StandardForm,
    StandardOccupationForm,
    standard_level_formset,
)
from catalog.models import NationalStandard, Occupation
from portal import pagecache, validators
from portal.ui.helpers import crumbs, form_action, loads

KEEP = "catalog.standard.manage"


def _standards_crumb() -> tuple[str, str]:
    return (_("National standards"), reverse("catalog:manage_standards"))


def _standards_of(occupation: Occupation) -> str:
    return reverse("catalog:manage_standards") + "?" + urlencode({"q": occupation.code})


def _all_valid(*forms) -> bool:
    results = [f.is_valid() for f in forms]  # validate every form, so each shows its errors
    return all(results)


# --- Public pages ----------------------------------------------------------------------------


def standards(request):
    context = pagecache.lazy_context(
        lambda: {"page": Paginator(queries.all_standards(), 50).get_page(request.GET.get("page"))},
        "page",
    )
    return render(request, "catalog/standards/standards.html", context)


def standard(request, pk: int):
    standard = get_object_or_404(
        NationalStandard.objects.select_related("occupation", "document", "supersedes"), pk=pk
    )
    occupation = standard.occupation
    context = queries.standard_page(standard)
    context["breadcrumbs"] = crumbs(
        (_("Occupations and standards"), reverse("catalog:occupations")),
        (occupation.name, reverse("catalog:occupation", args=[occupation.code])),
        str(standard),
        root=None,
    )
    return render(request, "catalog/standards/standard_detail.html", context)


# --- The keepers' pages ----------------------------------------------------------------------


def manage_standards(request):
    q = (request.GET.get("q") or "").strip()[:40]
    if validators.has_control_characters(q):  # a NUL would be a database error
        messages.error(request, validators.CONTROL_MESSAGE)
        q = ""
    page = Paginator(queries.search_standards(q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/standards/manage_standards.html",
        {"page": page, "q": q, "breadcrumbs": crumbs(_("National standards"))},
    )


def standard_new(request):
    """Step one names the occupation (GET ``?occupation=``); step two records the edition."""
    picker = StandardOccupationForm(request.GET or None)
    if not picker.is_valid():
        return _render_pick(request, picker)
    occupation = picker.cleaned_data["occupation"]
    form = StandardForm(request.POST or None, occupation=occupation)
    formset = standard_level_formset(request.POST or None, None)

    def create(data) -> NationalStandard:
        return services.create_standard(
            request.user,
            occupation,
            levels=formset.level_inputs(),
            supersedes=data["supersedes"],
            work_types=data.get("work_types") or (),
            **form.service_fields(),
        )

    if _all_valid(form, formset) and (
        done := form_action(
            request,
            form,
            create,
            success_url=_standards_of(occupation),
            message=lambda created: _("%(standard)s has been recorded.") % {"standard": created},
        )
    ):
        return done
    return _render_standard_form(request, form, formset, occupation, None)


@loads(NationalStandard.objects.select_related("occupation", "supersedes", "document"), KEEP)
def standard_edit(request, obj: NationalStandard):
    standard, occupation = obj, obj.occupation
    form = StandardForm(request.POST or None, occupation=occupation, standard=standard)
    formset = standard_level_formset(request.POST or None, standard)

    def update(data) -> NationalStandard:
        return services.update_standard(
            request.user,
            standard,
            levels=formset.level_inputs(),
            work_types=data.get("work_types") or (),
            **form.service_fields(),
        )

    if _all_valid(form, formset) and (
        done := form_action(
            request,
            form,
            update,
            success_url=_standards_of(occupation),
            message=_("%(standard)s has been saved.") % {"standard": standard},
        )
    ):
        return done
    return _render_standard_form(request, form, formset, occupation, standard)


def _render_pick(request, picker):
    title = _("Record a national standard")
    return render(
        request,
        "catalog/standards/standard_pick.html",
        {"form": picker, "breadcrumbs": crumbs(_standards_crumb(), title)},
    )


def _render_standard_form(request, form, formset, occupation, standard):
    title = _("Edit the national standard") if standard else _("Record a national standard")
    return render(
        request,
        "catalog/standards/standard_form.html",
        {
            "form": form,
            "formset": formset,
            "occupation": occupation,
            "standard": standard,
            "title": title,
            "breadcrumbs": crumbs(
                _standards_crumb(),
                (f"{occupation.code} {occupation.name}", _standards_of(occupation)),
                title,
            ),
        },
    )


@loads(NationalStandard.objects.select_related("occupation", "document"), KEEP)
def standard_document(request, obj: NationalStandard):
    standard = obj
    form = StandardDocumentForm(request.POST or None, request.FILES or None)

    def attach(data):
        try:
            return services.attach_standard_document(request.user, standard, data["file"])
        except ValidationError as exc:  # whatever is wrong with the file is said at the file
            raise ValidationError({"file": exc.error_list}) from exc

    if done := form_action(
        request,
        form,
        attach,
        success_url=_standards_of(standard.occupation),
        message=_("The PDF of %(standard)s has been stored.") % {"standard": standard},
    ):
        return done
    edit_url = reverse("catalog:manage_standard_edit", args=[standard.pk])
    return render(
        request,
        "catalog/standards/standard_document.html",
        {
            "form": form,
            "standard": standard,
            "breadcrumbs": crumbs(
                _standards_crumb(), (str(standard), edit_url), _("Upload the PDF")
            ),
        },
    )
