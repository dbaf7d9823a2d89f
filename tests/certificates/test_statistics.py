"""Certificate statistics (Art 21, 24; decision 0053): the aggregate table equals the
underlying counts (issued through the service, synthetic ones in another province and other
months, one revoked); issuance refreshes only its own keys, on commit; a revocation's
signal refreshes its key; the page's charts draw the table's numbers; XLSX holds the same
tables; officials see their jurisdiction; the public page holds no personal data."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.test import Client

from certificates import signals
from certificates import statistics as stats
from certificates.demo_statistics import Spec, synthetic_certificates
from certificates.models import Certificate, CertificateStatistic, CertificateStatus
from certificates.services import issue_certificates
from certificates.services import statistics as refresh
from portal import clock
from portal.models import AgencySite
from tests.certificates.builders import final_session

pytestmark = pytest.mark.django_db

URL = "/workspace/certificates/statistics/"
PUBLIC = "/certificates/statistics/"


def _counts_from_certificates() -> dict:
    """COUNT queries over the certificates, grouped as the table is."""
    found = (
        Certificate.objects.annotate(m=TruncMonth("issued_on"))
        .values("m", "site__province_id", "occupation_code", "level_code", "agency_id")
        .annotate(
            issued=Count("id"),
            revoked=Count("id", filter=Q(status=CertificateStatus.REVOKED)),
            replaced=Count("id", filter=Q(status=CertificateStatus.REPLACED)),
        )
    )
    return {
        (
            r["m"],
            r["site__province_id"],
            r["occupation_code"],
            r["level_code"],
            r["agency_id"],
        ): (r["issued"], r["revoked"], r["replaced"])
        for r in found
    }


def _table_rows() -> dict:
    return {
        (r.month, r.province_id, r.occupation_code, r.level_code, r.agency_id): (
            r.issued,
            r.revoked,
            r.replaced,
        )
        for r in CertificateStatistic.objects.all()
    }


def _months_ago(k: int) -> dt.date:
    today = clock.today()
    index = today.year * 12 + today.month - 1 - k
    return dt.date(index // 12, index % 12 + 1, 10)


@pytest.fixture
def certificates(world, django_capture_on_commit_callbacks):
    """Issued through the service at 广东 (two sessions, levels 4 and 3), and synthetic ones
    at 黑龙江 (this month and two months ago) and at 广东 a year ago; one revoked."""
    four = final_session(world, 3)
    three = final_session(world, 2, level="3")
    with django_capture_on_commit_callbacks(execute=True):
        issue_certificates(world.members["admin"], [four])
        issue_certificates(world.members["admin"], [three])
    AgencySite.objects.filter(pk=world.hlj_site.pk).update(site_serial="000201")
    hlj = AgencySite.objects.select_related("agency").get(pk=world.hlj_site.pk)
    with django_capture_on_commit_callbacks(execute=True):
        synthetic_certificates(
            [
                Spec(four, 4, clock.today(), site=hlj),
                Spec(four, 2, _months_ago(2), site=hlj, revoked=1),
                Spec(three, 5, _months_ago(12), occupation=("4-03-02-01", "中式烹调师")),
            ]
        )
    refresh.recount(months=None)  # the synthetic ones have no batch: the job counts them
    return {"four": four, "three": three, "hlj": hlj}


def test_the_table_equals_the_underlying_counts(
    certificates, world, django_capture_on_commit_callbacks
):
    assert _table_rows() == _counts_from_certificates()
    assert sum(v[0] for v in _table_rows().values()) == Certificate.objects.count() == 16
    # A revocation (direct status change) and its signal: the key's row follows.
    cert = Certificate.objects.filter(session=certificates["four"], site=world.gd_site).first()
    Certificate.objects.filter(pk=cert.pk).update(
        status=CertificateStatus.REVOKED, revoked_at=clock.now(), revoked_reason="测试"
    )
    with django_capture_on_commit_callbacks(execute=True):
        signals.revoked.send(sender=Certificate, certificate=cert, actor=None, reason="测试")
    assert _table_rows() == _counts_from_certificates()
    row = CertificateStatistic.objects.get(
        agency=world.gd_agency, level_code="4", month=clock.today().replace(day=1)
    )
    assert (row.issued, row.revoked, row.valid) == (3, 1, 2)
    # The recount gives the same rows, and again (idempotent).
    before = _table_rows()
    refresh.recount(months=None)
    refresh.recount(months=1)
    assert _table_rows() == before
    # A key whose certificates are gone loses its row.
    Certificate.objects.filter(site=certificates["hlj"], issued_on=_months_ago(2)).delete()
    refresh.recount(months=None)
    assert _table_rows() == _counts_from_certificates()


def test_issuance_refreshes_only_its_keys_once_committed(
    certificates, world, django_capture_on_commit_callbacks
):
    before = {r.pk: (r.refreshed_at, r.issued) for r in CertificateStatistic.objects.all()}
    session = final_session(world, 2, level="4")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue_certificates(world.members["admin"], [session])
    key = {"month": clock.today().replace(day=1), "agency": world.gd_agency, "level_code": "4"}
    assert CertificateStatistic.objects.get(**key).issued == 3, "nothing before the commit"
    for callback in callbacks:
        callback()
    assert CertificateStatistic.objects.get(**key).issued == 5
    changed = {
        pk
        for pk, (at, issued) in before.items()
        if CertificateStatistic.objects.get(pk=pk).refreshed_at != at
    }
    assert changed == {CertificateStatistic.objects.get(**key).pk}
    assert _table_rows() == _counts_from_certificates()


def test_a_refresh_reads_only_its_agency_and_month(certificates, world):
    """The key's recount uses the (agency, issued_on) index: at 50 million certificates it
    reads one agency's month, never the whole table."""
    from django.db import connection

    key = refresh.key_of(
        Certificate.objects.select_related("site").filter(site=certificates["hlj"]).first()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT COUNT(*) FROM certificates_certificate WHERE agency_id = %s "
            "AND issued_on >= %s AND issued_on < %s",
            [key.agency_id, key.month, key.month + dt.timedelta(days=31)],
        )
        plan = " ".join(r[0] for r in cursor.fetchall())
    assert "cert_agency_issued_idx" in plan
    assert refresh.refresh_keys([key, key]) == 1


