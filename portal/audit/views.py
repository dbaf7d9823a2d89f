"""Pages of the audit trail: officials read their jurisdiction's, agency admins their agency's."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from portal import audit
from portal.audit import queries
from portal.audit.forms import AuditFilterForm


def _audit_page(request, entries, *, agencies=None, template="portal/audit_list.html", extra=None):
    form = AuditFilterForm(request.GET or None, agencies=agencies)
    if form.is_valid():
        data = form.cleaned_data
        entries = queries.filter_audit(
            entries,
            actor=data["actor"],
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            agency_id=data["agency"].pk if data.get("agency") else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = audit.link_objects(request.user, page.object_list)
    return render(request, template, {"form": form, "page": page, **(extra or {})})


def audit_list(request):
    entries = queries.audit_entries_for_official(request.user)
    return _audit_page(request, entries, agencies=queries.visible_agencies(request.user))


def agency_audit_list(request, agency_id: int):
    entries = queries.audit_entries_for_agency(request.user, request.agency)
    return _audit_page(request, entries, extra={"agency_scope": True})
