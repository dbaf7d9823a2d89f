"""Dashboard panels per role: apps register what each role can do now and its pending work.

A panel is a function ``(request) -> Panel | None``; it returns None when it has
nothing to say to this user. Panels are registered for roles, like menu entries.

A panel over a queue gives ``count`` (items waiting), ``oldest`` (when the longest-waiting
item arrived) and ``due_on`` (the earliest date by which one must be dealt with); the
dashboard shows them the same way for every app (「3 项待办 · 最早已等待 5 天 · 6月3日到期」),
an overdue queue highlighted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise

from portal import clock


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
    oldest: dt.datetime | None = None  # arrival of the longest-waiting item
    due_on: dt.date | None = None  # the earliest deadline among the waiting items

    @property
    def shows_waiting(self) -> bool:
        return self.oldest is not None or self.due_on is not None

    @property
    def waiting_days(self) -> int | None:
        """Whole days the oldest item has waited (0 when it arrived today)."""
        if self.oldest is None:
            return None
        arrived = (
            timezone.localdate(self.oldest)
            if timezone.is_aware(self.oldest)
            else self.oldest.date()
        )
        return max((clock.today() - arrived).days, 0)

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < clock.today()


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
