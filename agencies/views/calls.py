"""Pages of the calls for agencies (Art 11): the public list and page of a call, and the
officials' own calls (the ministry nationwide, a province for its region): draft, publish,
close.

Thin views: every change goes through ``agencies.services.calls``; every read through
``agencies.queries``. A call outside the official's reach answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import queries, services
from agencies.forms.calls import CallForm
from agencies.models import CallStatus
from agencies.services.calls import is_open
from agencies.views._helpers import apply_errors, crumbs, error_messages, login_first
from portal import access
from portal.models import jurisdiction_label

# --- Public ------------------------------------------------------------------------------------


def calls(request):
    page = Paginator(queries.published_calls(), 20).get_page(request.GET.get("page"))
    context = {"page": page, "open_ids": {c.pk for c in page if is_open(c)}}
    return render(request, "agencies/calls/calls.html", context)


def call_detail(request, pk: int):
    call = get_object_or_404(queries.published_calls(), pk=pk)
    return render(
        request,
        "agencies/calls/call_detail.html",
        {
            "call": call,
            "open": is_open(call),
            "my_agencies": queries.applicant_agencies(request.user, call),
            "occupations": call.occupations.order_by("code"),
            "jurisdiction": jurisdiction_label(call.jurisdiction),
            "breadcrumbs": [(_("Calls for agencies"), reverse("agencies:calls")), (call.title, "")],
        },
    )


# --- The officials' calls ----------------------------------------------------------------------


def manage_calls(request):
    context = {
        "calls": queries.managed_calls(request.user),
        "breadcrumbs": crumbs((_("Calls for agencies"), "")),
    }
    return render(request, "agencies/calls/manage_calls.html", context)


def _call_or_404(request, pk: int):
    call = get_object_or_404(queries.calls_for_official(request.user), pk=pk)
    if not access.can(request.user, "agencies.call.manage", call):
        raise Http404
    return call


def _save_call(request, call, form: CallForm):
    """Create the draft call, or update ``call``, from the valid ``form``."""
    fields = {"occupations": form.cleaned_data["occupation_codes"], **form.service_fields()}
    if call is None:
        call = services.create_call(request.user, jurisdiction=request.user.jurisdiction, **fields)
        messages.success(request, _("The draft call has been saved."))
    else:
        services.update_call(request.user, call, **fields)
        messages.success(request, _("The call has been saved."))
    return call


def manage_call_edit(request, pk: int | None = None):
    if (login := login_first(request)) is not None:
        return login
    call = _call_or_404(request, pk) if pk else None
    if call is not None and call.status != CallStatus.DRAFT:
        messages.error(request, _("Only a draft call can be changed."))
        return redirect("agencies:manage_call", call.pk)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            call = _save_call(request, call, form)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("agencies:manage_call", call.pk)
    title = _("Edit the call") if call else _("Draft a call for agencies")
    tail = [(call.title, reverse("agencies:manage_call", args=[call.pk]))] if call else []
    listing = (_("Calls for agencies"), reverse("agencies:manage_calls"))
    context = {"form": form, "call": call, "title": title}
    context["breadcrumbs"] = crumbs(listing, *tail, (title, ""))
    return render(request, "agencies/calls/call_form.html", context)


_CALL_ACTIONS = {
    "publish": (services.publish_call, gettext_lazy("The call has been published.")),
    "close": (services.close_call, gettext_lazy("The call has been closed.")),
}


def manage_call(request, pk: int):
    if (login := login_first(request)) is not None:
        return login
    call = _call_or_404(request, pk)
    if request.method == "POST":
        if request.POST.get("action") not in _CALL_ACTIONS:
            raise Http404
        act, success = _CALL_ACTIONS[request.POST["action"]]
        try:
            act(request.user, call)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, success)
        return redirect("agencies:manage_call", call.pk)
    return render(
        request,
        "agencies/calls/manage_call.html",
        {
            "call": call,
            "occupations": call.occupations.order_by("code"),
            "applications": queries.applications_for_official(request.user).filter(call=call),
            "breadcrumbs": crumbs(
                (_("Calls for agencies"), reverse("agencies:manage_calls")), (call.title, "")
            ),
        },
    )
