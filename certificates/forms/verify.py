"""The upload form of ``/certificates/verify/`` (Art 22; decision 0048): one file, a VC JSON
or a certificate PDF, and the human check. The file's kind is read from its bytes (``%PDF-``,
or JSON that parses into an object), and its name and declared type must not say otherwise;
anything else is a Chinese message at the field. The bytes live only in memory."""

from __future__ import annotations

import json
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certificates import verification
from portal.captcha import CaptchaFormMixin
from portal.forms import Form

EXTENSIONS = {".pdf": "pdf", ".json": "json", ".jsonld": "json"}
CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/json": "json",
    "application/ld+json": "json",
    "application/vc+ld+json": "json",
    "application/vc+json": "json",
    "text/json": "json",
    "text/plain": "json",
}
#: Declared types that say nothing (phones and some browsers send them for any file).
NEUTRAL_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
#: Deeper than this is no credential (ours nest 7 levels); also keeps recursion bounded.
MAX_DEPTH = 32
#: Longer integers than this are no credential's (ours hold none).
MAX_DIGITS = 20

WRONG_KIND = _(
    "Choose the certificate's PDF or its electronic credential (a .json file) as downloaded "
    "from this service."
)


def max_bytes() -> int:
    return int(getattr(settings, "CERTIFICATE_VERIFY_MAX_BYTES", 2 * 1024 * 1024))


def too_large_message() -> str:
    return str(_("The file is larger than %(size)s MB: a certificate PDF is far smaller.")) % {
        "size": f"{max_bytes() / 1024 / 1024:g}"
    }


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError("number too long")
    return int(text)


def _depth_ok(value) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def _nesting(data: bytes) -> int:
    """The deepest bracket nesting of the raw bytes (an upper bound of the JSON's depth),
    counted before parsing so that a deeply nested file never reaches the parser's stack."""
    depth = deepest = 0
    for byte in data.translate(None, delete=bytes(set(range(256)) - set(b"[]{}"))):
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse_credential_json(data: bytes):
    """The JSON object of an uploaded credential, or raises ``ValidationError``."""
    if _nesting(data) > MAX_DEPTH:
        raise ValidationError(
            _("This file is not an electronic certificate: its JSON is nested too deeply."),
            code="json",
        )
    try:
        text = data.decode("utf-8-sig")
        value = json.loads(text, parse_int=_int, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValidationError(
            _("This file is not valid JSON, so it cannot be an electronic certificate."),
            code="json",
        ) from exc
    if not isinstance(value, dict) or not _depth_ok(value):
        raise ValidationError(WRONG_KIND, code="kind")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class VerifyForm(CaptchaFormMixin, Form):
    captcha_purpose = "certificate_verify"

    file = forms.FileField(
        label=_("Certificate file (PDF or JSON)"),
        max_length=200,
        help_text=_(
            "The electronic certificate's PDF or its credential (.json) as downloaded from "
            "this service. The file is checked and not kept."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.json,.jsonld,application/pdf,application/json,"
                "application/ld+json,application/vc+ld+json"
            }
        ),
        error_messages={
            "required": _("Choose the certificate file to check."),
            "empty": _("The file is empty."),
            "invalid": WRONG_KIND,
            "max_length": _("The file's name is too long (at most 200 characters)."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise ValidationError(too_large_message(), code="size")
        if "\x00" in upload.name or any(ord(c) < 32 for c in upload.name):
            raise ValidationError(WRONG_KIND, code="name")
        data = upload.read(max_bytes() + 1)
        if not data:
            raise ValidationError(self.fields["file"].error_messages["empty"], code="empty")
        if len(data) > max_bytes():
            raise ValidationError(too_large_message(), code="size")
        kind = verification.kind_of(data)
        suffix = PurePath(upload.name).suffix.lower()
        declared = (upload.content_type or "").split(";")[0].strip().lower()
        by_name = EXTENSIONS.get(suffix)
        by_type = CONTENT_TYPES.get(declared, "" if declared in NEUTRAL_TYPES else "other")
        if not kind or (suffix and by_name != kind) or (by_type and by_type != kind):
            raise ValidationError(WRONG_KIND, code="kind")
        if kind == "pdf" and b"%%EOF" not in data[-2048:]:
            raise ValidationError(
                _("This PDF is incomplete or damaged: download it again and retry."), code="pdf"
            )
        if kind == "json":
            parse_credential_json(data)
        self.cleaned_data["data"] = data
        self.cleaned_data["kind"] = kind
        return upload
