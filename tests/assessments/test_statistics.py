"""The statistical report (Art 21): the numbers of a built session, the agency's and the
officials' reports with their filters and scope, the XLSX holding exactly the page's numbers,
and the count of queries not growing with the candidates."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments import queries, statistics
from assessments.models import AssessmentSession
from tests.assessments.builders import CONCLUDED, concluded_session

pytestmark = pytest.mark.django_db


def _rows(rep):
    return {row.label: row for row in rep.rows}


def test_the_numbers_of_a_session(world):
    session = concluded_session(world)
    rep = statistics.report(AssessmentSession.objects.filter(pk=session.pk))
    [row] = rep.rows
    assert (row.enrolled, row.sat, row.passed) == (6, 5, 2)  # 庚 withdrew; 丁 was absent
    # theory: 80 59 60 75 85 locked → 4 of 5 at or above 60; skill: 乙's 90 is not locked
    assert row.methods == {"theory": [5, 4], "skill": [3, 3]}
    assert str(row.rate("theory")) == "80.0" and str(row.rate("skill")) == "100.0"
    assert row.incidents == {"warning": 1, "void": 0, "disqualified": 1, "undecided": 0}
    assert [m for m, _label in rep.methods] == ["theory", "skill"]
    header, cells = statistics.table(rep, first="场次", total=False)
    assert cells == [[row.label, 1, 6, 5, 2, "80.0%（4/5）", "100.0%（3/3）", 1, 0, 1, 0]]
    assert len(header) == len(cells[0])


def test_the_pass_mark_is_the_sessions_own(world):
    """59 fails and 60 passes at a pass mark of 60; the pass mark frozen in the basis counts."""
    session = concluded_session(world)
    basis = session.basis | {
        "methods": [m | {"pass_mark": 80} if m["method"] == "theory" else m
                    for m in session.basis["methods"]]
    }  # fmt: skip
    AssessmentSession.objects.filter(pk=session.pk).update(basis=basis)
    [row] = statistics.report(AssessmentSession.objects.filter(pk=session.pk)).rows
    assert row.methods["theory"] == [5, 2]  # 80 and 85


def test_agency_and_official_reports_are_scoped_and_filtered(world):
    from catalog.models import SkillLevel

    gd = concluded_session(world)
    gd_old = concluded_session(world, n0=100, days_ago=400, people={"甲": CONCLUDED["甲"]})
    hlj = concluded_session(world, n0=200, site=world.hlj_site)
    agency = statistics.report(queries.sessions_of_agency(world.gd_agency), group="session")
    assert {row.key for row in agency.rows} == {gd.pk, gd_old.pk}
    assert (agency.total.enrolled, agency.total.sat, agency.total.passed) == (7, 6, 3)
    assert agency.total.methods == {"theory": [6, 5], "skill": [4, 4]}

    national = statistics.report(queries.sessions_for_statistics(world.ministry), group="agency")
    assert {row.key for row in national.rows} == {world.gd_agency.pk, world.hlj_agency.pk}
    province = statistics.report(queries.sessions_for_statistics(world.gd_official), group="agency")
    assert [row.key for row in province.rows] == [world.gd_agency.pk]
    assert province.rows[0].sessions == 2 and province.rows[0].enrolled == 7
    assert hlj.pk not in {s.pk for s in queries.sessions_for_statistics(world.gd_official)}

    recent = queries.filter_statistics(
        queries.sessions_for_statistics(world.gd_official), {"sat_from": gd.last_sitting_on}
    )
    [row] = statistics.report(recent, group="agency").rows
    assert (row.sessions, row.enrolled) == (1, 6)
    other_level = queries.filter_statistics(
        queries.sessions_for_statistics(world.ministry), {"level": SkillLevel.objects.get(pk="3")}
    )
    assert statistics.report(other_level, group="agency").rows == []
    by_code = queries.filter_statistics(
        queries.sessions_for_statistics(world.ministry), {"occupation": "6-31-01-03"}
    )
    assert statistics.report(by_code).total.enrolled == 13


def test_queries_do_not_grow_with_the_candidates(world):
    small = concluded_session(world, people={"甲": CONCLUDED["甲"]})
    big = concluded_session(world, n0=100)
    counts = []
    for session in (small, big):
        with CaptureQueriesContext(connection) as captured:
            statistics.report(AssessmentSession.objects.filter(pk=session.pk))
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 4


def _page_cells(html: str) -> list[list[str]]:
    import re

    body = html.split("<thead>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    cell = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in cell.findall(r)] for r in rows]


def _xlsx_cells(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    start = next(i for i, r in enumerate(rows) if r[1] and r[2])  # the table's header
    return rows[start:]


@pytest.mark.parametrize("who", ["official", "agency"])
def test_the_xlsx_holds_the_numbers_the_page_shows(world, client, who):
    concluded_session(world)
    concluded_session(world, n0=200, site=world.hlj_site)
    if who == "official":
        client.force_login(world.ministry)
        url = reverse("assessments:statistics") + "?occupation=6-31-01-03"
    else:
        client.force_login(world.members["staff"])
        url = reverse("assessments:agency_statistics", args=[world.gd_agency.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    shown = _page_cells(page.content.decode())
    xlsx = client.get(
        url + ("&" if "?" in url else "?") + "format=xlsx", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _xlsx_cells(xlsx.content) == shown
    assert len(shown) == 1 + (3 if who == "official" else 2)  # the header, the rows, the total
    assert shown[-1][1:5] == (["2", "12", "10", "4"] if who == "official" else ["1", "6", "5", "2"])


def test_an_official_of_another_province_does_not_see_the_session(world, client):
    session = concluded_session(world)
    client.force_login(world.hlj_official)
    assert client.get(reverse("assessments:plan_statistics", args=[session.pk])).status_code == 404
    client.force_login(world.gd_official)
    page = client.get(reverse("assessments:plan_statistics", args=[session.pk]))
    assert page.status_code == 200 and "80.0%（4/5）" in page.content.decode()
