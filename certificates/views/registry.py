"""Certificates for officials and testing-centre staff (Art 20, 24): those issued at sites in
their jurisdiction (national: all), searched by number or name."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from certificates import queries
from certificates.forms import SearchForm
from portal import access
from portal.ui.helpers import crumbs

PER_PAGE = 50


def registry(request):
    form = SearchForm(request.GET or None)
    text = form.cleaned_data.get("q", "") if form.is_valid() else ""
    found = queries.search(queries.certificates_for(request.user), text)
    agency = request.GET.get("agency", "")
    if agency.isdigit():  # one agency's certificates (a reviewer's link, decision 0059)
        found = found.filter(agency_id=int(agency))
    page = Paginator(found.order_by("-issued_on", "number"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "q": text,
        "agency": agency if agency.isdigit() else "",
        # Officials who may revoke (Art 27) get a link per row to the revocation page.
        "can_revoke": access.can(request.user, "certificates.revoke"),
        "breadcrumbs": crumbs(_("Certificates issued")),
    }
    return render(request, "certificates/registry.html", context)
