"""Path converters that refuse what no URL of the portal names, so such a path is a 404
before any view or database lookup sees it (a NUL in a path was a server error from
PostgreSQL). Registered in ``PortalConfig.ready()``, before any urlconf is loaded.

* ``occupation``: an occupation code ``D-DD-DD-DD`` (``portal.codes.OCCUPATION_CODE_RE``).
* ``text``: one path segment of printable text: no "/", no control or text-direction
  characters (``portal.validators``). Use it where a segment is free text; ``str`` would let
  a NUL or a right-to-left override through.
"""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

from portal import validators


class OccupationCodeConverter:
    regex = r"[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class TextConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        if validators.control_characters(value):
            raise ValueError("control characters in a path segment")  # Django answers 404
        return value

    def to_url(self, value: str) -> str:
        return str(value)


def register() -> None:
    known = get_converters()
    for name, converter in (("occupation", OccupationCodeConverter), ("text", TextConverter)):
        if name not in known:
            register_converter(converter, name)
