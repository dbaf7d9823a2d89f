"""Pages of the calls for agencies (Art 11): the public list and page of a call, and the
officials' own calls (the ministry nationwide, a province for its region): draft, publish,
close.

Thin views: every change goes through ``agencies.services.calls``; every read through
``agencies.queries``. A call the official does not keep answers 404."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import queries, services
from agencies.forms.calls import CallForm
from agencies.models import AgencyCall, CallStatus
from agencies.services.calls import is_open
from portal.models import jurisdiction_label
from portal.ui.helpers import button_action, crumbs, form_action, loads

MANAGE = "agencies.call.manage"

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
            "breadcrumbs": crumbs(
                call.title, root=(_("Calls for agencies"), reverse("agencies:calls"))
            ),
        },
    )


# --- The officials' calls ----------------------------------------------------------------------


def _kept(request):
    return queries.calls_kept_by(request.user)


def manage_calls(request):
    context = {"calls": queries.managed_calls(request.user)}
    context["breadcrumbs"] = crumbs(_("Calls for agencies"))
    return render(request, "agencies/calls/manage_calls.html", context)


def _page_of(call: AgencyCall) -> str:
    return reverse("agencies:manage_call", args=[call.pk])


def _call_form(request, call: AgencyCall | None):
    """The form of a new draft call (``call`` None) or of a draft call."""
    form = CallForm(request.POST or None, instance=call)

    def save(data):
        fields = {"occupations": data["occupation_codes"], **form.service_fields()}
        if call is None:
            return services.create_call(
                request.user, jurisdiction=request.user.jurisdiction, **fields
            )
        return services.update_call(request.user, call, **fields)

    message = _("The call has been saved.") if call else _("The draft call has been saved.")
    if done := form_action(request, form, save, success_url=_page_of, message=message):
        return done
    title = _("Edit the call") if call else _("Draft a call for agencies")
    tail = [(call.title, reverse("agencies:manage_call", args=[call.pk]))] if call else []
    listing = (_("Calls for agencies"), reverse("agencies:manage_calls"))
    context = {"form": form, "call": call, "title": title}
    context["breadcrumbs"] = crumbs(listing, *tail, title)
    return render(request, "agencies/calls/call_form.html", context)


def manage_call_new(request):
    return _call_form(request, None)


@loads(_kept, MANAGE, as_="call")
def manage_call_edit(request, call: AgencyCall):
    if call.status != CallStatus.DRAFT:
        messages.error(request, _("Only a draft call can be changed."))
        return redirect("agencies:manage_call", call.pk)
    return _call_form(request, call)


_CALL_ACTIONS = {
    "publish": (services.publish_call, gettext_lazy("The call has been published.")),
    "close": (services.close_call, gettext_lazy("The call has been closed.")),
}


@loads(_kept, MANAGE, as_="call")
def manage_call(request, call: AgencyCall):
    if request.method == "POST":
        if request.POST.get("action") not in _CALL_ACTIONS:
            raise Http404
        act, message = _CALL_ACTIONS[request.POST["action"]]
        done = partial(act, request.user, call)
        return button_action(request, done, success_url=_page_of(call), message=message)
    context = {
        "call": call,
        "occupations": call.occupations.order_by("code"),
        "applications": queries.applications_for_official(request.user).filter(call=call),
    }
    context["breadcrumbs"] = crumbs(
        (_("Calls for agencies"), reverse("agencies:manage_calls")), call.title
    )
    return render(request, "agencies/calls/manage_call.html", context)
