"""The base of every form of the portal: ``Form`` and ``ModelForm`` (or ``TextGuardMixin``
before another base, as ``SignInForm`` does with Django's ``AuthenticationForm``).

Each field of such a form refuses, before it parses anything, a value holding control or
text-direction characters (``portal.validators``), with a message at the field: a NUL never
reaches a database lookup (a ``ModelChoiceField`` looks its value up while it parses) and a
right-to-left override never reaches a page. Text areas keep their tabs and line breaks;
password fields are left alone (a password is hashed, never shown). An integer field without
a maximum gets the database's, so a 30-digit number is a message rather than a server error,
and an e-mail field the column's 254 characters (Django's form field allows 320).
The guard is put on in ``full_clean``, so fields a form adds in its ``__init__`` get it too.

``PhoneField`` is the phone number people type (a mainland mobile or landline).
"""

from __future__ import annotations

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator

from portal import validators

#: PostgreSQL's ``integer``; wider columns (``bigint``) declare their own maximum.
INT_MAX = 2**31 - 1
#: ``models.EmailField``'s length (RFC 5321's path limit).
EMAIL_MAX = 254

__all__ = [
    "INT_MAX",
    "FilterForm",
    "Form",
    "ModelForm",
    "PhoneField",
    "TextGuardMixin",
    "guard_field",
]


def _is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea) or isinstance(field, forms.JSONField)


class _Guarded:
    """Put before a field's own class by ``guard_field``: the check runs before it parses.
    A class rather than a wrapped method, so a copy of the field (forms deep-copy their
    fields) is guarded as the field is."""

    def clean(self, value, *args, **kwargs):
        multiline = _is_multiline(self)
        raw = value.strip() if isinstance(value, str) and not multiline else value
        if validators.has_control_characters(raw, multiline=multiline):
            raise ValidationError(validators.CONTROL_MESSAGE, code="control_characters")
        return super().clean(value, *args, **kwargs)


@functools.cache
def _guarded_class(cls: type) -> type:
    return type(cls.__name__, (_Guarded, cls), {"__module__": cls.__module__})


def guard_field(field: forms.Field) -> forms.Field:
    """Make ``field`` (a form's own copy) refuse control characters before it parses; safe
    to call twice."""
    if getattr(field, "_text_guarded", False):
        return field
    field._text_guarded = True
    if isinstance(field.widget, forms.PasswordInput) or isinstance(field, forms.FileField):
        return field
    field.__class__ = _guarded_class(type(field))
    if isinstance(field, forms.EmailField) and (field.max_length or EMAIL_MAX) > EMAIL_MAX:
        field.max_length = EMAIL_MAX  # Django's form allows 320, its model column 254
        field.validators.append(MaxLengthValidator(EMAIL_MAX))
    if isinstance(field, forms.IntegerField) and not isinstance(
        field, forms.FloatField | forms.DecimalField
    ):
        if field.max_value is None:
            field.max_value = INT_MAX
            field.validators.append(MaxValueValidator(INT_MAX))
        if field.min_value is None:
            field.min_value = -INT_MAX - 1
            field.validators.append(MinValueValidator(-INT_MAX - 1))
    return field


class TextGuardMixin:
    """Guards every field of the form (see the module docstring)."""

    def full_clean(self) -> None:
        for field in self.fields.values():
            guard_field(field)
        super().full_clean()


class Form(TextGuardMixin, forms.Form):
    pass


class ModelForm(TextGuardMixin, forms.ModelForm):
    pass


class FilterForm(Form):
    """The filters of a public list, read from the query string. A value that does not
    validate (a stale link, an edited URL, a province code that does not exist) is dropped
    and the list is filtered by the others; ``ignored`` names the dropped filters for one
    note above the list (``portal/includes/filter_note.html``), never raw field errors."""

    def full_clean(self) -> None:
        self.ignored_fields: list[str] = []
        super().full_clean()
        bad = [name for name in self._errors if name in self.fields]
        if not self.is_bound or not bad:
            return
        self.ignored_fields = bad
        data = self.data.copy()
        for name in bad:
            data.pop(self.add_prefix(name), None)
        self.data = data
        super().full_clean()  # the remaining values alone, each valid on its own

    @property
    def ignored(self) -> list[str]:
        """Labels of the filters whose values were dropped (empty for a valid query)."""
        self.errors  # noqa: B018 -- validates once, on first use
        return [str(self.fields[name].label) for name in self.ignored_fields]


class PhoneField(forms.CharField):
    """A phone number: a mainland mobile (kept as 11 digits) or a landline (``020-12345678``);
    full-width digits are folded. Empty is allowed when the field is not required."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return validators.normalize_phone(value) if value else value
