"""Pages of external quality supervision (Art 26): the supervisor's visits, a visit's page and
the report form; the agency's reports on its sessions; the authority's reports of its
jurisdiction. Thin views: the report goes through ``supervision.services.quality``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.ui.confirm import confirm_page, is_revising, wants_confirmation
from portal.ui.helpers import apply_errors, crumbs, loads
from supervision.forms.quality import ReportForm
from supervision.queries import quality as queries
from supervision.services import quality as services

PER_PAGE = 50


def _visits_for_reader(request):
    return queries.visits_for_reader(request.user)


def _facts(request, visit) -> dict:
    return {
        "visit": visit,
        "session": visit.session,
        "supervisors": queries.supervisors_of(visit),
        "findings": queries.findings_of(visit),
        "orders": queries.orders_of(visit),
    }


# --- The supervisor -----------------------------------------------------------------------


def my_visits(request):
    page = Paginator(queries.visits_of_supervisor(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "breadcrumbs": crumbs(_("External quality supervision"))}
    return render(request, "supervision/quality/my_visits.html", context)


@loads(_visits_for_reader, "supervision.quality.read", as_="visit")
def visit(request, visit):
    context = _facts(request, visit)
    context.update(
        session_links=queries.session_links(request.user, visit),
        refusal=services.report_refusal(visit, request.user),
        show_names=True,
        breadcrumbs=crumbs(*_trail(request), str(visit.session)),
    )
    return render(request, "supervision/quality/visit.html", context)


def _trail(request) -> list:
    if queries.visits_of_supervisor(request.user).exists():
        return [(_("External quality supervision"), reverse("supervision:quality_visits"))]
    return [(_("External supervision reports"), reverse("supervision:quality_reports"))]


@loads(_visits_for_reader, "supervision.quality.report", as_="visit")
def report(request, visit):
    """The report form; filing asks for a confirmation first (decision 0026)."""
    page = reverse("supervision:quality_visit", args=[visit.pk])
    refusal = services.report_refusal(visit, request.user)
    form = ReportForm(request.POST or None, jurisdiction=visit.plan.jurisdiction)
    trail = crumbs(*_trail(request), (str(visit.session), page), _("Supervision report"))
    if (
        request.method == "POST"
        and refusal is None
        and form.is_valid()
        and not is_revising(request)
    ):
        data = form.report_data()
        if wants_confirmation(request):
            return confirm_page(
                request,
                title=_("File the supervision report"),
                subject=f"{visit.agency.name} · {visit.session}",
                points=_restatement(visit, data),
                confirm_label=_("File the report"),
                back_url=page,
                breadcrumbs=trail,
            )
        try:
            services.file_report(request.user, visit, data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The supervision report is filed."))
            return redirect(page)
    context = {"visit": visit, "form": form, "refusal": refusal, "breadcrumbs": trail}
    return render(request, "supervision/quality/report.html", context)


def _restatement(visit, data: dict) -> list[str]:
    from portal.templatetags.portal_tags import cndate_day
    from supervision.models import Rating

    findings = [row for row in data["findings"] if row["description"] or row["severity"]]
    points = [
        _("The report is filed once and cannot be changed afterwards."),
        _("Rating: %(rating)s; %(n)d findings.")
        % {"rating": Rating(data["rating"]).label, "n": len(findings)},
        _("The agency %(agency)s and the authority will read the report.")
        % {"agency": visit.agency.name},
    ]
    if data["order_requirements"]:
        points.append(
            _("A rectification order goes to the agency, to be answered by %(deadline)s.")
            % {"deadline": cndate_day(data["order_deadline"])}
        )
    return points


# --- The authority ------------------------------------------------------------------------


def reports(request):
    rows = queries.reports_for_authority(request.user)
    state = request.GET.get("state")
    if state in ("assigned", "reported"):
        rows = rows.filter(state=state)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "breadcrumbs": crumbs(_("External supervision reports")),
    }
    return render(request, "supervision/quality/reports.html", context)


# --- The agency ---------------------------------------------------------------------------


def agency_reports(request, agency_id: int):
    page = Paginator(queries.reports_of_agency(request.agency), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "breadcrumbs": crumbs(_("External supervision reports"))}
    return render(request, "supervision/quality/agency_reports.html", context)


def agency_report(request, agency_id: int, pk: int):
    found = queries.reports_of_agency(request.agency).filter(pk=pk).first()
    if found is None:
        raise Http404
    context = _facts(request, found)
    context.update(
        show_names=False,
        breadcrumbs=crumbs(
            (
                _("External supervision reports"),
                reverse("supervision:agency_quality_reports", args=[agency_id]),
            ),
            str(found.session),
        ),
    )
    return render(request, "supervision/quality/agency_report.html", context)
