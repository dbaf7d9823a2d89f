"""The keepers' import of the occupation catalogue (Art 6): upload, preview, apply."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from catalog import queries
from catalog.forms import ImportApplyForm, ImportUploadForm, plan_fingerprint
from catalog.services import imports
from catalog.views.occupations import occupations_crumb
from portal.ui.helpers import crumbs


def _render_preview(request, plan, *, apply_form=None, upload_form=None, changed=False):
    return render(
        request,
        "catalog/imports/import_preview.html",
        {
            "plan": plan,
            "updates": queries.import_preview_rows(plan),
            "apply_form": apply_form,
            "upload_form": upload_form or ImportUploadForm(),
            "changed": changed,
            "breadcrumbs": crumbs(
                occupations_crumb(),
                (_("Import the catalogue"), reverse("catalog:manage_import")),
                _("Preview"),
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
        "catalog/imports/import.html",
        {
            "form": form,
            "breadcrumbs": crumbs(occupations_crumb(), _("Import the catalogue")),
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
