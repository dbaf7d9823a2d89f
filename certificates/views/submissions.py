"""Data submission pages (Art 21; decision 0052): the agency's batches and its "submit now"
button; for the testing centre the batches of its jurisdiction, a batch with its manifest,
downloads and the acknowledgement (with a confirmation step), and the late agencies. Thin:
everything goes through ``certificates.services.submission``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certificates import queries
from certificates.forms.submissions import AcknowledgeForm, SubmissionFilterForm
from certificates.models import FileKind
from certificates.services import submission as service
from portal.ui.confirm import confirm_page, is_confirmed, is_revising
from portal.ui.helpers import apply_errors, button_action, crumbs

PER_PAGE = 30


def _list_crumb():
    return (_("Data submissions"), reverse("certificates:submissions"))


def agency_submissions(request, agency_id: int):
    agency = request.agency
    url = reverse("certificates:agency_submissions", args=[agency_id])
    if request.method == "POST":
        return button_action(
            request,
            lambda: service.submit_batch(agency, actor=request.user),
            success_url=url,
            message=lambda b: (
                _("Batch %(n)d was submitted to the testing centre with %(e)d events.")
                % {"n": b.sequence, "e": b.total}
                if b
                else _("Nothing to submit.")
            ),
        )
    page = Paginator(queries.submissions_of_agency(agency), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "refusal": service.submit_refusal(agency, request.user),
        "pending": service.pending_count(agency),
        "breadcrumbs": crumbs(
            (_("Certificates"), reverse("certificates:agency_certificates", args=[agency_id])),
            _("Data submission"),
        ),
    }
    return render(request, "certificates/submissions/agency.html", context)


def submissions(request):
    form = SubmissionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = queries.submissions_for(request.user)
    state = data.get("state") or "all"
    if state == "waiting":
        found = found.filter(acknowledged_at__isnull=True)
    elif state == "acknowledged":
        found = found.filter(acknowledged_at__isnull=False)
    if text := (data.get("q") or "").strip():
        found = found.filter(Q(agency__name__icontains=text) | Q(agency__uscc=text.upper()))
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "breadcrumbs": crumbs(_("Data submissions"))}
    return render(request, "certificates/submissions/list.html", context)


def late(request):
    context = {
        "late": service.late_agencies(request.user),
        "due": settings.DATA_SUBMISSION_DUE_WORKING_DAYS,
        "breadcrumbs": crumbs(_list_crumb(), _("Late agencies")),
    }
    return render(request, "certificates/submissions/late.html", context)


def _batch(request, pk: int):
    return get_object_or_404(queries.submissions_for(request.user), pk=pk)


def submission(request, pk: int):
    batch = _batch(request, pk)
    url = reverse("certificates:submission", args=[pk])
    form = AcknowledgeForm(request.POST or None)
    refusal = service.acknowledge_refusal(batch, request.user)
    if request.method == "POST" and not is_revising(request) and form.is_valid():
        if refusal:
            messages.error(request, refusal)
            return redirect(url)
        if not is_confirmed(request):
            return confirm_page(
                request,
                title=_("Acknowledge the submission"),
                subject=_("%(agency)s, batch %(n)d")
                % {"agency": batch.agency.name, "n": batch.sequence},
                points=[
                    _("You confirm that the testing centre received this batch of %(e)d events.")
                    % {"e": batch.total},
                    _("The agency sees the acknowledgement and your note; it cannot be undone."),
                ],
                confirm_label=_("Acknowledge"),
                back_url=url,
                breadcrumbs=crumbs(_list_crumb(), _("Batch %(n)d") % {"n": batch.sequence}),
            )
        try:
            service.acknowledge_batch(request.user, batch, form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The batch is acknowledged."))
            return redirect(url)
    files = {f.kind: f for f in batch.files.all()}
    context = {
        "batch": batch,
        "form": form,
        "refusal": refusal,
        "files": [files[k] for k in FileKind.values if k in files],
        "manifest": service.manifest_bytes(batch).decode(),
        "breadcrumbs": crumbs(
            _list_crumb(),
            _("%(agency)s, batch %(n)d") % {"agency": batch.agency.name, "n": batch.sequence},
        ),
    }
    return render(request, "certificates/submissions/detail.html", context)


@require_GET
def download(request, pk: int, kind: str):
    """A download is audited, so only a GET downloads (a POST writes nothing: 405)."""
    batch = _batch(request, pk)
    if kind not in (*FileKind.values, "manifest"):
        raise Http404
    data, name, content_type = service.download(request.user, batch, kind)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["Cache-Control"] = "no-store"
    return response
