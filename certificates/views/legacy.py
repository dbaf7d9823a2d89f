"""Legacy certificate imports for testing-centre staff (Art 4; decision 0046): the list of
imports, the upload, the preview of every row and the apply button. Thin: everything goes
through ``certificates.services.legacy``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import queries
from certificates.forms.legacy import LegacyImportForm
from certificates.services import legacy
from portal.ui.helpers import button_action, crumbs, form_action

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _list_url() -> str:
    return reverse("certificates:legacy_imports")


def imports(request):
    form = LegacyImportForm(request.POST or None, request.FILES or None)
    done = form_action(
        request,
        form,
        lambda data: legacy.stage(
            request.user, data["file"], source=data["source"], file_name=data["file"].name
        ),
        success_url=lambda b: reverse("certificates:legacy_import", args=[b.pk]),
    )
    if done:
        return done
    page = Paginator(queries.legacy_imports_for(request.user), 30).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "records": queries.legacy_certificates_for(request.user).count(),
        "breadcrumbs": crumbs(_("Legacy certificates")),
    }
    return render(request, "certificates/legacy/imports.html", context)


def template(request):
    response = HttpResponse(legacy.template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''legacy-certificates.xlsx"
    return response


def _batch(request, pk: int):
    return get_object_or_404(queries.legacy_imports_for(request.user), pk=pk)


def detail(request, pk: int):
    batch = _batch(request, pk)
    rows = batch.rows
    context = {
        "batch": batch,
        "columns": legacy.COLUMNS,
        "preview": [_preview(r) for r in rows],
        "apply_refusal": legacy.apply_refusal(batch, request.user),
        "problems": [
            {
                "anchor": f"row-{r['row']}",
                "label": _("Row %(n)d") % {"n": r["row"]},
                "message": legacy.describe_errors(r["errors"]),
            }
            for r in rows
            if r["errors"]
        ][:50],
        "breadcrumbs": crumbs((_("Legacy certificates"), _list_url()), batch.file_name),
    }
    return render(request, "certificates/legacy/import.html", context)


def _preview(row: dict) -> dict:
    from portal.pii import mask_name

    values = row["values"]
    shown = {
        "number": values.get("number", ""),
        "holder_name": mask_name(values.get("holder_name", "")),
        "id_type": "",
        "id_number": values.get("id_masked", ""),
        "occupation_code": values.get("occupation_code", ""),
        "occupation_name": values.get("occupation_name", ""),
        "work_type_name": values.get("work_type_name", ""),
        "level": values.get("level_display", ""),
        "agency_name": values.get("agency_name", ""),
        "issued_on": values.get("issued_on", ""),
    }
    cells = [
        {
            "value": shown[c.key],
            "error": row["errors"].get(c.key, ""),
            # numbers, codes and dates never break over lines (`.code`)
            "code": c.key in {"number", "id_number", "occupation_code", "issued_on"},
        }
        for c in legacy.COLUMNS
        if c.key != "id_type"
    ]
    return {
        "row": row["row"],
        "errors": row["errors"],
        "already": row.get("already"),
        "cells": cells,
    }


@require_POST
def apply(request, pk: int):
    batch = _batch(request, pk)
    return button_action(
        request,
        lambda: legacy.apply(request.user, batch),
        success_url=reverse("certificates:legacy_import", args=[batch.pk]),
        message=lambda b: (
            _("%(n)d legacy certificates imported, %(s)d already on record.")
            % {"n": b.added, "s": b.skipped}
        ),
    )
