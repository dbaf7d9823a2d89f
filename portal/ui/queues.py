"""What every queue page shares (docs/decisions/0027): filters read from the URL with a bad
value ignored and named in a note (never a raw form error), a search box (name or unified
social credit code) and the sort orders of a queue (longest waiting first by default).

A queue's view reads ``read_filters(SomeFilterForm, request.GET)``: it gets the values to
filter with (a bad or missing value replaced by the field's initial value, so a queue opens on
what is pending), the notes to show, and an unbound form showing those values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.forms import FilterForm

WAITING, RECENT, NAME = "waiting", "recent", "name"
SORTS = [
    (WAITING, _("Longest waiting first")),
    (RECENT, _("Most recent first")),
    (NAME, _("Name")),
]


class QueueForm(FilterForm):
    """The search box and sort order of a queue; a queue's form adds its own filters. A bad
    value is dropped as in the public lists (``portal.forms.FilterForm``)."""

    q = forms.CharField(
        label=_("Name or credit code"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS, initial=WAITING)


@dataclass
class Filters:
    values: dict
    form: forms.Form
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, name: str):
        return self.values[name]

    @property
    def search(self) -> str:
        return self.values.get("q", "")

    @property
    def changed(self) -> bool:
        """Whether anything differs from what the queue opens on."""
        return any(
            value not in ("", None, self.form.fields[name].initial)
            for name, value in self.values.items()
        )


def _initial(form: forms.Form, name: str):
    initial = form.fields[name].initial
    return "" if initial is None else initial


def read_filters(form_class: type[forms.Form], data) -> Filters:
    """The filters of ``data`` (request.GET): a missing or bad value becomes the field's
    initial value (what the queue opens on); the bad ones are named in one note, worded as
    the public lists' (``portal/includes/filter_note.html``)."""
    bound = form_class(data)
    bound.is_valid()
    values = {}
    for name, bound_field in bound.fields.items():
        value = bound.cleaned_data.get(name)
        if value in ("", None) and not isinstance(bound_field, forms.CharField):
            value = _initial(bound, name)
        values[name] = value.strip() if isinstance(value, str) else value
    ignored = getattr(bound, "ignored", [])
    notes = []
    if ignored:
        notes.append(
            gettext(
                "Some filter values could not be understood and were ignored: %(filters)s. "
                "The list uses the other filters."
            )
            % {"filters": "、".join(ignored)}
        )
    return Filters(values=values, form=form_class(initial=values), notes=notes)
