"""The verification API (Art 22; decision 0051): ``POST /api/v1/certificates/verify`` and
``GET /api/v1/certificates/{number}?name=…`` with a Bearer token of an approved
organisation, and the OpenAPI description with a page rendered from it.

Every answer is JSON (errors too: ``{"error": code, "message": 中文}``), sets no cookie and
is exempt from CSRF (no cookie authenticates it). Items are counted against the token's daily
quota before they are looked up; a refused call counts nothing.
"""

from __future__ import annotations

import json
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from certificates.services import verifiers as services
from certificates.services.lookup import LookupBusy, find, normalise_number
from certificates.services.verifiers import ApiRefused
from portal.validators import has_control_characters

OPENAPI = Path(settings.BASE_DIR) / "static" / "certificates" / "openapi.json"
MAX_BODY = 2 * 1024 * 1024  # 1,000 items of a few hundred bytes each, with room to spare


def _error(status: int, code: str, message: str, **extra) -> JsonResponse:
    response = JsonResponse({"error": code, "message": message, **extra}, status=status)
    if status == 429 and "retry_after" in extra:
        response["Retry-After"] = str(extra["retry_after"])
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def api(view):
    """JSON in and out: refusals as JSON errors, never a session cookie."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except ApiRefused as exc:
            response = _error(exc.status, exc.code, exc.message, **exc.extra)
        except LookupBusy:
            response = _error(503, "busy", _("The lookup is busy; try again in a moment."))
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


def _token(request):
    return services.authenticate(request.headers.get("Authorization", ""))


@api
def verify(request):
    if request.method != "POST":
        return _error(405, "method_not_allowed", _("Use POST."))
    token = _token(request)
    if request.content_type != "application/json":
        raise ApiRefused(
            415, "unsupported_media_type", _("Send JSON (Content-Type: application/json).")
        )
    if len(request.body) > MAX_BODY:
        raise ApiRefused(413, "too_large", _("The request is too large."))
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiRefused(400, "bad_json", _("The body is not valid JSON.")) from None
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise ApiRefused(
            400, "bad_request", _("Send a JSON object whose items list holds at least one item.")
        )
    if len(items) > services.max_items():
        raise ApiRefused(
            400,
            "too_many_items",
            _("At most %(n)d items per call.") % {"n": services.max_items()},
        )
    if not all(isinstance(item, dict) for item in items):
        raise ApiRefused(400, "bad_request", _("Every item must be an object."))
    remaining = services.charge(token, len(items))
    answers, found = services.verify_items(items)
    services.record_api_call(token, len(items), found)
    return JsonResponse({"items": answers, "quota_remaining": remaining})


@api
def certificate(request, number: str):
    if request.method != "GET":
        return _error(405, "method_not_allowed", _("Use GET."))
    token = _token(request)
    name = request.GET.get("name", "")
    if not name.strip() or len(name) > 60 or has_control_characters(name):
        raise ApiRefused(
            400,
            "name_required",
            _("Give the holder's name: ?name=… (as printed on the certificate)."),
        )
    if len(number) > 30 or not normalise_number(number):
        raise ApiRefused(404, "not_found", _("No certificate with this number and name."))
    remaining = services.charge(token, 1)
    from certificates.services.lookup import Query

    found = find(Query(name=name, number=number))
    services.record_api_call(token, 1, int(bool(found)))
    if not found:
        raise ApiRefused(404, "not_found", _("No certificate with this number and name."))
    answer = services.answer_of(found)
    return JsonResponse({**answer["certificates"][0], "quota_remaining": remaining})


def openapi(request):
    response = HttpResponse(OPENAPI.read_bytes(), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def docs(request):
    """The API's description as a readable page, rendered on the server from openapi.json."""
    spec = json.loads(OPENAPI.read_text("utf-8"))
    # Lists, not dicts: a template looks ``.items`` up as a key first, and schemas have one.
    operations = [
        {
            "path": path,
            "method": method.upper(),
            "summary": op.get("summary", ""),
            "description": op.get("description", ""),
            "parameters": op.get("parameters", []),
            "responses": sorted(op["responses"].items()),
        }
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "post"}
    ]
    schemas = [
        (name, sorted(schema.get("properties", {}).items()))
        for name, schema in spec["components"]["schemas"].items()
    ]
    context = {"spec": spec, "operations": operations, "schemas": schemas}
    return render(request, "certificates/verifiers/api_docs.html", context)
