"""The statistical report (统计表, Art 21) on a session, for an agency and for the officials of a
jurisdiction, each as a page and as XLSX (``?format=xlsx``) built from the same rows."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import queries, statistics
from assessments.forms.statistics import StatisticsFilterForm
from assessments.models import AssessmentSession
from portal import clock
from portal.ui.helpers import crumbs, loads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request) -> tuple[StatisticsFilterForm, dict, list[str]]:
    form = StatisticsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    said = []
    for name in ("sat_from", "sat_until", "occupation", "level"):
        if data.get(name):
            said.append(f"{form.fields[name].label}: {data[name]}")
    return form, data, said


def _page(request, *, title: str, heading: list[str], rep, first: str, extra: dict, total=True):
    if request.GET.get("format") == "xlsx":
        data = statistics.xlsx(rep, title=title, first=first, heading=heading, total=total)
        response = HttpResponse(data, content_type=XLSX)
        stamp = clock.today().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="statistics-{stamp}.xlsx"'
        return response
    header, rows = statistics.table(rep, first=first, total=total)
    query = request.GET.copy()
    query["format"] = "xlsx"
    context = {
        "title": title,
        "heading": heading,
        "header": header,
        "rows": rows,
        "report": rep,
        "xlsx_url": f"?{query.urlencode()}",
    } | extra
    return render(request, "assessments/statistics/statistics.html", context)


@loads(lambda r: queries.sessions_of_agency(r.agency), "assessments.archive.read", as_="session")
def session_statistics(request, agency_id: int, session: AssessmentSession):
    rep = statistics.report(AssessmentSession.objects.filter(pk=session.pk))
    return _page(
        request,
        title=_("Statistics of the session"),
        heading=[session.agency.name, str(session)],
        rep=rep,
        first=_("Session"),
        total=False,
        extra={
            "session": session,
            "breadcrumbs": crumbs(
                (_("Assessment sessions"), reverse("assessments:sessions", args=[agency_id])),
                (str(session), reverse("assessments:session", args=[agency_id, session.pk])),
                _("Statistics"),
            ),
        },
    )


@loads(lambda r: queries.plans_for_official(r.user), "assessments.archive.read", as_="session")
def plan_statistics(request, session: AssessmentSession):
    rep = statistics.report(AssessmentSession.objects.filter(pk=session.pk))
    return _page(
        request,
        title=_("Statistics of the session"),
        heading=[session.agency.name, str(session)],
        rep=rep,
        first=_("Session"),
        total=False,
        extra={
            "session": session,
            "breadcrumbs": crumbs(
                (_("Filed assessment plans"), reverse("assessments:plans")),
                (str(session), reverse("assessments:plan", args=[session.pk])),
                _("Statistics"),
            ),
        },
    )


def agency_statistics(request, agency_id: int):
    form, data, said = _filters(request)
    sessions = queries.filter_statistics(queries.sessions_of_agency(request.agency), data)
    rep = statistics.report(sessions.exclude(status="draft"), group="session")
    return _page(
        request,
        title=_("Statistics of the agency"),
        heading=[request.agency.name, *said],
        rep=rep,
        first=_("Session"),
        extra={"filters": form, "breadcrumbs": crumbs(_("Statistics"))},
    )


def official_statistics(request):
    form, data, said = _filters(request)
    sessions = queries.filter_statistics(queries.sessions_for_statistics(request.user), data)
    rep = statistics.report(sessions, group="agency")
    area = request.user.jurisdiction
    return _page(
        request,
        title=_("Statistics of recognition"),
        heading=[_("Jurisdiction: %(area)s") % {"area": _jurisdiction_name(area)}, *said],
        rep=rep,
        first=_("Agency"),
        extra={"filters": form, "breadcrumbs": crumbs(_("Statistics of recognition"))},
    )


def _jurisdiction_name(code: str) -> str:
    from portal.models import Province
    from portal.roles import NATIONAL

    if code == NATIONAL:
        return _("the whole country")
    found = Province.objects.filter(pk=code).first()
    return found.name if found else code
