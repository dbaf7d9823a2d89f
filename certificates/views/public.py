"""The certificate's own page (Art 20; decision 0042), public and phone-first: what a printed
QR code leads to for decades. ``/c/<token>/`` and ``/c/<token>.json`` show the facts, the
masked ID, the photo, the status (a revoked or replaced certificate's page stays, saying so,
with the successor linked) and whether the stored credential's signature verifies (Art 22;
decision 0048); an unknown token answers 404 with how to look a
certificate up. ``/certificates/status/<list>/`` is the signed bitstring status list credential."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from certificates import queries, vc, verification


def _or_404(request, token: str):
    found = queries.by_token(token)
    if found is None:
        raise _NotFound
    return found


class _NotFound(Exception):
    pass


def _not_found(request):
    return render(request, "certificates/public/not_found.html", status=404)


def _facts(cert) -> dict:
    return {
        "number": cert.number,
        "holder": cert.masked_name,
        "id_type": cert.id_type,
        "id_number": cert.masked_id,
        "occupation": {"code": cert.occupation_code, "name": cert.occupation_name},
        "work_type": cert.work_type_name,
        "level": cert.level_display,
        "agency": cert.agency_name,
        "issued_on": cert.issued_on.isoformat(),
        "language": cert.variant,
        "status": cert.status,
        "revoked_at": cert.revoked_at.isoformat() if cert.revoked_at else None,
        "revoked_reason": cert.revoked_reason or None,
        "url": cert.public_url,
        "credentialStatus": vc.status_entry(cert),
    }


def _page_facts(cert) -> dict:
    """The facts with whether the stored credential's signature verifies (decision 0048)
    and, for a corrected certificate, its successor."""
    facts = _facts(cert)
    signature = verification.stored_signature(cert)
    facts["signature"] = {
        "state": signature["state"],
        "verified": {"verified": True, "not_verified": False}.get(signature["state"]),
        "key_id": signature["key_id"],
    }
    facts["replaced_at"] = cert.replaced_at.isoformat() if cert.replaced_at else None
    facts["replaced_by"] = (
        {"number": cert.replaced_by.number, "url": cert.replaced_by.public_url}
        if cert.replaced_by_id
        else None
    )
    facts["verify_url"] = settings.CERTIFICATE_BASE_URL.rstrip("/") + reverse("certificates:verify")
    return facts


def certificate(request, token: str):
    try:
        cert = _or_404(request, token)
    except _NotFound:
        return _not_found(request)
    context = {"certificate": cert, "facts": _page_facts(cert)}
    return render(request, "certificates/public/certificate.html", context)


def certificate_signed(request, token: str, sig: str):
    """What the printed QR code opens: looked up by the token only; the signature segment
    says whether the printed facts verify (decision 0046)."""
    from certificates.qr import check_certificate

    try:
        cert = _or_404(request, token)
    except _NotFound:
        return _not_found(request)
    context = {
        "certificate": cert,
        "facts": _page_facts(cert),
        "qr_check": check_certificate(cert, sig),
    }
    return render(request, "certificates/public/certificate.html", context)


def certificate_json(request, token: str):
    cert = queries.by_token(token)
    if cert is None:
        return JsonResponse({"error": "not_found"}, status=404)
    return JsonResponse(_page_facts(cert), json_dumps_params={"ensure_ascii": False})


def photo(request, token: str):
    cert = queries.by_token(token)
    if cert is None or cert.photo is None or not cert.photo.file:
        raise Http404
    response = FileResponse(cert.photo.file.open("rb"), content_type=cert.photo.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@cache_control(public=True, max_age=300)
def status_list(request, pk: int):
    """The signed Bitstring Status List credential (decision 0044), cached until a bit
    changes; a verifier reads bit ``statusListIndex`` of its ``encodedList``."""
    found = queries.status_list(pk)
    if found is None:
        raise Http404
    signed = vc.status_list_credential(found)
    etag = '"' + vc.status_list_digest(signed) + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = JsonResponse(signed)
        response["Content-Type"] = "application/vc+ld+json"
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    return response
