"""Pages of venues (Art 12 (3), 19): the agency declares its venues and rooms; the officials of
the site's province (national: all) read them and verify or refuse them.

Thin views: every change goes through ``assessments.services.venues``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import queries, services
from assessments.forms.venues import RefuseForm, RoomFormSet, VenueForm, VerifyForm, rooms_initial
from assessments.models import Venue, VenueStatus
from portal.ui.helpers import apply_errors, button_action, crumbs, loads


def _own(request):
    return queries.venues_of_agency(request.agency)


def _list_crumb(agency_id: int):
    return (_("Venues"), reverse("assessments:venues", args=[agency_id]))


def venues(request, agency_id: int):
    context = {"venues": _own(request).prefetch_related("rooms")}
    return render(request, "assessments/venues/venues.html", context)


def _save(request, form, rooms, save):
    """Run ``save(rooms, fields)`` when the venue form and the rooms are valid; the refusal
    goes to the fields (the rooms' problems above the rooms). The saved venue, or None."""
    if request.method != "POST" or not (form.is_valid() & rooms.is_valid()):
        return None
    try:
        return save(rooms.rooms(), form.service_fields())
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            rooms.problems = [m for e in exc.error_dict.pop("rooms", []) for m in e.messages]
        apply_errors(form, exc)
    return None


def _form_page(request, form, rooms, title, agency_id):
    context = {"form": form, "rooms": rooms, "title": title}
    context["breadcrumbs"] = crumbs(_list_crumb(agency_id), title)
    return render(request, "assessments/venues/venue_form.html", context)


def venue_new(request, agency_id: int):
    sites = request.agency.sites.all()
    form = VenueForm(request.POST or None, request.FILES or None, sites=sites)
    rooms = RoomFormSet(request.POST or None, prefix="rooms")
    venue = _save(
        request,
        form,
        rooms,
        lambda data, fields: services.create_venue(
            request.user, form.cleaned_data["site"], rooms=data, **fields
        ),
    )
    if venue is not None:
        messages.success(request, _("The venue was declared; it waits for verification."))
        return redirect("assessments:venue", agency_id, venue.pk)
    return _form_page(request, form, rooms, _("Declare a venue"), agency_id)


@loads(_own, as_="venue")
def venue(request, agency_id: int, venue: Venue):
    context = {"venue": venue, "rooms": queries.rooms_of(venue)}
    context["breadcrumbs"] = crumbs(_list_crumb(agency_id), venue.name)
    return render(request, "assessments/venues/venue.html", context)


@loads(_own, as_="venue")
def venue_edit(request, agency_id: int, venue: Venue):
    initial = {
        "site": venue.site_id,
        **{
            name: getattr(venue, name)
            for name in ("name", "address", "tenure", "lease_starts", "lease_ends")
        },
        "recordings_kept_days": venue.recordings_kept_days,
        "recordings_stored_at": venue.recordings_stored_at,
    }
    form = VenueForm(
        request.POST or None,
        request.FILES or None,
        sites=request.agency.sites.all(),
        initial=initial,
        editing=True,
    )
    rooms = RoomFormSet(
        request.POST or None, prefix="rooms", initial=rooms_initial(queries.rooms_of(venue))
    )
    saved = _save(
        request,
        form,
        rooms,
        lambda data, fields: services.update_venue(request.user, venue, rooms=data, **fields),
    )
    if saved is not None:
        text = _("The venue was saved.")
        if venue.status != VenueStatus.TO_VERIFY and saved.status == VenueStatus.TO_VERIFY:
            text = _("The venue was saved; it waits for verification again.")
        messages.success(request, text)
        return redirect("assessments:venue", agency_id, venue.pk)
    return _form_page(request, form, rooms, _("Change the venue"), agency_id)


# --- Officials ---------------------------------------------------------------------------------


def venue_queue(request):
    status = request.GET.get("status") or VenueStatus.TO_VERIFY
    found = queries.venues_for_official(request.user).order_by("waiting_since")
    if status in VenueStatus.values:
        found = found.filter(status=status)
    context = {"venues": found, "status": status, "statuses": VenueStatus.choices}
    return render(request, "assessments/venues/venue_queue.html", context)


def _officials(request):
    return queries.venues_for_official(request.user)


@loads(_officials, "assessments.venue.view", as_="venue",
       post_action="assessments.venue.verify")  # fmt: skip
def venue_review(request, venue: Venue):
    verify, refuse = VerifyForm(prefix="v"), RefuseForm(prefix="r")
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("verify", "refuse"):
            raise Http404
        url = reverse("assessments:venue_review", args=[venue.pk])
        if action == "verify":
            verify = VerifyForm(request.POST, request.FILES, prefix="v")
            if verify.is_valid():
                return _decide(request, url, lambda: services.verify_venue(
                    request.user, venue, remarks=verify.cleaned_data["remarks"],
                    record_upload=verify.cleaned_data["record"] or None,
                ), _("The venue is verified."))  # fmt: skip
        else:
            refuse = RefuseForm(request.POST, prefix="r")
            if refuse.is_valid():
                return _decide(request, url, lambda: services.refuse_venue(
                    request.user, venue, reason=refuse.cleaned_data["reason"]
                ), _("The venue is refused; the agency sees the reason."))  # fmt: skip
    context = {
        "venue": venue,
        "rooms": queries.rooms_of(venue),
        "verify_form": verify,
        "refuse_form": refuse,
        "refusal": services.decision_refusal(venue, request.user),
        "verify_refusal": services.verification_refusal(venue, request.user),
        "breadcrumbs": crumbs(
            (_("Venues to verify"), reverse("assessments:venue_queue")), venue.name
        ),
    }
    return render(request, "assessments/venues/venue_review.html", context)


def _decide(request, url, service, message):
    """Run the decision; its refusal (wrong state, lease ended, a bad file) is shown as an
    error message on the same page."""
    return button_action(request, service, success_url=url, message=message)
