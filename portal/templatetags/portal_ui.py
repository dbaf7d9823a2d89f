"""Shared page components (decision 0025).

``{% table %}`` wraps an ordinary HTML table::

    {% load portal_ui %}
    {% table %}<table>
    <thead><tr><th scope="col">{% translate "Code" %}</th><th scope="col">…</th></tr></thead>
    <tbody>{% for o in page %}<tr><td class="code">{{ o.code }}</td>…</tr>{% endfor %}</tbody>
    </table>{% endtable %}

and renders it inside a box that scrolls sideways on its own (``.table-wrap``), with
``class="data-table stack"`` on the table and a ``data-label`` on every body cell copied from
its column header. Under 640 px the stylesheet turns each row into a card of
「label：value」 lines; on wider screens it stays a normal table. The template keeps writing
plain ``<th>``/``<td>`` markup: no column definitions, and columns added later get their labels
for free. ``{% table stack=False %}`` keeps a table a table at every width (it then scrolls
inside its box); a cell that already has a ``data-label`` keeps it; a cell spanning columns
(the 「no entries」 row) gets no label.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

_TAG = re.compile(r"<(/?)(table|thead|tbody|tfoot|tr|th|td)\b([^>]*)>", re.IGNORECASE)
_SPAN = re.compile(r"""\b(col|row)span\s*=\s*["']?(\d+)""", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def _span(attrs: str, which: str) -> int:
    for kind, n in _SPAN.findall(attrs):
        if kind.lower() == which:
            return max(int(n), 1)
    return 1


def _label(inner_html: str) -> str:
    text = _SPACE.sub(" ", strip_tags(inner_html)).strip()
    return text.replace('"', "&quot;")


def _add_class(attrs: str, classes: str) -> str:
    match = re.search(r"""\bclass\s*=\s*(["'])(.*?)\1""", attrs, re.IGNORECASE | re.S)
    if match:
        start, end = match.span(2)
        if attrs[start:end]:
            return f"{attrs[:start]}{classes} {attrs[start:]}"
        return f"{attrs[:start]}{classes}{attrs[end:]}"
    return f' class="{classes}"{attrs}'


def label_cells(html: str, *, table_class: str = "data-table stack") -> str:
    """The rendered table with the class on its ``<table>`` and ``data-label`` on body cells.

    Reads the header cells of the last ``<thead>`` row (their text, tags stripped; column
    spans counted), then walks the body rows keeping track of cells that span rows, so that
    each ``<td>`` is labelled by the header of the column it starts in. Tables nested inside
    cells are left as they are."""
    out: list[str] = []
    pos = 0
    depth = 0
    section = ""  # thead / tbody / tfoot / "" (rows straight under <table>)
    headers: list[str] = []
    header_row: list[str] = []
    header_cell_start = None
    header_cell_colspan = 1
    in_header_row = False
    col = 0
    carry: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    next_carry: dict[int, int] = {}
    classed = False

    for match in _TAG.finditer(html):
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name == "table":
            if closing:
                depth -= 1
            else:
                depth += 1
                if depth == 1 and not classed:
                    out.append(html[pos : match.start()])
                    out.append(f"<{match.group(2)}{_add_class(attrs, table_class)}>")
                    pos = match.end()
                    classed = True
            continue
        if depth != 1:
            continue
        if name in ("thead", "tbody", "tfoot"):
            section = "" if closing else name
            continue
        if name == "tr":
            if closing:
                if in_header_row:
                    headers = header_row
                    in_header_row = False
                else:
                    carry = {c: n for c, n in next_carry.items() if n > 0}
                continue
            col = 0
            next_carry = {c: n - 1 for c, n in carry.items()}
            in_header_row = section == "thead"
            header_row = []
            continue
        # th / td
        if in_header_row:
            if closing:
                if header_cell_start is not None:
                    text = _label(html[header_cell_start : match.start()])
                    header_row.extend([text] * header_cell_colspan)
                    header_cell_start = None
            else:
                header_cell_start = match.end()
                header_cell_colspan = _span(attrs, "col")
            continue
        if closing:
            continue
        while carry.get(col, 0) > 0:
            col += 1
        colspan, rowspan = _span(attrs, "col"), _span(attrs, "row")
        label = headers[col] if col < len(headers) else ""
        if rowspan > 1:
            for c in range(col, col + colspan):
                next_carry[c] = rowspan - 1
        col += colspan
        if name != "td" or colspan > 1 or not label or "data-label" in attrs.lower():
            continue
        out.append(html[pos : match.start()])
        out.append(f'<{match.group(2)} data-label="{label}"{attrs}>')
        pos = match.end()
    out.append(html[pos:])
    return "".join(out)


class TableNode(template.Node):
    def __init__(self, nodelist, options):
        self.nodelist = nodelist
        self.options = options

    def render(self, context):
        options = {key: value.resolve(context) for key, value in self.options.items()}
        classes = "data-table stack" if options.get("stack", True) else "data-table"
        if options.get("class"):
            classes += f" {options['class']}"
        inner = label_cells(self.nodelist.render(context), table_class=classes)
        # The inner HTML was rendered (and escaped) by the template; only tags were added.
        return mark_safe(f'<div class="table-wrap">{inner}</div>')  # noqa: S308


@register.tag("table")
def do_table(parser, token):
    """``{% table [stack=False] [class="extra"] %}<table>…</table>{% endtable %}``."""
    bits = token.split_contents()[1:]
    options = {}
    for bit in bits:
        key, sep, value = bit.partition("=")
        if not sep or key not in ("stack", "class"):
            message = f"{{% table %}} takes stack=… and class=…, not {bit!r}"
            raise template.TemplateSyntaxError(message)
        options[key] = parser.compile_filter(value)
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(nodelist, options)