class _Tables(HTMLParser):
    """The statistics tables of a page: {section: [[cells], ...]} (header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.section = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "stat-table" in (attrs.get("class") or ""):
            self.section = attrs["data-section"]
            self.tables[self.section] = []
        elif self.section and tag == "tr":
            self.row = []
        elif self.row is not None and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.section].append(self.row)
            self.row = None
        elif tag == "table":
            self.section = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _page(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    island = re.search(
        r'<script id="statistics-data" type="application/json">(.*?)</script>', html, re.S
    )
    parser = _Tables()
    parser.feed(html)
    return html, json.loads(island.group(1)), parser.tables


def _as_cells(section) -> list[list[str]]:
    header, rows = stats.table(section)
    return [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]


def test_the_charts_draw_the_tables_numbers(certificates, world):
    client = Client()
    client.force_login(world.ministry)
    html, data, tables = _page(client, URL)
    sections = stats.report(stats.rows_for(world.ministry))
    assert [s["name"] for s in data["sections"]] == list(stats.SECTIONS)
    for section, drawn in zip(sections, data["sections"], strict=True):
        assert tables[section.name] == _as_cells(section), section.name
        body = tables[section.name][1:-1]  # without the header and the total
        assert drawn["labels"] == [row[0] for row in body]
        series = {s["key"]: s["data"] for s in drawn["series"]}
        assert series["valid"] == [int(row[2]) for row in body]
        assert series["revoked"] == [int(row[3]) for row in body]
        assert series["replaced"] == [int(row[4]) for row in body]
        # and the table's total is the underlying count
        assert int(tables[section.name][-1][1]) == Certificate.objects.count()
    assert "chart.umd.min.js" in html and "<canvas" in html
    assert "<script>" not in html and " style=" not in html, "CSP: no inline script or style"


def test_filters_and_province_officials_see_their_province(certificates, world):
    gd = Certificate.objects.filter(site__province_id="440000").count()
    client = Client()
    client.force_login(world.gd_official)
    _html, data, tables = _page(client, URL)
    assert int(tables["month"][-1][1]) == gd == 10
    assert [row[0] for row in tables["province"][1:-1]] == ["广东省"]
    assert "黑龙江测试评价中心" not in _html
    client.force_login(world.hlj_official)
    _html, data, tables = _page(client, URL)
    assert int(tables["month"][-1][1]) == 6
    client.force_login(world.osta_gd)
    _html, data, tables = _page(client, URL)
    assert int(tables["month"][-1][1]) == gd
    # The ministry filters by year, province, level and occupation.
    client.force_login(world.ministry)
    year = clock.today().year
    _html, data, tables = _page(client, f"{URL}?year={year}&province=230000&level=4")
    expected = Certificate.objects.filter(
        issued_on__year=year, site__province_id="230000", level_code="4"
    ).count()
    assert int(tables["month"][-1][1]) == expected
    assert len(tables["month"]) == 12 + 2, "the twelve months of the year, header and total"
    _html, data, tables = _page(client, f"{URL}?occupation=中式烹调")
    assert int(tables["occupation"][-1][1]) == 5
    # Agency staff are refused; so is anyone without an authority role.
    client.force_login(world.members["admin"])
    assert client.get(URL).status_code == 403
    client.force_login(world.nobody)
    assert client.get(URL).status_code == 403


def test_the_xlsx_holds_the_same_tables(certificates, world):
    from openpyxl import load_workbook

    client = Client()
    client.force_login(world.ministry)
    response = client.get(f"{URL}?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    lines = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    lines = [[str(c) for c in line] for line in lines if line]
    for section in stats.report(stats.rows_for(world.ministry)):
        at = lines.index([section.title])
        cells = _as_cells(section)
        assert lines[at + 1 : at + 1 + len(cells)] == cells


def test_the_public_page_holds_aggregate_counts_only(certificates, world):
    html, data, tables = _page(Client(), PUBLIC)
    assert int(tables["year"][-1][1]) == Certificate.objects.count()
    assert "agency" not in tables and "agency" not in {s["name"] for s in data["sections"]}
    for cert in Certificate.objects.all():
        assert cert.holder_name not in html and cert.number not in html
        assert cert.masked_name not in html and cert.id_number not in html
    assert world.gd_agency.name not in html and world.hlj_agency.name not in html
    _html, _data, tables = _page(Client(), f"{PUBLIC}?province=440000")
    assert int(tables["month"][-1][1]) == 10


def test_the_periodic_job_recounts(certificates):
    from portal.jobs import periodic

    CertificateStatistic.objects.all().delete()
    assert periodic.run("certificates.recount_statistics")
    this_month = Certificate.objects.filter(issued_on__gte=_months_ago(1).replace(day=1)).count()
    assert sum(r.issued for r in CertificateStatistic.objects.all()) == this_month
