"""Published keys (Art 20; decision 0044), public and cacheable: the issuer's DID document at
``/.well-known/did.json`` (every current and retired verification method, Multikey) and the
same keys as a JWK Set at ``/certificates/keys/``. Nothing here is secret."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import cache_control

from certificates import keys


@cache_control(public=True, max_age=3600)
def did_document(request):
    response = JsonResponse(keys.did_document())
    response["Content-Type"] = "application/did+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_control(public=True, max_age=3600)
def jwks(request):
    response = JsonResponse(keys.jwks())
    response["Content-Type"] = "application/jwk-set+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def certificate_credential(request, agency_id: int, pk: int):
    """The agency's download of one certificate's signed credential (JSON), signed now if
    the signing task has not reached it yet."""
    from django.http import Http404, HttpResponseNotAllowed

    from certificates import queries, vc

    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    found = queries.certificates_of_agency(request.agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    response = JsonResponse(
        vc.credential_for(found), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Type"] = "application/vc+ld+json; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{found.number}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
