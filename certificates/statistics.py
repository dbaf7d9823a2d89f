"""Reading the certificate statistics (Art 21, 24; decision 0053): the API of the pages here
and of supervision's dashboards. Everything reads the aggregate table
``CertificateStatistic`` (one row per month of issue × province × occupation × level ×
agency, kept by ``certificates.services.statistics``), never the certificates themselves,
so every call is a small GROUP BY however many certificates there are.

Rows::

    rows_for(user)            the rows ``user`` may read (portal.access: national officials
                              all, provincial officials and testing-centre staff the sites of
                              their province, agency members their agency)
    public_rows()             every row, for the public page (aggregate counts only)
    filtered(rows, Filters(year=2026, province="440000", level="4",
                           occupation="6-31-01-03", agency=12))
                              any of the filters; ``occupation`` is a code, or the start
                              of a code or of a name

Totals (each a list of ``Total(key, label, issued, revoked, replaced)``, ``valid`` derived)::

    totals(rows, "month")     by month of issue, gaps filled with zeros (the 12 months of the
                              filtered year, or the first to the last month found)
    totals(rows, "year" | "province" | "occupation" | "level" | "agency", top=10)
                              largest first (month, year and level in their own order);
                              ``top`` keeps N and folds the rest into one "Others" row
    total(rows)               the grand total

Pages::

    report(rows, names=SECTIONS, top=10)   the sections (name, title, totals, grand total)
    table(section)            the header and rows a page shows and the XLSX holds (the
                              total last): the table is the truth, the chart its picture
    chart_data(sections)      the same numbers for the charts' JSON data island
    xlsx(sections, title=..., heading=[...])  the same tables as XLSX (write-only)

Counting rule: a certificate counts in the month it was issued; ``revoked`` and
``replaced`` say how many of those are revoked or replaced now, ``valid`` the rest.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from certificates.models import CertificateStatistic
from portal import access

SECTIONS = ("month", "province", "occupation", "level", "agency")
PUBLIC_SECTIONS = ("year", "month", "province", "occupation", "level")
TOP = 10


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    province: str | None = None
    level: str | None = None
    occupation: str | None = None
    agency: int | None = None


@dataclass
class Total:
    key: object
    label: str
    issued: int = 0
    revoked: int = 0
    replaced: int = 0

    @property
    def valid(self) -> int:
        return self.issued - self.revoked - self.replaced

    def add(self, other: Total) -> None:
        self.issued += other.issued
        self.revoked += other.revoked
        self.replaced += other.replaced


@dataclass
class Section:
    name: str
    title: str
    first: str  # the first column's header
    totals: list[Total]
    total: Total
    chart: str = "bar"  # bar, line, hbar
    note: str = ""
    extra: dict = field(default_factory=dict)


# --- Rows -----------------------------------------------------------------------------------


def rows_for(user) -> QuerySet[CertificateStatistic]:
    return access.visible(user, CertificateStatistic.objects.all())


def public_rows() -> QuerySet[CertificateStatistic]:
    return CertificateStatistic.objects.all()


def filtered(rows: QuerySet, filters: Filters) -> QuerySet[CertificateStatistic]:
    if filters.year:
        rows = rows.filter(month__year=filters.year)
    if filters.province:
        rows = rows.filter(province_id=filters.province)
    if filters.level:
        rows = rows.filter(level_code=filters.level)
    if filters.agency:
        rows = rows.filter(agency_id=filters.agency)
    text = (filters.occupation or "").strip()
    if text:
        from django.db.models import Q

        rows = rows.filter(
            Q(occupation_code=text)
            | Q(occupation_code__startswith=text)
            | Q(occupation_name__startswith=text)
        )
    return rows


def years(rows: QuerySet) -> list[int]:
    found = rows.order_by().annotate(y=ExtractYear("month")).values_list("y", flat=True)
    return sorted(set(found), reverse=True)


# --- Totals ---------------------------------------------------------------------------------

_SUMS = {"issued": Sum("issued"), "revoked": Sum("revoked"), "replaced": Sum("replaced")}


def total(rows: QuerySet) -> Total:
    found = rows.order_by().aggregate(**_SUMS)
    return Total(None, _("Total"), *(int(found[k] or 0) for k in ("issued", "revoked", "replaced")))


def _month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def _grouped(rows: QuerySet, column: str, **extra) -> list[dict]:
    return list(rows.order_by().values(column).annotate(**_SUMS, **extra))


def _make(key, label, found: dict) -> Total:
    return Total(key, label, int(found["issued"]), int(found["revoked"]), int(found["replaced"]))


def _months(rows: QuerySet, year: int | None) -> list[Total]:
    found = {g["month"]: g for g in _grouped(rows, "month")}
    if year:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    elif found:
        first, last = min(found), max(found)
    else:
        return []
    out, month = [], first
    while month <= last:
        got = found.get(month)
        out.append(
            _make(month, _month_label(month), got) if got else Total(month, _month_label(month))
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def _labels(by: str, keys: list) -> dict:
    if by == "province":
        from portal.models import Province

        return dict(Province.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "agency":
        from portal.models import Agency

        return dict(Agency.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {}


def _fold(found: list[Total], top: int | None) -> list[Total]:
    if top is None or len(found) <= top:
        return found
    others = Total(None, _("Others (%(n)d)") % {"n": len(found) - top})
    for item in found[top:]:
        others.add(item)
    return [*found[:top], others]


def totals(
    rows: QuerySet, by: str, *, top: int | None = None, year: int | None = None
) -> list[Total]:
    """The totals of ``rows`` by ``by`` (see the module's docstring)."""
    if by == "month":
        return _months(rows, year)
    if by == "year":
        grouped = rows.order_by().annotate(y=ExtractYear("month")).values("y").annotate(**_SUMS)
        return [_make(g["y"], f"{g['y']}年", g) for g in sorted(grouped, key=lambda g: g["y"])]
    if by == "level":
        grouped = _grouped(rows, "level_code", name=Max("level_display"))
        # Level 1 (高级技师) is the highest: list from 5 (初级工) up, as the catalogue does.
        ordered = sorted(grouped, key=lambda g: g["level_code"], reverse=True)
        return _fold([_make(g["level_code"], g["name"], g) for g in ordered], top)
    if by == "occupation":
        grouped = _grouped(rows, "occupation_code", name=Max("occupation_name"))
        found = [
            _make(g["occupation_code"], f"{g['name']}（{g['occupation_code']}）", g)
            for g in grouped
        ]
    elif by in ("province", "agency"):
        column = f"{by}_id"
        grouped = _grouped(rows, column)
        labels = _labels(by, [g[column] for g in grouped])
        found = [_make(g[column], labels.get(g[column], str(g[column])), g) for g in grouped]
    else:
        raise ValueError(f"unknown dimension {by!r}")
    found.sort(key=lambda t: (-t.issued, t.label))
    return _fold(found, top)


# --- Sections, tables, charts, XLSX ---------------------------------------------------------


def _titles() -> dict[str, tuple[str, str, str]]:
    return {
        "year": (_("Certificates by year of issue"), _("Year"), "bar"),
        "month": (_("Certificates by month of issue"), _("Month"), "bar"),
        "province": (_("Certificates by province"), _("Province"), "bar"),
        "occupation": (_("Certificates by occupation"), _("Occupation"), "hbar"),
        "level": (_("Certificates by level"), _("Level"), "bar"),
        "agency": (_("Certificates by agency"), _("Agency"), "hbar"),
    }


def report(
    rows: QuerySet, *, names=SECTIONS, top: int = TOP, year: int | None = None
) -> list[Section]:
    grand = total(rows)
    titles = _titles()
    out = []
    for name in names:
        title, first, chart = titles[name]
        folded = top if name in ("occupation", "agency", "province") else None
        found = totals(rows, name, top=folded, year=year)
        note = ""
        if folded and any(t.key is None for t in found):
            note = _("The %(n)d largest, the others in one row.") % {"n": top}
        out.append(Section(name, title, first, found, grand, chart, note))
    return out


def header(section: Section) -> list[str]:
    return [section.first, _("Issued"), _("Valid"), _("Revoked"), _("Replaced")]


def table(section: Section) -> tuple[list[str], list[list]]:
    """The header and the rows (the total last) that the page shows and the XLSX holds."""
    rows = [[t.label, t.issued, t.valid, t.revoked, t.replaced] for t in section.totals]
    if rows:
        t = section.total
        rows.append([t.label, t.issued, t.valid, t.revoked, t.replaced])
    return header(section), rows


def chart_data(sections: list[Section]) -> dict:
    """The numbers the charts draw (the page's ``json_script`` data island): per section
    its labels and one series per status, exactly the table's rows without the total."""
    out = []
    for s in sections:
        out.append(
            {
                "name": s.name,
                "type": s.chart,
                "title": s.title,
                "labels": [t.label for t in s.totals],
                "series": [
                    {"key": "valid", "label": _("Valid"), "data": [t.valid for t in s.totals]},
                    {
                        "key": "revoked",
                        "label": _("Revoked"),
                        "data": [t.revoked for t in s.totals],
                    },
                    {
                        "key": "replaced",
                        "label": _("Replaced"),
                        "data": [t.replaced for t in s.totals],
                    },
                ],
            }
        )
    return {"sections": out}


def xlsx(sections: list[Section], *, title: str, heading: list[str]) -> bytes:
    """The page's tables as XLSX (openpyxl write-only): the heading lines (who, which
    filters), then each section's title and exactly its table."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("证书统计")
    sheet.column_dimensions["A"].width = 40
    bold = Font(bold=True)

    def strong(value, size=None):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True, size=size) if size else bold
        return cell

    sheet.append([strong(title, 14)])
    for line in heading:
        sheet.append([line])
    for section in sections:
        sheet.append([])
        sheet.append([strong(section.title)])
        head, rows = table(section)
        sheet.append([strong(h) for h in head])
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
