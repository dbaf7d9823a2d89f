"""Keeps resident ID numbers, passwords and tokens out of log records."""

from __future__ import annotations

import logging
import re

# 17 digits + check char, not inside a longer run of digits.
_ID_RE = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
_SECRET_RE = re.compile(
    r"(?i)((?:password|passwd|pwd|token|secret|otp|csrfmiddlewaretoken|sessionid)"
    r"[\"']?\s*[:=]\s*[\"']?)([^\s&\"',;]+)"
)


def redact(text: str) -> str:
    text = _ID_RE.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(2)[-4:], text)
    return _SECRET_RE.sub(lambda m: m.group(1) + "[redacted]", text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it is
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
