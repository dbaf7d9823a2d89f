"""The certificate statistics (Art 21, 24; decision 0053): the officials' page (their
jurisdiction, with the agencies) and the public page (aggregate counts only), each chart
drawn from the same numbers as the table below it; the officials' tables also as XLSX
(``?format=xlsx``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import json_script
from django.utils.translation import gettext as _

from certificates import statistics
from certificates.forms.statistics import StatisticsFilterForm
from portal import clock, pagecache
from portal.roles import NATIONAL
from portal.ui.helpers import crumbs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request, rows, *, provinces, occupation=True):
    form = StatisticsFilterForm(
        request.GET or None,
        years=statistics.years(rows),
        provinces=provinces,
        occupation=occupation,
    )
    data = form.cleaned_data if form.is_valid() else {}
    filters = statistics.Filters(
        year=data.get("year") or None,
        province=data.get("province") or None,
        level=data.get("level") or None,
        occupation=data.get("occupation") or None,
    )
    said = []
    for name in ("year", "province", "level", "occupation"):
        if data.get(name) and name in form.fields:
            field = form.fields[name]
            shown = dict(getattr(field, "choices", ())).get(data[name], data[name])
            said.append(f"{field.label}：{shown}")
    return form, filters, said


def _context(sections) -> dict:
    tables = [(s, *statistics.table(s)) for s in sections]
    island = json_script(statistics.chart_data(sections), "statistics-data")
    return {"tables": tables, "chart_island": island}


def official_statistics(request):
    rows = statistics.rows_for(request.user)
    national = request.user.jurisdiction == NATIONAL
    form, filters, said = _filters(request, rows, provinces="all" if national else None)
    sections = statistics.report(statistics.filtered(rows, filters), year=filters.year)
    area = _area(request.user.jurisdiction)
    heading = [_("Jurisdiction: %(area)s") % {"area": area}, *said]
    title = _("Certificate statistics")
    if request.GET.get("format") == "xlsx":
        data = statistics.xlsx(sections, title=title, heading=heading)
        response = HttpResponse(data, content_type=XLSX)
        stamp = clock.today().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="certificate-statistics-{stamp}.xlsx"'
        )
        return response
    query = request.GET.copy()
    query["format"] = "xlsx"
    context = {
        "title": title,
        "heading": heading,
        "filters": form,
        "xlsx_url": f"?{query.urlencode()}",
        "breadcrumbs": crumbs(title),
    } | _context(sections)
    return render(request, "certificates/statistics/official.html", context)


def public_statistics(request):
    rows = statistics.public_rows()

    def build() -> dict:
        form, filters, said = _filters(request, rows, provinces="all", occupation=False)
        found = statistics.filtered(rows, filters)
        sections = statistics.report(
            found,
            names=statistics.PUBLIC_SECTIONS
            if not filters.year
            else statistics.PUBLIC_SECTIONS[1:],
            year=filters.year,
        )
        return {"filters": form, "said": said} | _context(sections)

    context = pagecache.lazy_context(build, "filters", "said", "tables", "chart_island")
    context["breadcrumbs"] = crumbs(_("Certificate statistics"), root=None)
    return render(request, "certificates/statistics/public.html", context)


def _area(code: str) -> str:
    from portal.models import Province

    if code == NATIONAL:
        return _("the whole country")
    found = Province.objects.filter(pk=code).first()
    return found.name if found else code
