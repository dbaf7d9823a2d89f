"""The page chrome (``portal/base.html``'s header, menus and footer) rendered once for
anonymous visitors and reused (decision 0054).

A public page that must answer fast (the certificate lookup, Art 22) renders only its
content and puts it between the chrome's two halves. The chrome is the base template itself,
rendered for the current request with a sentinel as the content, so it reads exactly as on
every other page; the CSRF token of the language form is replaced by a placeholder and filled
in per response (``get_token``: a fresh mask per response, as ``{% csrf_token %}`` gives).

Kept only where nothing in it depends on the visitor: an anonymous user, no messages waiting,
no agency workspace, a path without a query string (the language form's ``next``). Anything
else (a signed-in user, whose name the header shows) gets ``None`` and the page renders the
usual way. The key holds the path, the language, the page's title/head/breadcrumbs and the
navigation registry's revision (``portal.ui.navigation.revision``), so a changed language or
menu never reuses an old chrome; at most ``ENTRIES`` chromes are kept per process.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from django.contrib import messages
from django.core.signals import setting_changed
from django.middleware.csrf import get_token
from django.template import engines
from django.utils.translation import get_language

from portal.ui import navigation

ENTRIES = 64
CONTENT = "\x00chrome-content\x00"
TOKEN = "chrome-csrf-token-placeholder"  # noqa: S105 - a placeholder: never escaped, never a token
_TOKEN_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_SOURCE = (
    '{% extends "portal/base.html" %}'
    "{% block title %}{{ chrome_title }}{% endblock %}"
    "{% block head %}{{ chrome_head }}{% endblock %}"
    "{% block content %}" + CONTENT + "{% endblock %}"
)

_cache: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
_lock = threading.Lock()


def usable(request) -> bool:
    """Whether this request may be given the shared chrome (nothing in it is the visitor's)."""
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    if request.META.get("QUERY_STRING") or getattr(request, "agency", None) is not None:
        return False
    return not len(messages.get_messages(request))  # counting reads, it does not consume


def halves(
    request, *, title: str, head: str = "", breadcrumbs=(), token: str = ""
) -> tuple[str, str] | None:
    """(before, after) the content for this anonymous request, its CSRF token (``token``,
    or a fresh ``get_token``) filled in; None when the request may not share the chrome
    (render the page the usual way)."""
    if not usable(request):
        return None
    menus = (navigation.revision, len(navigation._REGISTRY))
    key = (request.path, get_language(), title, head, tuple(breadcrumbs), menus)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    if found is None:
        found = _render(request, title, head, list(breadcrumbs))
        with _lock:
            _cache[key] = found
            while len(_cache) > ENTRIES:
                _cache.popitem(last=False)
    token = token or get_token(request)
    before, after = found
    return before.replace(TOKEN, token), after.replace(TOKEN, token)


def _render(request, title: str, head: str, breadcrumbs: list) -> tuple[str, str]:
    template = engines["django"].from_string(_SOURCE)
    context = {"chrome_title": title, "chrome_head": head, "breadcrumbs": breadcrumbs}
    html = template.render(context, request)
    html = _TOKEN_INPUT.sub(lambda m: m.group(1) + TOKEN + m.group(2), html)
    before, sep, after = html.partition(CONTENT)
    if not sep:
        raise RuntimeError("portal/base.html has no content block")
    return before, after


def clear() -> None:
    with _lock:
        _cache.clear()


def _settings_changed(**kwargs) -> None:
    clear()  # the site's name, sponsor and numbers are in the chrome (tests change them)


setting_changed.connect(_settings_changed)
