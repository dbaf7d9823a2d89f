"""Validators every model and form of the portal shares: text without invisible controls,
phone numbers, and checking a row's fields before it is saved.

Text typed by people is shown to other people (an official reads an organisation's name, the
public reads the directory), so it may not carry characters that are not text: C0/C1 controls
(NUL, escape, backspace), format characters (category Cf: the bidirectional embeddings and
overrides U+202A-U+202E and isolates U+2066-U+2069 that make "‮gpj.exe" read as "exe.jpg",
zero-width characters, soft hyphens), lone surrogates (Cs, which no encoding stores) and the
Unicode line and paragraph separators. A multi-line text keeps its line breaks and tabs.
PostgreSQL refuses NUL in text outright, so without this check a NUL is a server error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from portal import codes

CONTROL_MESSAGE = _("Must not contain control characters or text direction controls.")

#: What a multi-line text (a Textarea) may contain of the otherwise refused characters.
MULTILINE_ALLOWED = frozenset("\t\n\r")

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def control_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The refused characters in ``value``, in order, each once."""
    if value.isprintable():  # none of Cc, Cf, Cs, Zl, Zp (one C loop, not one call a char)
        return []
    found: dict[str, None] = {}
    for char in value:
        if multiline and char in MULTILINE_ALLOWED:
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            found[char] = None
    return list(found)


def has_control_characters(value: object, *, multiline: bool = False) -> bool:
    """True if ``value`` (a string, or a list of strings as a multiple choice sends) holds a
    refused character; anything else (numbers, files, None) is not text and passes."""
    if isinstance(value, str):
        return bool(control_characters(value, multiline=multiline))
    if isinstance(value, list | tuple):
        return any(has_control_characters(item, multiline=multiline) for item in value)
    return False


@deconstructible
class NoControlCharacters:
    """Django validator: refuses the characters of ``control_characters``; ``multiline``
    keeps tabs and line breaks (for text areas)."""

    code = "control_characters"

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if has_control_characters(value, multiline=self.multiline):
            raise ValidationError(CONTROL_MESSAGE, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


no_control_characters = NoControlCharacters()
no_control_characters_multiline = NoControlCharacters(multiline=True)


# --- Phone numbers ---------------------------------------------------------------------------

#: What the user table accepts: an optional "+", then digits with spaces or hyphens between
#: them, 5 to 20 characters (the column's length). Forms normalise further (``normalize_phone``).
_PHONE_RE = re.compile(r"\A\+?[0-9](?:[0-9 -]{3,18})[0-9]\Z")
_MOBILE_RE = re.compile(r"\A(?:\+?86)?(1[3-9][0-9]{9})\Z")
_LANDLINE_RE = re.compile(r"\A0[1-9][0-9]{1,2}-?[0-9]{7,8}\Z")
PHONE_MESSAGE = _("Enter a valid phone number.")


def validate_phone(value: object) -> None:
    """Model validator of a stored phone number (``User.phone``)."""
    if not isinstance(value, str) or not _PHONE_RE.match(value) or len(value) > 20:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


def normalize_phone(value: str) -> str:
    """A mainland mobile (11 digits, ``+86`` dropped) or landline (``020-12345678``) as people
    type them, full-width digits and separators included; anything else is refused."""
    value = codes.normalize_code(value or "").replace("－", "-")
    compact = re.sub(r"[\s()]", "", value)
    if m := _MOBILE_RE.match(compact.replace("-", "")):
        return m.group(1)
    if _LANDLINE_RE.match(compact):
        return compact
    raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


# --- Rows before they are saved --------------------------------------------------------------


def check_fields(
    instance: Model, fields: Iterable[str], *, rename: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """The errors of ``instance``'s ``fields`` against the model (length, choices, blank,
    validators), keyed by field name after ``rename`` (model field -> the caller's name).

    Services run it before saving what people typed, so a value the database would refuse
    (too long, badly formed) is a message at the field, never a server error.
    """
    names = set(fields)
    exclude = {f.name for f in instance._meta.concrete_fields if f.name not in names}
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        return {(rename or {}).get(k, k): list(v) for k, v in exc.message_dict.items()}
    return {}
