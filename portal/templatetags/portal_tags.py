"""Template helpers: pagination query strings, Chinese dates, masked IDs, documents, slots."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import codes

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (keeps filters when paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def cndate(value) -> str:
    """2026年11月25日 in Chinese; ISO date in other languages."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if (get_language() or "").startswith("zh"):
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
        return f"{value:%Y-%m-%d %H:%M}"
    if (get_language() or "").startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value:%Y-%m-%d}"


@register.filter
def masked_id(value: str) -> str:
    return codes.mask_resident_id(value) if value else ""


@register.filter
def audit_sentence(action: str) -> str:
    from portal import audit

    return audit.describe(action)


@register.filter
def audit_text(entry) -> str:
    """The whole sentence of an audit entry: 「广东演示官员（省级人社部门官员）暂停了评价机构：
    已列入目录 → 暂停」 (decision 0029)."""
    from portal.audit import display

    return display.sentence(entry)


@register.filter
def jurisdiction_name(code: str) -> str:
    from portal.models import jurisdiction_label

    return jurisdiction_label(code)


@register.inclusion_tag("portal/includes/document_link.html")
def document_link(doc, label=None) -> dict:
    """A download link that says 「正在生成」 while the document is pending (decision 0017)."""
    return {"doc": doc, "label": doc.title if label is None else label}


@register.inclusion_tag("portal/includes/document_state.html")
def document_state(doc) -> dict:
    """「（正在生成）」 after a pending document's link, 「（未能生成）」 after a failed one."""
    return {"doc": doc}


@register.simple_tag(takes_context=True)
def slot(context, name: str, obj=None):
    """``{% slot "catalog.occupation" occupation %}``: what other apps put on this page."""
    from portal import slots

    return slots.render(name, context.get("request"), obj)


class _PublicCacheNode(template.Node):
    def __init__(self, name, vary, nodelist) -> None:
        self.name, self.vary, self.nodelist = name, vary, nodelist

    def render(self, context) -> str:
        from portal import pagecache

        name = self.name.resolve(context)
        vary = [v.resolve(context) for v in self.vary]
        html = pagecache.fragment(
            name, context.get("request"), lambda: self.nodelist.render(context), vary
        )
        return mark_safe(html)  # noqa: S308 - rendered by this template, escaped as it was


@register.tag
def publiccache(parser, token):
    """``{% publiccache "directory" [vary …] %}…{% endpubliccache %}``: the content of a
    public page, shared between anonymous visitors until public data changes (portal.pagecache;
    the key has the data version, language, date and the full path)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("publiccache needs a name")
    nodelist = parser.parse(("endpubliccache",))
    parser.delete_first_token()
    return _PublicCacheNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist
    )


WAITING_WINDOW_DAYS = 400


@register.inclusion_tag("portal/includes/waiting.html", takes_context=True)
def waiting_line(context, oldest=None, due_on=None, working_days=True) -> dict:
    """How long an item has waited and its deadline, as the dashboard's to-dos say it
    (「已等待 4 个工作日 · 6月3日到期」); for the rows of queues. The rows of one page share
    one read of the working-day calendar (no query per row)."""
    from portal import clock
    from portal.ui.dashboards import Todo

    cache = context.render_context
    if "waiting_counter" not in cache:
        today = clock.today()
        start = today - dt.timedelta(days=WAITING_WINDOW_DAYS)
        cache["waiting_counter"] = clock.working_days_counter(start, today)
    item = Todo(
        1,
        "",
        oldest=oldest,
        due_on=due_on,
        working_days=working_days,
        counter=cache["waiting_counter"],
    )
    return {"item": item, "single": True}


@register.filter
def lookup(mapping, key):
    """``mapping[key]`` in a template (a label by its code), or "" when absent."""
    try:
        return mapping[key]
    except (KeyError, TypeError):
        return ""


@register.filter
def cndate_day(value) -> str:
    """The day only (2026年11月25日), also of a datetime (in local time)."""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return cndate(value)


@register.inclusion_tag("portal/includes/tracker.html")
def process_tracker(steps) -> dict:
    """The process tracker of ``steps`` (``portal.ui.tracker.Step``), for any procedure."""
    return {"steps": steps}
