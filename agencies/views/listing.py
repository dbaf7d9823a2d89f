"""Pages of the listing (Art 15, 20, 22): the applicant signs the commitment letter, the public
reads the directory and its entries, the province's official assigns site serials.

Thin views: every change goes through ``agencies.services.listing``; every read through
``agencies.queries``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import queries, services
from agencies.forms.listing import DirectorySearchForm, PublicContactForm, SerialForm
from agencies.models import AgencyApplication, ApplicationStatus
from portal import pagecache
from portal.ui.helpers import apply_errors, crumbs, form_action, loads

# --- The commitment letter (Art 15) ------------------------------------------------------------


@loads(lambda request: queries.own_applications(request.agency), as_="application")
def application_sign(request, agency_id: int, application: AgencyApplication):
    pk = application.pk
    if application.status != ApplicationStatus.APPROVED:
        messages.error(request, _("Only an approved application can be signed for."))
        return redirect("agencies:application", agency_id, pk)
    if request.method == "POST":
        try:
            services.sign_commitment(request.user, application)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _(
                    "The commitment letter has been signed; your "
                    "organisation is now listed in the agency directory."
                ),
            )
            return redirect("agencies:application", agency_id, pk)
    home = (_("Applications"), reverse("agencies:applications", args=[agency_id]))
    page = (application.call.title, reverse("agencies:application", args=[agency_id, pk]))
    context = {"application": application, "call": application.call, "signer": request.user}
    context["breadcrumbs"] = crumbs(page, _("Commitment letter"), root=home)
    return render(request, "agencies/listing/application_sign.html", context)


# --- The public directory ----------------------------------------------------------------------


def directory(request):
    def build() -> dict:  # not run when the page's content comes from the cache
        form = DirectorySearchForm(request.GET or None)
        entries = queries.directory_search(form.cleaned_data if form.is_valid() else {})
        return {"form": form, "page": Paginator(entries, 20).get_page(request.GET.get("page"))}

    context = pagecache.lazy_context(build, "form", "page")
    return render(request, "agencies/listing/directory.html", context)


def directory_entry(request, agency_id: int):
    entry = pagecache.value(
        "agencies.directory_entry",
        request,
        lambda: queries.directory_entries().filter(agency_id=agency_id).first(),
        agency_id,
    )
    if entry is None:
        raise Http404
    context = {
        "entry": entry,
        "agency": entry.agency,
        **pagecache.lazy_context(
            lambda: queries.directory_entry_page(entry),
            "scope",
            "sites",
            "published_rules",
            "filing_authority",
        ),
    }
    home = (_("Agency directory"), reverse("agencies:directory"))
    context["breadcrumbs"] = crumbs(entry.agency.name, root=home)
    return render(request, "agencies/listing/directory_entry.html", context)


# --- The contact the directory publishes ------------------------------------------------------


def public_contact(request, agency_id: int):
    agency = request.agency
    form = PublicContactForm(request.POST or None, initial=PublicContactForm.initial_for(agency))
    if done := form_action(
        request,
        form,
        lambda d: services.set_public_contact(request.user, agency, **form.service_fields()),
        success_url=reverse("agencies:public_contact", args=[agency_id]),
        message=_("The published contact has been saved."),
    ):
        return done
    entry = queries.entry_of(agency)
    context = {
        "form": form,
        "directory_url": reverse("agencies:directory_entry", args=[agency.pk]) if entry else "",
        "breadcrumbs": crumbs(_("Published contact")),
    }
    return render(request, "agencies/listing/public_contact.html", context)


# --- Site serials (Art 20: the numbering parts) ----------------------------------------------


def _assign_serial(request, sites) -> SerialForm | None:
    """Assign the serial the form of one site asks for; its bound form when refused."""
    site = get_object_or_404(sites, pk=request.POST.get("site") or 0)
    form = SerialForm(request.POST, prefix=f"s{site.pk}")
    if form.is_valid():
        try:
            services.assign_site_serial(request.user, site, form.cleaned_data["serial"].strip())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            site.refresh_from_db()
            messages.success(
                request,
                _("Site %(name)s now has the serial %(serial)s.")
                % {"name": site.name, "serial": site.site_serial},
            )
            return None
    form.site = site
    return form


def site_serials(request):
    sites = queries.sites_awaiting_serial(request.user).order_by("agency__name", "name")
    bound = {}
    if request.method == "POST":
        if (failed := _assign_serial(request, sites)) is None:
            return redirect("agencies:site_serials")
        bound[failed.site.pk] = failed
    rows = [(site, bound.get(site.pk) or SerialForm(prefix=f"s{site.pk}")) for site in sites]
    context = {"rows": rows, "recent": queries.recent_serials(request.user)}
    context["breadcrumbs"] = crumbs(_("Site serials"))
    return render(request, "agencies/listing/site_serials.html", context)
