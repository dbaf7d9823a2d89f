"""The process tracker (办理进度): the steps of a procedure with the current one and the date
each step was reached or finished, for any app's page (docs/decisions/0027).

An app builds the steps from its object's stored dates (``Step`` per step, in order) and the
page shows them with ``{% process_tracker steps %}`` (templates/portal/includes/tracker.html):
a row of numbered steps on a desktop, a vertical list on a phone. Later procedures (exam
sessions, certificates) build their own steps the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise

DONE, CURRENT, TODO, STOPPED, SKIPPED = "done", "current", "todo", "stopped", "skipped"


@dataclass
class Step:
    """One step: ``state`` is done, current, todo (not reached), stopped (the procedure
    ended here: rejected, withdrawn) or skipped (does not apply to this object).
    ``date`` is when it was finished (done, stopped) or reached (current); ``until`` the
    deadline of a current step (a notice period's last day); ``note`` a short remark."""

    label: str | Promise
    state: str = TODO
    date: dt.date | dt.datetime | None = None
    until: dt.date | None = None
    note: str | Promise = ""

    @property
    def is_current(self) -> bool:
        return self.state == CURRENT


def progress(labels: list, reached: dict[int, tuple], current: int | None) -> list[Step]:
    """Steps from their ``labels``: those before ``current`` done (with the date and note in
    ``reached[i]``, a tuple ``(date, note)``), ``current`` current, the others to do. Callers
    adjust single steps afterwards (stopped, skipped)."""
    steps = []
    for index, label in enumerate(labels):
        date, note = reached.get(index, (None, ""))
        if current is None or index < current:
            state = DONE
        elif index == current:
            state = CURRENT
        else:
            state, date, note = TODO, None, ""
        steps.append(Step(label, state, date, note=note))
    return steps
