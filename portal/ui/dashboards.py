"""Dashboard panels per role: apps register what each role can do now and its pending work.

A panel is a function ``(request) -> Panel | None``; it returns None when it has
nothing to say to this user. Panels are registered for roles, like menu entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass
class PanelLink:
    label: str | Promise
    url: str


@dataclass
class Panel:
    title: str | Promise
    text: str | Promise = ""
    links: list[PanelLink] = field(default_factory=list)
    count: int | None = None  # pending items, shown as a badge
    order: int = 100


PanelFactory = Callable[[object], Panel | None]
_PANELS: list[tuple[frozenset[str], str, PanelFactory]] = []


def register_panel(key: str, roles: set[str] | tuple[str, ...], factory: PanelFactory) -> None:
    global _PANELS
    _PANELS = [p for p in _PANELS if p[1] != key]
    _PANELS.append((frozenset(roles), key, factory))


def panels_for(request, roles: set[str]) -> list[Panel]:
    found = []
    for wanted, _key, factory in _PANELS:
        if wanted & roles:
            panel = factory(request)
            if panel is not None:
                found.append(panel)
    return sorted(found, key=lambda p: p.order)
