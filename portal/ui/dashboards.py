"""Dashboard panels per role: apps register what each role can do now and its pending work.

A panel is a function ``(request) -> Panel | None``; it returns None when it has
nothing to say to this user. Panels are registered for roles, like menu entries.

A panel lists its to-dos (``Todo``): each one a sentence with its number of items
(「3 份申请待作出审批决定」), how long the longest-waiting item has waited and the earliest
deadline among them (「最早已等待 4 个工作日 · 6月3日到期」). Waiting is counted in working days
(``portal.clock``) where the rules count working days — every authority's queue — and in
calendar days otherwise. Figures that are not to-dos (accounts managed, applications in
evaluation elsewhere) are ``facts``: plain lines, never a badge.

The panel's own ``count``, ``oldest`` and ``due_on`` summarise its to-dos (their sum, the
earliest arrival, the earliest deadline); a panel may also set them directly (one queue).
Only a to-do count shows as a badge, red while something waits (docs/decisions/0027).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise

from portal import clock


def _arrival(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def waited(
    moment: dt.datetime | dt.date | None, *, working_days: bool = True, counter=None
) -> int | None:
    """Days an item that arrived at ``moment`` has waited by today: working days after the
    day it arrived up to today (0 when it arrived today), or calendar days. ``counter`` is a
    ``clock.working_days_counter`` shared by the rows of one page."""
    if moment is None:
        return None
    arrived, today = _arrival(moment), clock.today()
    if working_days:
        return (counter or clock.working_days_between)(arrived, today)
    return max((today - arrived).days, 0)


@dataclass
class PanelLink:
    label: str | Promise
    url: str


@dataclass
class Todo:
    """Something waiting for this user: ``text`` names the items with their number
    (「2 件异议待处理」); ``count`` is that number (0: the line is not shown)."""

    count: int
    text: str | Promise
    url: str = ""
    oldest: dt.datetime | dt.date | None = None
    due_on: dt.date | None = None
    working_days: bool = True
    counter: Callable | None = field(default=None, repr=False, compare=False)

    @property
    def waiting_days(self) -> int | None:
        return waited(self.oldest, working_days=self.working_days, counter=self.counter)

    @property
    def arrived_today(self) -> bool:
        return self.oldest is not None and _arrival(self.oldest) >= clock.today()

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < clock.today()


@dataclass
class Panel:
    title: str | Promise
    text: str | Promise = ""
    links: list[PanelLink] = field(default_factory=list)
    count: int | None = None  # pending items, shown as a badge (None: no badge)
    order: int = 100
    oldest: dt.datetime | dt.date | None = None  # arrival of the longest-waiting item
    due_on: dt.date | None = None  # the earliest deadline among the waiting items
    todos: list[Todo] = field(default_factory=list)
    facts: list[str | Promise] = field(default_factory=list)  # information, not to-dos
    working_days: bool = True  # how ``oldest`` is counted when set directly
    listing: bool = False  # a panel of to-dos, even when none waits now
    counter: Callable | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.todos = [t for t in self.todos if t.count]
        if not (self.listing or self.todos):
            return
        self.listing = True
        if self.count is None:
            self.count = sum(t.count for t in self.todos)
        timed = [t for t in self.todos if t.oldest is not None]
        if self.oldest is None and timed:
            first = min(timed, key=lambda t: _arrival(t.oldest))
            self.oldest, self.working_days = first.oldest, first.working_days
        deadlines = [t.due_on for t in self.todos if t.due_on is not None]
        if self.due_on is None and deadlines:
            self.due_on = min(deadlines)

    @property
    def shows_waiting(self) -> bool:
        """The summary line under the title (a panel of one queue; a list shows its own)."""
        return not self.listing and (self.oldest is not None or self.due_on is not None)

    @property
    def waiting_days(self) -> int | None:
        """Days the oldest item has waited (0 when it arrived today)."""
        return waited(self.oldest, working_days=self.working_days, counter=self.counter)

    @property
    def arrived_today(self) -> bool:
        return self.oldest is not None and _arrival(self.oldest) >= clock.today()

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < clock.today()


def todo_panel(title, *, todos: list[Todo], **kwargs) -> Panel:
    """A panel listing to-dos: its badge sums them (0 when nothing waits) and each one shows
    its own waiting time and deadline."""
    return Panel(title=title, todos=todos, listing=True, **kwargs)


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
    _share_calendar(found)
    return sorted(found, key=lambda p: p.order)


def _share_calendar(panels: list[Panel]) -> None:
    """One read of the working-day calendar for every waiting time of the dashboard, instead
    of one per to-do line (docs/decisions/0027)."""
    waiting = [p for p in panels if p.oldest is not None and p.working_days]
    waiting += [t for p in panels for t in p.todos if t.oldest is not None and t.working_days]
    waiting = [item for item in waiting if item.counter is None]
    if not waiting:
        return
    today = clock.today()
    start = min(_arrival(item.oldest) for item in waiting)
    if start >= today:
        return
    counter = clock.working_days_counter(start, today)
    for item in waiting:
        item.counter = counter
