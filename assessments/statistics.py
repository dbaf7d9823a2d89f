"""The statistical report of skill-level recognition (统计表, Art 21): per session, per agency and
across the agencies of an official's jurisdiction: enrolled, sat (present at one sitting at
least), passed, the pass rate of each method (locked scores at or above the method's pass mark
out of the locked scores) and the incidents by decision.

Everything is counted in PostgreSQL with aggregates over the scoped sessions (two queries,
whatever the number of candidates); ``table`` turns a report into the header and the rows the
page shows and the XLSX export writes, so the two never disagree.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.models import AssessmentSession, IncidentDecision

# Incident columns, in order: the three decisions and the ones not decided yet.
UNDECIDED = "undecided"
INCIDENT_KEYS = (
    IncidentDecision.WARNING,
    IncidentDecision.VOID,
    IncidentDecision.DISQUALIFIED,
    UNDECIDED,
)
METHOD_ORDER = ("theory", "skill", "review", "performance", "process", "competition")


@dataclass
class StatRow:
    """One line of the report: a session or an agency (``key``), or the total (``key`` None)."""

    key: int | None
    label: str
    sessions: int = 0
    enrolled: int = 0
    sat: int = 0
    passed: int = 0
    # method -> [scored, passed]
    methods: dict[str, list[int]] = field(default_factory=dict)
    incidents: dict[str, int] = field(default_factory=dict)

    def rate(self, method: str) -> Decimal | None:
        scored, passed = self.methods.get(method, (0, 0))
        if not scored:
            return None
        return (Decimal(passed) * 100 / scored).quantize(Decimal("0.1"))

    @property
    def incidents_total(self) -> int:
        return sum(self.incidents.values())


@dataclass
class Report:
    rows: list[StatRow]
    total: StatRow
    methods: list[tuple[str, str]]  # (method, label) columns, in a stable order


_GROUP = {"session": "s.id", "agency": "s.agency_id"}

# The counts of each scoped session, then summed per group: no join multiplies another.
_COUNTS_SQL = """
WITH scope AS ({sessions}),
enr AS (
    SELECT e.session_id,
           COUNT(*) AS enrolled,
           COUNT(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM assessments_attendance a
               WHERE a.enrolment_id = e.id AND a.status = 'present')) AS sat
    FROM assessments_enrolment e
    WHERE e.status = 'enrolled' AND e.session_id IN (SELECT id FROM scope)
    GROUP BY e.session_id
),
res AS (
    SELECT r.session_id, COUNT(*) AS passed
    FROM assessments_result r
    WHERE r.outcome = 'passed' AND r.session_id IN (SELECT id FROM scope)
    GROUP BY r.session_id
),
inc AS (
    SELECT st.session_id,
           COUNT(*) FILTER (WHERE i.decision = 'warning') AS warning,
           COUNT(*) FILTER (WHERE i.decision = 'void') AS void,
           COUNT(*) FILTER (WHERE i.decision = 'disqualified') AS disqualified,
           COUNT(*) FILTER (WHERE i.decision = '') AS undecided
    FROM assessments_incident i JOIN assessments_sitting st ON st.id = i.sitting_id
    WHERE st.session_id IN (SELECT id FROM scope)
    GROUP BY st.session_id
)
SELECT {group} AS key, COUNT(*) AS sessions,
       COALESCE(SUM(enr.enrolled), 0), COALESCE(SUM(enr.sat), 0),
       COALESCE(SUM(res.passed), 0),
       COALESCE(SUM(inc.warning), 0), COALESCE(SUM(inc.void), 0),
       COALESCE(SUM(inc.disqualified), 0), COALESCE(SUM(inc.undecided), 0)
FROM assessments_assessmentsession s
LEFT JOIN enr ON enr.session_id = s.id
LEFT JOIN res ON res.session_id = s.id
LEFT JOIN inc ON inc.session_id = s.id
WHERE s.id IN (SELECT id FROM scope)
GROUP BY {group}
"""

# Locked method scores against the pass mark frozen in the session's basis.
_METHODS_SQL = """
WITH scope AS ({sessions})
SELECT {group} AS key, ms.method,
       COUNT(*) AS scored,
       COUNT(*) FILTER (WHERE ms.value >= (m.item ->> 'pass_mark')::numeric) AS passed
FROM assessments_methodscore ms
JOIN assessments_enrolment e ON e.id = ms.enrolment_id
JOIN assessments_assessmentsession s ON s.id = e.session_id
CROSS JOIN LATERAL jsonb_array_elements(COALESCE(s.basis -> 'methods', '[]'::jsonb)) AS m(item)
WHERE s.id IN (SELECT id FROM scope) AND e.status = 'enrolled'
  AND ms.submitted_at IS NOT NULL AND m.item ->> 'method' = ms.method
