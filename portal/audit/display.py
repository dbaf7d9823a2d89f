"""How the audit trail reads (pretix's ``logdisplay`` is the model; decision 0029).

Each app registers, in its ``registry.py``, a Chinese sentence for every action it records
(``register_label``): a verb phrase that follows the actor (「作出了申请审批决定」), and which
of the entry's changes the sentence restates (the status by default), so that an entry reads
「广东演示官员（省级人社部门官员）作出了申请审批决定：技术评估中 → 公示中」. The other changes
are listed under the sentence with the fields' verbose names, choice values by their labels,
booleans as 是/否 and dates in Chinese form. Nothing here reads or writes the hash chain.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.jobs import periodic
from portal.roles import AgencyRole, AuthorityRole

DEFAULT_SUMMARY = ("status",)


@dataclass(frozen=True)
class Sentence:
    label: str | Promise
    summary: tuple[str, ...] = DEFAULT_SUMMARY
    fields: Mapping[str, str | Promise] = field(default_factory=dict)


_SENTENCES: dict[str, Sentence] = {}
# Names of changes that are not model fields (``reasons``, ``two_factor``), any action.
_CHANGE_LABELS: dict[str, str | Promise] = {}
# How the values of such changes read: a mapping (choices) or a function of one value.
_CHANGE_VALUES: dict[str, Mapping | Callable[[Any], str]] = {}


def register_label(
    action: str,
    label: str | Promise,
    *,
    summary: Iterable[str] = DEFAULT_SUMMARY,
    fields: Mapping[str, str | Promise] | None = None,
) -> None:
    """The sentence of ``action``: ``label`` is the verb phrase after the actor
    (``_("decided on an application")`` → 「作出了申请审批决定」); ``summary`` names the
    changes restated after it (「：技术评估中 → 公示中」); ``fields`` names the changes of this
    action that are not fields of the object's model."""
    _SENTENCES[action] = Sentence(label, tuple(summary), dict(fields or {}))


def register_change_labels(
    labels: Mapping[str, str | Promise],
    *,
    values: Mapping[str, Mapping | Callable[[Any], str]] | None = None,
) -> None:
    """Names of changes that are not model fields, for every action (``two_factor``), and
    how their values read when they are codes (``roles``: the role labels)."""
    _CHANGE_LABELS.update(labels)
    _CHANGE_VALUES.update(values or {})


def labelled_actions() -> list[str]:
    return list(_SENTENCES)


def sentence_for(action: str) -> Sentence | None:
    return _SENTENCES.get(action)


def describe(action: str) -> str:
    """The verb phrase of ``action`` (the dotted name when none is registered)."""
    found = _SENTENCES.get(action)
    return str(found.label) if found is not None else action


# --- Actors -------------------------------------------------------------------------------

_ROLE_LABELS = {**dict(AuthorityRole.choices), **dict(AgencyRole.choices)}
SYSTEM_ACTOR = gettext_lazy("System (scheduled job)")
PUBLIC_ACTOR = gettext_lazy("A member of the public")


def role_labels(codes: str) -> list[str]:
    """``provincial_official,expert`` → [省级人社部门官员, 评审专家] (unknown codes as they are)."""
    return [str(_ROLE_LABELS.get(code, code)) for code in codes.split(",") if code]


def actor_name(entry) -> str:
    if entry.actor_id is not None:
        return entry.actor.display_name
    if entry.actor_label == "system" or entry.actor_label in periodic.jobs():
        return str(SYSTEM_ACTOR)
    if entry.actor_label == "public":
        return str(PUBLIC_ACTOR)
    return entry.actor_label


def actor_text(entry) -> str:
    """「广东演示官员（省级人社部门官员）」."""
    name = actor_name(entry)
    roles = role_labels(entry.actor_role)
    if not roles:
        return name
    return _("%(name)s (%(roles)s)") % {"name": name, "roles": _(", ").join(roles)}


# --- Fields and values --------------------------------------------------------------------


def model_of(object_type: str) -> type[models.Model] | None:
    if not object_type or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


PROJECT_APPS = ("portal", "catalog", "agencies", "assessments", "certificates", "supervision")


