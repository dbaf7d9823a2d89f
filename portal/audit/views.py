"""Pages of the audit trail: officials read their jurisdiction's, agency admins their agency's.

Each page exports what it lists: ``?export=csv`` or ``?export=xlsx`` with the page's filters
(decision 0029), through the same scoped queryset.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import access, audit, clock
from portal.audit import display, exports, queries
from portal.audit.forms import AuditFilterForm

PER_PAGE = 50
# The nightly verification is late when its last run is older than this.
VERIFY_LATE = dt.timedelta(hours=36)


def _verification() -> dict:
    run = queries.last_verification()
    if run is None:
        return {"state": "never"}
    checked = run.finished_at or run.started_at
    return {
        "state": "ok" if run.ok else "failed",
        "checked_at": checked,
        "late": clock.now() - checked > VERIFY_LATE,
    }


def _audit_page(request, entries, *, agencies=None, template="portal/audit_list.html", extra=None):
    show_codes = access.can(request.user, "portal.audit.view")
    query = request.GET.copy()
    export = query.pop("export", [""])[-1]
    query.pop("page", None)
    form = AuditFilterForm(
        query or None,
        agencies=agencies,
        actions=queries.actions(entries),
        object_types=queries.object_types(entries),
    )
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
    if export in exports.LIMITS:
        limit = exports.LIMITS[export]
        if entries.count() > limit:
            messages.error(
                request,
                _("More than %(n)d entries: narrow the filter (the dates, say) to export them.")
                % {"n": limit},
            )
            return redirect(f"{request.path}?{query.urlencode()}")
        if export == "csv":
            return exports.csv_response(entries, show_codes=show_codes)
        return exports.xlsx_response(entries, show_codes=show_codes)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = display.present(audit.link_objects(request.user, page.object_list))
    filters = query.urlencode()
    context = {
        "form": form,
        "page": page,
        "show_codes": show_codes,
        "verification": _verification(),
        "csv_query": f"{filters}&export=csv" if filters else "export=csv",
        "xlsx_query": f"{filters}&export=xlsx" if filters else "export=xlsx",
        **(extra or {}),
    }
    return render(request, template, context)


def audit_list(request):
    entries = queries.audit_entries_for_official(request.user)
    return _audit_page(request, entries, agencies=queries.visible_agencies(request.user))


def agency_audit_list(request, agency_id: int):
    entries = queries.audit_entries_for_agency(request.user, request.agency)
    return _audit_page(request, entries, extra={"agency_scope": True})
