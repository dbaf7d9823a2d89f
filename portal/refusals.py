"""The one shape of a refusal: the text a template shows beside a disabled button, which the
service raises as its ``ValidationError`` (decisions 0017 "<action>_refusal" and 0026).

It lives in ``portal`` so every app (and portal's own concerns, such as the public notices)
shares it; ``agencies.services._refusal`` re-exports it."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Refusal(str):
    """Why an action is refused, in the user's language; a ``str``, so templates show it as it
    is, carrying the error code the service raises it with."""

    code: str

    def __new__(cls, message: str, code: str = "wrong_state") -> Refusal:
        refusal = super().__new__(cls, message)
        refusal.code = code
        return refusal


def refuse(refusal: str | None) -> None:
    """Raise ``refusal`` as a ``ValidationError`` with its code; do nothing if there is none."""
    if refusal:
        raise ValidationError(str(refusal), code=getattr(refusal, "code", "wrong_state"))
