"""Pages of the occupation catalogue (Art 6): the public search and occupation page, and the
keepers' list, form and page of an occupation with its work types. Every change goes
through ``catalog.services``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
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
from catalog.models import Occupation, OccupationStatus
from portal import pagecache
from portal.ui.helpers import button_action, crumbs, form_action, loads, object_for

KEEP = "catalog.occupation.manage"


def occupations_crumb() -> tuple[str, str]:
    return (_("Occupation catalogue"), reverse("catalog:manage_occupations"))


# --- Public pages ----------------------------------------------------------------------------


def occupations(request):
    def build() -> dict:  # not run when the page's content comes from the cache
        form = OccupationSearchForm(request.GET or None)
        results = queries.search_occupations(**form.search_args())
        return {"form": form, "page": Paginator(results, 30).get_page(request.GET.get("page"))}

    context = pagecache.lazy_context(build, "form", "page")
    return render(request, "catalog/occupations/occupations.html", context)


def occupation(request, code: str):
    # Work types are read inside the page's content, which a cached page does not render.
    occupation = pagecache.value(
        "catalog.occupation",
        request,
        lambda: Occupation.objects.select_related("major_category").filter(code=code).first(),
        code,
    )
    if occupation is None:
        raise Http404
    context = {
        "occupation": occupation,
        **pagecache.lazy_context(
            lambda: queries.occupation_page(occupation), "rows", "standards", "specs"
        ),
    }
    context["breadcrumbs"] = crumbs(
        (_("Occupations and standards"), reverse("catalog:occupations")),
        occupation.name,
        root=None,
    )
    return render(request, "catalog/occupations/occupation_detail.html", context)


# --- The keepers' pages ----------------------------------------------------------------------


def manage_occupations(request):
    form = OccupationFilterForm(request.GET or None)
    rows = queries.catalogue_rows(**form.search_args())
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/occupations/manage_occupations.html",
        {"form": form, "page": page, "breadcrumbs": crumbs(_("Occupation catalogue"))},
    )


def occupation_new(request):
    return _occupation_form(request, None)


@loads(Occupation, KEEP, kwarg="code", field="code", as_="occupation")
def occupation_edit(request, occupation: Occupation):
    return _occupation_form(request, occupation)


def _occupation_form(request, occupation: Occupation | None):
    form = OccupationManageForm(request.POST or None, instance=occupation)

    def save(data) -> Occupation:
        if occupation is None:
            return services.create_occupation(
                request.user, code=data["code"], **form.service_fields()
            )
        return services.update_occupation(request.user, occupation, **form.service_fields())

    if done := form_action(
        request,
        form,
        save,
        success_url=lambda saved: reverse("catalog:manage_occupation", args=[saved.code]),
        message=_("The occupation has been added.")
        if occupation is None
        else _("The occupation has been saved."),
    ):
        return done
    title = _("Edit the occupation") if occupation else _("Add an occupation")
    tail = [(occupation.name, _here(occupation))] if occupation else []
    return render(
        request,
        "catalog/occupations/occupation_form.html",
        {
            "form": form,
            "occupation": occupation,
            "title": title,
            "breadcrumbs": crumbs(occupations_crumb(), *tail, title),
        },
    )


def _here(occupation: Occupation) -> str:
    return reverse("catalog:manage_occupation", args=[occupation.code])


@loads(
    Occupation.objects.select_related("major_category"),
    KEEP,
    kwarg="code",
    field="code",
    as_="occupation",
)
def manage_occupation(request, occupation: Occupation):
    """The keepers' page; its forms add a work type, change one's status, or withdraw or
    restore the occupation."""
    forms = {
        "work_type_form": WorkTypeManageForm(prefix="wt"),
        "reason_form": _reason_form(occupation),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_work_type":
            forms["work_type_form"] = WorkTypeManageForm(request.POST, prefix="wt")
            done = _add_work_type(request, occupation, forms["work_type_form"])
        elif action == "work_type_status":
            done = _work_type_status(request, occupation)
        elif action in ("withdraw", "restore"):
            forms["reason_form"] = _reason_form(occupation, request.POST, action)
            done = _occupation_status(request, occupation, action, forms["reason_form"])
        else:
            raise Http404
        if done:
            return done
    context = queries.manage_occupation_page(occupation)
    context.update(forms, breadcrumbs=crumbs(occupations_crumb(), occupation.name))
    return render(request, "catalog/occupations/manage_occupation_detail.html", context)


def _reason_form(occupation: Occupation, data=None, action: str | None = None) -> ReasonForm:
    form = ReasonForm(data)
    if (action or ("withdraw" if occupation.is_active else "restore")) == "restore":
        form.fields["reason"].required = False  # a reason is optional for a restore
    return form


def _add_work_type(request, occupation: Occupation, form):
    return form_action(
        request,
        form,
        lambda data: services.add_work_type(request.user, occupation, **data),
        success_url=_here(occupation),
        message=_("The work type has been added."),
    )


def _work_type_status(request, occupation: Occupation):
    work_type = object_for(request, occupation.work_types, pk=request.POST.get("work_type") or 0)
    status = request.POST.get("status", "")
    return button_action(
        request,
        lambda: services.set_work_type_status(request.user, work_type, status),
        success_url=_here(occupation),
        message=_("The work type has been withdrawn.")
        if status == OccupationStatus.WITHDRAWN
        else _("The work type has been restored."),
    )


def _occupation_status(request, occupation: Occupation, action: str, form):
    withdraw = action == "withdraw"
    status = OccupationStatus.WITHDRAWN if withdraw else OccupationStatus.ACTIVE
    return form_action(
        request,
        form,
        lambda data: services.set_occupation_status(
            request.user, occupation, status, data["reason"]
        ),
        success_url=_here(occupation),
        message=_("The occupation has been withdrawn from the catalogue.")
        if withdraw
        else _("The occupation has been restored to the catalogue."),
    )
