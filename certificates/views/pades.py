"""The root certificate of the portal's PDF signing CA, open to anyone (issue 16; decision 0044):
a verifier adds it as a trust anchor in their PDF reader (or passes it to pyHanko), then every
electronic certificate PDF shows as signed by the portal and unchanged. And the agency's
download of one certificate's verifiable credential, beside its PDF."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseNotAllowed

from certificates import pades, queries, vc


def pdf_ca(request):
    response = HttpResponse(pades.root_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="pdf-ca.pem"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def certificate_credential(request, agency_id: int, pk: int):
    """The agency's download of one certificate's signed VC (the JSON attached to its PDF)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    found = queries.certificates_of_agency(request.agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    response = HttpResponse(
        pades.credential_bytes(vc.credential_for(found)),
        content_type="application/vc+ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{found.number}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
