"""Page slots: a lower app's page shows what a higher app knows without importing it.

The lower app's template names a slot and the object of the page::

    {% load portal_tags %}{% slot "catalog.occupation" occupation %}

A higher app fills it from its ``registry`` (called in ``AppConfig.ready()``)::

    slots.register("catalog.occupation", agencies_for_occupation, order=10)
    slots.register("catalog.occupation", occupation_context,
                   template="agencies/slots/occupation.html")

A provider is ``(request, obj) -> str | SafeString | None``: plain text is escaped, a
``SafeString`` (``format_html``, ``render_to_string``) is used as it is, None or "" adds
nothing. With ``template``, the provider returns the template's context (a dict, or None
to add nothing) and the template is rendered with the request and ``obj``. Providers run
in ``order``, then in the order they were registered. A slot nobody fills renders nothing.

A provider that fails must not take the page down in production: its error is logged and
its part left out. Under DEBUG and in tests (``DJANGO_ENV=test``) the error is raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

Provider = Callable[[Any, Any], "str | SafeString | Mapping[str, Any] | None"]


@dataclass(frozen=True)
class _Filler:
    provider: Provider
    template: str | None
    order: int
    seq: int


_SLOTS: dict[str, list[_Filler]] = {}
_seq = 0


def register(
    slot: str, provider: Provider, *, template: str | None = None, order: int = 100
) -> None:
    """Fill ``slot`` with ``provider`` (registering the same provider again replaces it)."""
    global _seq
    _seq += 1
    fillers = [f for f in _SLOTS.get(slot, []) if f.provider is not provider]
    fillers.append(_Filler(provider, template, order, _seq))
    _SLOTS[slot] = sorted(fillers, key=lambda f: (f.order, f.seq))


def unregister(slot: str, provider: Provider) -> None:
    """Take ``provider`` out of ``slot`` again (tests)."""
    _SLOTS[slot] = [f for f in _SLOTS.get(slot, []) if f.provider is not provider]


def providers(slot: str) -> list[Provider]:
    """The providers of ``slot``, in the order they render."""
    return [f.provider for f in _SLOTS.get(slot, [])]


def _strict() -> bool:
    return bool(settings.DEBUG) or getattr(settings, "DJANGO_ENV", "") == "test"


def _part(filler: _Filler, request, obj) -> str:
    value = filler.provider(request, obj)
    if filler.template is not None:
        if value is None:
            return ""
        context = {"obj": obj, **value}
        return render_to_string(filler.template, context, request=request)
    if value is None or value == "":
        return ""
    return conditional_escape(value)


def render(slot: str, request, obj: Any = None) -> SafeString:
    """The HTML every provider of ``slot`` gives for ``obj``, joined by newlines."""
    parts = []
    for filler in _SLOTS.get(slot, []):
        try:
            html = _part(filler, request, obj)
        except Exception:
            if _strict():
                raise
            logger.exception(
                "slot %s: provider %s failed; its part is left out",
                slot,
                getattr(filler.provider, "__qualname__", filler.provider),
            )
            continue
        if html:
            parts.append(html)
    return mark_safe("\n".join(parts))  # noqa: S308 - every part is escaped or already safe
