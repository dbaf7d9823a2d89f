"""The certificate PDF pages (Art 20; decision 0043): one certificate's PDF and a session's batch
PDF for the printer, each "being generated" until the Celery task has filled the cache, then the
file; the agency's certificate settings page with its seal image. Thin views: the work goes
through ``certificates.services.pdfs`` and ``certificates.services.seals``."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import AssessmentSession
from certificates import pdf, queries
from certificates.forms.pdf import SealForm
from certificates.services import pdfs, seals
from portal import access
from portal.ui.helpers import apply_errors, crumbs


def _list_crumb(agency_id: int):
    return (_("Certificates"), reverse("certificates:agency_certificates", args=[agency_id]))


def _print_crumb(agency_id: int):
    return (_("Print certificates"), reverse("certificates:print_sessions", args=[agency_id]))


def _serve(request, row, filename: str, title: str, back: tuple):
    if row.ready:
        response = FileResponse(
            row.file.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    context = {"row": row, "title": title, "breadcrumbs": crumbs(back, title)}
    return render(request, "certificates/print/pending.html", context)


def certificate_pdf(request, agency_id: int, pk: int):
    if request.method != "GET":  # asking fills the cache: only a GET asks
        return HttpResponseNotAllowed(["GET"])
    found = queries.certificates_of_agency(request.agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    row = pdfs.request_certificate_pdf(request.user, found)
    back = (found.number, reverse("certificates:agency_certificate", args=[agency_id, pk]))
    return _serve(request, row, f"{found.number}.pdf", _("Certificate PDF"), back)


def _sessions_with_certificates(agency):
    return (
        AssessmentSession.objects.filter(agency=agency, certificates__isnull=False)
        .annotate(certificate_count=Count("certificates"))
        .select_related("occupation", "level", "site")
        .order_by("-last_sitting_on", "-pk")
    )


def print_sessions(request, agency_id: int):
    context = {
        "sessions": _sessions_with_certificates(request.agency)[:100],
        "breadcrumbs": crumbs(_list_crumb(agency_id), _("Print certificates")),
    }
    return render(request, "certificates/print/sessions.html", context)


def session_pdf(request, agency_id: int, pk: int):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    session = _sessions_with_certificates(request.agency).filter(pk=pk).first()
    if session is None:
        raise Http404
    row = pdfs.request_session_pdf(request.user, session)
    return _serve(
        request,
        row,
        f"certificates-session-{session.pk}.pdf",
        _("Certificates of the session for the printer"),
        _print_crumb(agency_id),
    )


def seal(request, agency_id: int):
    agency = request.agency
    may_upload = access.can(request.user, "certificates.seal.manage", agency)
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        if form.is_valid():
            try:
                seals.upload_seal(request.user, agency, form.cleaned_data["image"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The seal image is saved; it is printed on the certificates from now on."),
                )
                return redirect("certificates:seal", agency_id)
    current = pdf.seal_of(agency.pk)
    preview = ""
    if current and current.document.file:
        with current.document.file.open("rb") as image:  # at most CERTIFICATE_SEAL_MAX_BYTES
            preview = "data:image/png;base64," + base64.b64encode(image.read()).decode()
    context = {
        "preview": preview,
        "form": form,
        "seal": current,
        "may_upload": may_upload,
        "breadcrumbs": crumbs(_list_crumb(agency_id), _("Certificate settings")),
    }
    return render(
        request, "certificates/print/seal.html", context, status=400 if form.errors else 200
    )
