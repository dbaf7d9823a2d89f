"""The shared table component, ``{% table %}`` (decision 0025): it labels every body cell with
its column's header, so that the stylesheet can show the rows as cards on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def render(source: str, **context) -> str:
    return Template("{% load portal_ui %}" + source).render(Context(context))


def test_body_cells_get_their_column_header_as_label():
    html = render(
        "{% table %}<table><thead><tr><th scope='col'>编码</th>"
        "<th><span>职业</span> 名称</th></tr></thead>"
        "<tbody>{% for c, n in rows %}<tr><td>{{ c }}</td><td>{{ n }}</td></tr>{% endfor %}</tbody>"
        "</table>{% endtable %}",
        rows=[("6-31-01-03", "电工"), ("4-01-06-01", "电子商务师")],
    )
    assert html.startswith('<div class="table-wrap"><table class="data-table stack">')
    assert html.endswith("</table></div>")
    assert html.count('<td data-label="编码">') == 2
    assert html.count('<td data-label="职业 名称">') == 2
    assert "<th scope='col'>编码</th>" in html  # header cells untouched


def test_spans_are_counted_and_full_width_rows_get_no_label():
    html = render(
        "{% table %}<table><thead><tr><th>职业</th><th colspan='2'>等级与依据</th>"
        "<th>批准</th></tr></thead><tbody><tr><th scope='rowgroup' rowspan='2'>电工</th>"
        "<td>三级</td><td>标准</td><td>✓</td></tr>"
        "<tr><td>四级</td><td>规范</td><td>—</td></tr>"
        '<tr><td colspan="4">没有记录。</td></tr></tbody></table>{% endtable %}'
    )
    cells = re.findall(r"<td([^>]*)>([^<]*)</td>", html)
    assert cells == [
        (' data-label="等级与依据"', "三级"),
        (' data-label="等级与依据"', "标准"),
        (' data-label="批准"', "✓"),
        (' data-label="等级与依据"', "四级"),  # the row header above still covers column 1
        (' data-label="等级与依据"', "规范"),
        (' data-label="批准"', "—"),
        (' colspan="4"', "没有记录。"),
    ]


def test_escaping_options_and_what_is_left_alone():
    html = render(
        '{% table stack=False class="compact" %}<table id="t" class="basis"><thead><tr>'
        "<th>{{ head }}</th><th></th><th>说明</th></tr></thead><tbody><tr><td>1</td>"
        '<td><form method="post"><button>删除</button></form></td><td data-label="备注">x'
        "<table><tr><td>inner</td></tr></table></td></tr></tbody></table>{% endtable %}",
        head='A & "B"',
    )
    assert '<table id="t" class="data-table compact basis">' in html
    assert '<td data-label="A &amp; &quot;B&quot;">1</td>' in html
    assert "<td><form" in html  # a column without a header: no label
    assert '<td data-label="备注">x' in html  # an explicit label is kept
    assert "<td>inner</td>" in html  # nested tables untouched


def test_unknown_options_are_refused():
    with pytest.raises(TemplateSyntaxError):
        render("{% table cards=1 %}<table></table>{% endtable %}")


def test_every_table_in_the_templates_goes_through_the_component():
    """PDF templates excepted (no phones there), and the audit trail, whose entries are one body
    each with a folding changes row (its own cards, checked by test_audit_browser)."""
    skipped = {
        "portal/audit_list.html",
        "portal/pdf_base.html",
        "catalog/standards/standard_pdf.html",
    }
    outside = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if "/pdf/" in name or name in skipped:
            continue
        source = path.read_text(encoding="utf-8")
        tables, wrapped = source.count("<table"), source.count("{% table")
        if tables != wrapped or (tables and "portal_ui" not in source):
            outside.append(name)
    assert outside == []
