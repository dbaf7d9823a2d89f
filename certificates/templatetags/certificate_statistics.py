"""Template filters of the certificate statistics (decision 0053)."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

OCCUPATION_CODE = re.compile(r"（(\d-\d{2}-\d{2}-\d{2}(?:-\d{2})?)）")


@register.filter
def nowrap_codes(value) -> str:
    """An occupation code inside a label is kept on one line (a phone breaks it at the
    hyphens otherwise); the text is unchanged."""
    escaped = str(conditional_escape(value))
    return mark_safe(OCCUPATION_CODE.sub(r'<span class="code">（\1）</span>', escaped))  # noqa: S308
