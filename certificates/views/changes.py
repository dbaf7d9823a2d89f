"""Revocation, correction and reissue pages (Art 27; decision 0049).

The agency asks from its certificate's page and follows its requests; the filing authority
decides from its queue; an official of the site's province (or national) revokes directly.
Deciding and revoking ask the password again on the confirmation page (decision 0026).
Thin views: every change goes through ``certificates.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates import queries, services
from certificates.forms.changes import CorrectionForm, DecisionForm, RequestForm, RevokeForm
from certificates.models import RequestKind, RequestState
from portal import access
from portal.ui.confirm import is_revising
from portal.ui.confirm import with_password as _with_password
from portal.ui.helpers import apply_errors, crumbs

PER_PAGE = 50

_ASK = {
    RequestKind.REVOKE: (RequestForm, services.request_revocation),
    RequestKind.CORRECT: (CorrectionForm, services.request_correction),
    RequestKind.REISSUE: (RequestForm, services.request_reissue),
}


# --- The agency -----------------------------------------------------------------------------


def _agency_certificate(request, pk: int):
    found = queries.certificates_of_agency(request.agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def ask(request, agency_id: int, pk: int, kind: str):
    """Ask the filing authority to revoke, correct or reissue one of the agency's certificates."""
    if kind not in _ASK:
        raise Http404
    certificate = _agency_certificate(request, pk)
    form_class, service = _ASK[kind]
    form = form_class(request.POST or None, request.FILES or None)
    refusal = services.request_refusal(certificate, request.user, kind)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["evidence"] = data.pop("evidence") or []
        try:
            service(request.user, certificate, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The request was sent to the filing authority."))
            return redirect("certificates:agency_requests", agency_id)
    page = reverse("certificates:agency_certificate", args=[agency_id, pk])
    title = {
        RequestKind.REVOKE: _("Ask to revoke the certificate"),
        RequestKind.CORRECT: _("Ask to correct the certificate"),
        RequestKind.REISSUE: _("Ask to reissue the paper certificate"),
    }[kind]
    context = {
        "certificate": certificate,
        "form": form,
        "kind": kind,
        "title": title,
        "refusal": refusal,
        "breadcrumbs": crumbs(
            (_("Certificates"), reverse("certificates:agency_certificates", args=[agency_id])),
            (certificate.number, page),
            title,
        ),
    }
    return render(request, "certificates/changes/ask.html", context)


def agency_requests(request, agency_id: int):
    rows = queries.requests_of_agency(request.agency)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        row.withdraw_refusal = services.withdraw_refusal(row, request.user)
    context = {"page": page, "breadcrumbs": crumbs(_("Certificate requests"))}
    return render(request, "certificates/changes/agency_requests.html", context)


def withdraw(request, agency_id: int, pk: int):
    """POST only: withdraw a request still waiting for a decision."""
    if request.method != "POST":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["POST"])
    found = queries.requests_of_agency(request.agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    try:
        services.withdraw_request(request.user, found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request was withdrawn."))
    return redirect("certificates:agency_requests", agency_id)


# --- The filing authority ------------------------------------------------------------------------


def queue(request):
    show = request.GET.get("state", RequestState.PENDING)
    rows = queries.requests_for_official(request.user)
    if show != "all":
        show = RequestState.PENDING
        rows = rows.filter(state=RequestState.PENDING).order_by("requested_at")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "breadcrumbs": crumbs(_("Certificate requests"))}
    return render(request, "certificates/changes/queue.html", context)


def _restate_decision(req, approve: bool) -> list[str]:
    cert = req.certificate
    if not approve:
        return [
            _("The request is refused; the certificate %(number)s stays as it is.")
            % {"number": cert.number},
            _("The agency reads your note."),
        ]
    if req.kind == RequestKind.REVOKE:
        return [
            _("The certificate %(number)s of %(name)s is revoked today (Art 27).")
            % {"number": cert.number, "name": cert.holder_name},
            _("Reason shown on its public page and in the lookup: %(reason)s")
            % {"reason": req.reason},
            _("Revocation is final: it cannot be undone and the number is never used again."),
            _("The holder is told by e-mail where an address is known."),
        ]
    if req.kind == RequestKind.CORRECT:
        return [
            _(
                "A corrected certificate is issued today with a new number; %(number)s is "
                "marked replaced and its page points to the new one."
            )
            % {"number": cert.number},
            _("Holder on the new certificate: %(name)s %(id)s")
            % {
                "name": req.corrected_name or cert.holder_name,
                "id": _masked_corrected_id(req),
            },
        ]
    return [
        _(
            "The paper certificate %(number)s is printed again with the mark 补发 and today's "
            "date; the number and facts stay the same."
        )
        % {"number": cert.number},
    ]


def _masked_corrected_id(req) -> str:
    from portal import pii

    if req.corrected_id_number:
        return pii.mask_id(req.corrected_id_number, req.corrected_id_type)
    return req.certificate.masked_id


def decide(request, pk: int):
    """The request, its evidence and the certificate; approve or refuse with the password."""
    req = queries.requests_for_official(request.user).filter(pk=pk).first()
    if req is None or not access.can(request.user, "certificates.request.decide", req):
        raise Http404
    form = DecisionForm(request.POST or None)
    refusal = services.decide_refusal(req, request.user)
    page = reverse("certificates:request_decide", args=[pk])
    label = f"{req.get_kind_display()} · {req.certificate.number}"
    trail = crumbs((_("Certificate requests"), reverse("certificates:request_queue")), label)
    if request.method == "POST" and not is_revising(request) and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        note = form.cleaned_data["note"]
        if refusal:
            form.add_error(None, refusal)
        elif not approve and not note.strip():
            form.add_error("note", _("Say why the request is refused."))
        else:
            restated = {
                "title": _("Confirm the decision"),
                "subject": label,
                "points": _restate_decision(req, approve),
                "confirm_label": _("Approve") if approve else _("Refuse"),
                "back_url": page,
                "breadcrumbs": trail,
            }
            answer = _with_password(
                request,
                form,
                restated,
                lambda: services.decide_request(request.user, req, approve=approve, note=note),
                _("The decision was recorded."),
                page,
            )
            if answer is not None:
                return answer
    context = {
        "req": req,
        "certificate": req.certificate,
        "corrected_id": _masked_corrected_id(req) if req.corrected_id_number else "",
        "evidence": list(req.evidence.all()),
        "form": form,
        "refusal": refusal,
        "breadcrumbs": trail,
    }
    return render(request, "certificates/changes/decide.html", context)


# --- Direct revocation by an official --------------------------------------------------------


def revoke(request, pk: int):
    """An official of the site's province (or national) revokes directly, e.g. after a spot
    check (Art 27); confirmed with the password."""
    cert = queries.certificates_for(request.user).filter(pk=pk).first()
    if cert is None or not access.can(request.user, "certificates.revoke", cert):
        raise Http404
    form = RevokeForm(request.POST or None)
    refusal = services.revoke_refusal(cert, request.user)
    page = reverse("certificates:revoke", args=[pk])
    trail = crumbs(
        (_("Certificates issued"), reverse("certificates:registry")),
        (cert.number, page),
    )
    if request.method == "POST" and not is_revising(request) and form.is_valid():
        reason = form.cleaned_data["reason"]
        if refusal:
            form.add_error(None, refusal)
        else:
            restated = {
                "title": _("Confirm the revocation"),
                "subject": f"{cert.number} · {cert.holder_name}",
                "points": [
                    _("The certificate %(number)s of %(name)s is revoked today (Art 27).")
                    % {"number": cert.number, "name": cert.holder_name},
                    _("Reason shown on its public page and in the lookup: %(reason)s")
                    % {"reason": reason},
                    _(
                        "Revocation is final: it cannot be undone and the number is never "
                        "used again."
                    ),
                    _("The holder is told by e-mail where an address is known."),
                ],
                "confirm_label": _("Revoke the certificate"),
                "back_url": page,
                "breadcrumbs": trail,
            }
            answer = _with_password(
                request,
                form,
                restated,
                lambda: services.revoke_certificate(request.user, cert, reason=reason),
                _("The certificate was revoked."),
                page,
            )
            if answer is not None:
                return answer
    context = {"certificate": cert, "form": form, "refusal": refusal, "breadcrumbs": trail}
    return render(request, "certificates/changes/revoke.html", context)