@functools.cache
def _fields_by_name() -> dict[str, models.Field]:
    """Every concrete field of the project's models by name, one with choices first: the
    name of a change recorded on another object than its own model (a review's
    ``recommendation`` on the application's entry)."""
    found: dict[str, models.Field] = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for model_field in model._meta.get_fields():
            if not isinstance(model_field, models.Field):
                continue
            known = found.get(model_field.name)
            if known is None or (model_field.choices and not known.choices):
                found[model_field.name] = model_field
    return found


def _model_field(model, name: str):
    if model is not None:
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
    return _fields_by_name().get(name)


def field_label(action: str, model, name: str) -> str:
    found = _SENTENCES.get(action)
    if found is not None and name in found.fields:
        return str(found.fields[name])
    own = None
    if model is not None:
        try:
            own = model._meta.get_field(name)
        except FieldDoesNotExist:
            own = None
    if own is not None and hasattr(own, "verbose_name"):
        return str(own.verbose_name)
    if name in _CHANGE_LABELS:
        return str(_CHANGE_LABELS[name])
    other = _fields_by_name().get(name)
    return str(other.verbose_name) if other is not None else name


def change_label_known(name: str) -> bool:
    """Whether a change of this name reads as words whatever the object (the sentence test)."""
    return (
        name in _CHANGE_LABELS
        or name in _fields_by_name()
        or any(name in s.fields for s in _SENTENCES.values())
    )


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _date_text(value) -> str:
    from portal.templatetags.portal_tags import cndate

    return cndate(value)


def format_value(model_field, value: Any, name: str = "") -> str:
    """One recorded value as the page shows it: choices by label, 是/否, dates in Chinese."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return _(", ").join(format_value(model_field, v, name) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}：{format_value(None, v)}" for k, v in value.items()) or "—"
    if model_field is not None and getattr(model_field, "choices", None):
        choices = {str(k): v for k, v in model_field.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    elif name in _CHANGE_VALUES:
        values = _CHANGE_VALUES[name]
        if callable(values):
            return str(values(value))
        if str(value) in values:
            return str(values[str(value)])
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        if _ISO_DATETIME.match(value):
            moment = parse_datetime(value)
            if moment is not None:
                return _date_text(moment)
        if _ISO_DATE.match(value):
            try:
                return _date_text(dt.date.fromisoformat(value))
            except ValueError:
                pass
    return str(value)


@dataclass(frozen=True)
class Change:
    name: str
    label: str
    before: str
    after: str


def changes(entry, model=None) -> list[Change]:
    """The entry's before/after pairs, named and formatted for reading."""
    model = model if model is not None else model_of(entry.object_type)
    out = []
    for name, pair in (entry.changes or {}).items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        model_field = _model_field(model, name)
        out.append(
            Change(
                name,
                field_label(entry.action, model, name),
                format_value(model_field, before, name),
                format_value(model_field, after, name),
            )
        )
    return out


def sentence(entry, rows: list[Change] | None = None) -> str:
    """「广东演示官员（省级人社部门官员）作出了申请审批决定：技术评估中 → 公示中」."""
    rows = changes(entry) if rows is None else rows
    found = _SENTENCES.get(entry.action)
    phrase = str(found.label) if found is not None else entry.action
    text = _("%(actor)s %(action)s") % {"actor": actor_text(entry), "action": phrase}
    summary = found.summary if found is not None else DEFAULT_SUMMARY
    restated = [row for row in rows if row.name in summary]
    if restated:
        detail = "；".join(
            f"{row.before} → {row.after}"
            if len(restated) == 1
            else f"{row.label} {row.before} → {row.after}"
            for row in restated
        )
        text = _("%(sentence)s: %(detail)s") % {"sentence": text, "detail": detail}
    return text


def present(entries: Iterable) -> list:
    """The entries, each with ``sentence``, ``actor_text``, ``change_rows`` (the changes the
    sentence does not restate) and ``object_type_label`` set for the page and the exports."""
    out = []
    for entry in entries:
        model = model_of(entry.object_type)
        rows = changes(entry, model)
        found = _SENTENCES.get(entry.action)
        summary = found.summary if found is not None else DEFAULT_SUMMARY
        entry.actor_text = actor_text(entry)
        entry.sentence = sentence(entry, rows)
        entry.all_changes = rows
        entry.change_rows = [row for row in rows if row.name not in summary]
        entry.object_type_label = (
            str(model._meta.verbose_name) if model is not None else entry.object_type
        )
        out.append(entry)
    return out
