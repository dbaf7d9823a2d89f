"""Pages of the authorities' names and document-number prefixes (national officials)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import authorities as services
from portal import clock
from portal.authorities.forms import AuthorityForm
from portal.models import Authority
from portal.ui.helpers import crumbs, form_action, loads

CHANGE = "portal.authority.change"


def _all(request):
    return Authority.objects.all()


def authorities(request):
    context = {"authorities": Authority.objects.all(), "breadcrumbs": crumbs(_("HRSS authorities"))}
    return render(request, "portal/authorities/list.html", context)


@loads(_all, CHANGE, kwarg="jurisdiction", as_="authority")
def authority_edit(request, authority: Authority):
    # As stored: validating the form writes the typed values onto the instance.
    name, example = authority.name, authority.letter_number(clock.today().year, 12)
    form = AuthorityForm(request.POST or None, instance=authority)
    if done := form_action(
        request,
        form,
        lambda data: services.change_authority(request.user, authority, **data),
        success_url=reverse("portal:authorities"),
        message=_("The authority's details have been saved."),
    ):
        return done
    context = {
        "form": form,
        "name": name,
        "example": example,
        "breadcrumbs": crumbs((_("HRSS authorities"), reverse("portal:authorities")), name),
    }
    return render(request, "portal/authorities/form.html", context)