GROUP BY {group}, ms.method
"""


_LABELS_SQL = """
SELECT DISTINCT m.item ->> 'method', m.item ->> 'label'
FROM assessments_assessmentsession s
CROSS JOIN LATERAL jsonb_array_elements(COALESCE(s.basis -> 'methods', '[]'::jsonb)) AS m(item)
WHERE s.id IN ({sessions})
"""


def _sql(template: str, sessions: str, group: str) -> str:
    return template.replace("{sessions}", sessions).replace("{group}", group)


def _labels(sessions: QuerySet, group: str) -> dict[int, str]:
    if group == "agency":
        return dict(sessions.order_by().values_list("agency_id", "agency__name").distinct())
    found = sessions.order_by().select_related("occupation", "level", "work_type")
    return {s.pk: _session_label(s) for s in found}


def _session_label(s: AssessmentSession) -> str:
    work = f"（{s.work_type.name}）" if s.work_type_id else ""
    day = f" {s.last_sitting_on:%Y-%m-%d}" if s.last_sitting_on else ""
    return f"{s.occupation.name}{work} {s.level.display}{day}"


def _method_labels(sessions: QuerySet) -> dict[str, str]:
    """The label of each method as the sessions' frozen bases name it."""
    sql, params = sessions.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_sql(_LABELS_SQL, sql, ""), params)
        found: dict[str, str] = {}
        for method, label in cursor.fetchall():
            found.setdefault(method, label or method)
    return found


def report(sessions: QuerySet, *, group: str = "session") -> Report:
    """The report of ``sessions`` (already scoped for the reader) by session or by agency."""
    column = _GROUP[group]
    sql, params = sessions.order_by().values("id").query.sql_with_params()
    rows: dict[int, StatRow] = {}
    labels = _labels(sessions, group)
    with connection.cursor() as cursor:
        cursor.execute(_sql(_COUNTS_SQL, sql, column), params)
        for key, n, enrolled, sat, passed, *incidents in cursor.fetchall():
            rows[key] = StatRow(
                key=key,
                label=labels.get(key, str(key)),
                sessions=n,
                enrolled=int(enrolled),
                sat=int(sat),
                passed=int(passed),
                incidents=dict(zip(INCIDENT_KEYS, map(int, incidents), strict=True)),
            )
        cursor.execute(_sql(_METHODS_SQL, sql, column), params)
        for key, method, scored, passed in cursor.fetchall():
            if key in rows:
                rows[key].methods[method] = [int(scored), int(passed)]
    names = _method_labels(sessions) if rows else {}
    order = {m: i for i, m in enumerate(METHOD_ORDER)}
    methods = sorted(names.items(), key=lambda item: (order.get(item[0], 99), item[0]))
    ordered = sorted(rows.values(), key=lambda r: (r.label, r.key or 0))
    total = StatRow(key=None, label=_("Total"), incidents=dict.fromkeys(INCIDENT_KEYS, 0))
    for row in ordered:
        total.sessions += row.sessions
        total.enrolled += row.enrolled
        total.sat += row.sat
        total.passed += row.passed
        for method, (scored, passed) in row.methods.items():
            cell = total.methods.setdefault(method, [0, 0])
            cell[0] += scored
            cell[1] += passed
        for decision, count in row.incidents.items():
            total.incidents[decision] += count
    return Report(rows=ordered, total=total, methods=methods)


def _rate(row: StatRow, method: str) -> str:
    rate = row.rate(method)
    if rate is None:
        return "—"
    scored, passed = row.methods[method]
    return f"{rate}%（{passed}/{scored}）"


def table(rep: Report, *, first: str, total: bool = True) -> tuple[list[str], list[list]]:
    """The header and the rows (the total last) the page shows and the XLSX holds."""
    header = [first, _("Sessions"), _("Enrolled"), _("Sat"), _("Passed")]
    header += [_("Pass rate: %(method)s") % {"method": label} for _m, label in rep.methods]
    header += [
        _("Incidents: %(decision)s") % {"decision": IncidentDecision(k).label}
        for k in INCIDENT_KEYS[:3]
    ]
    header += [_("Incidents not decided")]
    out = []
    for row in [*rep.rows, rep.total] if rep.rows and total else rep.rows:
        cells: list = [row.label, row.sessions, row.enrolled, row.sat, row.passed]
        cells += [_rate(row, m) for m, _label in rep.methods]
        cells += [row.incidents.get(k, 0) for k in INCIDENT_KEYS]
        out.append(cells)
    return header, out


def xlsx(rep: Report, *, title: str, first: str, heading: list[str], total: bool = True) -> bytes:
    """The 统计表 as XLSX: the heading lines (who, which filters), then exactly the page's
    table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "统计表"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in heading:
        sheet.append([line])
    sheet.append([])
    header, rows = table(rep, first=first, total=total)
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
