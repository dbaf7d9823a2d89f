"""The agency's certificate pages (Art 20): its certificates (search by number or name), the
issuing page for one or several sessions with final results, and the batch with its progress.
Thin views: issuing goes through ``certificates.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates import queries, services
from certificates.forms import IssueForm, SearchForm
from certificates.models import IssuanceBatch
from portal.ui.helpers import apply_errors, crumbs

PER_PAGE = 50


def _list_crumb(agency_id: int):
    return (_("Certificates"), reverse("certificates:agency_certificates", args=[agency_id]))


def certificates(request, agency_id: int):
    form = SearchForm(request.GET or None)
    text = form.cleaned_data.get("q", "") if form.is_valid() else ""
    found = queries.search(queries.certificates_of_agency(request.agency), text)
    page = Paginator(found.order_by("-issued_on", "number"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "q": text,
        "waiting": queries.issuable_sessions(request.agency)[:20],
        "batches": queries.batches_of_agency(request.agency)[:10],
        "breadcrumbs": crumbs(_("Certificates")),
    }
    return render(request, "certificates/agency/certificates.html", context)


def certificate(request, agency_id: int, pk: int):
    found = queries.certificates_of_agency(request.agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    from certificates.models import RequestKind

    context = {
        "certificate": found,
        "breadcrumbs": crumbs(_list_crumb(agency_id), found.number),
        # Art 27 (decision 0049): ask to revoke, correct or reissue; the button says why not.
        "ask_buttons": [
            (RequestKind.REVOKE.value, _("Ask to revoke")),
            (RequestKind.CORRECT.value, _("Ask to correct")),
            (RequestKind.REISSUE.value, _("Ask to reissue the paper certificate")),
        ],
        "request_refusal": services.request_refusal(found, request.user),
        "certificate_requests": found.requests.order_by("-requested_at")[:10],
    }
    return render(request, "certificates/agency/certificate.html", context)


def issue(request, agency_id: int):
    agency = request.agency
    sessions = queries.issuable_sessions(agency)
    initial = {"sessions": [int(x) for x in request.GET.getlist("session") if x.isdigit()]}
    form = IssueForm(request.POST or None, sessions=sessions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.request_issuance(
                request.user,
                list(form.cleaned_data["sessions"]),
                variant=form.cleaned_data["variant"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            batch.refresh_from_db()
            if batch.finished:
                messages.success(request, _("The batch has run: see its result below."))
            else:
                messages.success(request, _("The certificates are being issued."))
            return redirect("certificates:batch", agency_id, batch.pk)
    rows = [{"session": s, "refusal": services.session_refusal(s)} for s in sessions]
    title = _("Issue certificates")
    context = {
        "form": form,
        "rows": rows,
        # The button stays disabled, with the reason, while no session can be issued.
        "issue_refusal": rows[0]["refusal"] if rows and all(r["refusal"] for r in rows) else "",
        "title": title,
        "breadcrumbs": crumbs(_list_crumb(agency_id), title),
    }
    return render(request, "certificates/agency/issue.html", context)


def _batch(request, pk: int) -> IssuanceBatch:
    found = queries.batches_of_agency(request.agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def batch(request, agency_id: int, pk: int):
    found = _batch(request, pk)
    issued = found.certificates.order_by("number")
    page = Paginator(issued, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "batch": found,
        "progress": services.batch_progress(found),
        "sessions": found.sessions.select_related("occupation", "work_type", "level"),
        "page": page,
        "breadcrumbs": crumbs(_list_crumb(agency_id), _("Batch %(n)s") % {"n": found.pk}),
    }
    return render(request, "certificates/agency/batch.html", context)


def batch_progress(request, agency_id: int, pk: int):
    """The small JSON the progress bar polls."""
    return JsonResponse(services.batch_progress(_batch(request, pk)))
