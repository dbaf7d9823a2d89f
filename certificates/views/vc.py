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
