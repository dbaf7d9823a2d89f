"""Every PDF of the portal is rendered here (ARCHITECTURE.md "Shared services").

Templates are ordinary Django templates (autoescaped, so user text stays text).
WeasyPrint reaches only the project's static files and media through
``PortalURLFetcher``; any other URL (the network, ``file://``) is refused, so a
crafted value can neither read the server's files nor make it call out.

Memory (issue 15): a long-lived worker renders thousands of PDFs, so nothing heavy is made
per call. WeasyPrint left to itself builds a new ``FontConfiguration`` for every document
(fontconfig's whole configuration, a Pango font map and FreeType faces of the 26 MB CJK
fonts); those sit in reference cycles with the layout, and Python's collector frees them
only at a rare full collection, so RSS climbed by ~1 MB a render (592 MB after 300). Here
one ``FontConfiguration`` per thread (Pango is not thread-safe) and one fetcher serve every
render, the young cycles a render leaves are collected after it, and the allocator gives
the freed memory back to the system. A document with its own ``@font-face`` gets a fresh
configuration (adding faces to the shared one would grow it with every render).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import mimetypes
import threading
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils._os import safe_join

BASE_URL = "https://portal.invalid/"
_HOST = urlsplit(BASE_URL).hostname


class PdfResourceRefused(ValueError):
    """A template asked for a resource outside static files and media."""


def _local_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname != _HOST:
        raise PdfResourceRefused(f"PDF resources must be project files, not {parts.scheme}: URLs")
    path = unquote(parts.path)
    static_url = urlsplit(settings.STATIC_URL).path
    media_url = urlsplit(settings.MEDIA_URL).path
    if path.startswith(static_url):
        found = finders.find(path[len(static_url) :])
        if not found:
            candidate = Path(safe_join(str(settings.STATIC_ROOT), path[len(static_url) :]))
            if candidate.is_file():
                return candidate
            raise PdfResourceRefused(f"no static file {path}")
        return Path(found if isinstance(found, str) else found[0])
    if path.startswith(media_url):
        return Path(safe_join(str(settings.MEDIA_ROOT), path[len(media_url) :]))
    raise PdfResourceRefused(f"{path} is neither a static nor a media file")


def url_fetcher(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    """WeasyPrint fetcher: data: URIs and the project's own files, nothing else."""
    if url.startswith("data:"):
        from weasyprint.urls import URLFetcher

        response = URLFetcher(allowed_protocols={"data"}).fetch(url)
        return {"string": response.read(), "mime_type": response.headers.get_content_type()}
    path = _local_path(url)
    mime_type, _ = mimetypes.guess_type(path.name)
    return {"string": path.read_bytes(), "mime_type": mime_type, "redirected_url": url}


@cache
def _weasy_fetcher():
    """Adapt ``url_fetcher`` to the URLFetcher class API of WeasyPrint ≥ 68.

    One instance per process: the class used to be defined anew on every call (a class is a
    reference cycle, left for the collector each render)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PortalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            result = url_fetcher(url)
            return URLFetcherResponse(
                url, result["string"], {"Content-Type": result["mime_type"] or ""}
            )

    return PortalURLFetcher()


_local = threading.local()


def font_config():
    """This thread's WeasyPrint ``FontConfiguration``, made once and reused by every render."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


@cache
def _malloc_trim():
    """glibc's ``malloc_trim`` (None elsewhere): the font subsetting copies each CJK font
    whole (26 MB) and frees it, and glibc keeps such freed heap memory unless asked."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


#: Every this many renders a full collection (a few hundred ms in a loaded Django process,
#: so not after each one) frees the cycles that outlived the young generations.
FULL_COLLECTION_EVERY = 25

_renders = 0


def release_memory() -> None:
    """Free what a render left behind: its young reference cycles (layout boxes, Pango
    layouts; a quick collection of the young generations), now and then a full collection,
    and the allocator's free pages."""
    global _renders
    _renders += 1
    gc.collect(1 if _renders % FULL_COLLECTION_EVERY else 2)
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string (already escaped) to PDF bytes."""
    from weasyprint import HTML

    own_fonts = _font_config_for(html)
    try:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=_weasy_fetcher()).write_pdf(
            font_config=own_fonts
        )
    finally:
        del own_fonts
        release_memory()


def _font_config_for(html: str):
    """The shared configuration, or a fresh one for a document declaring ``@font-face`` (none
    of the portal's templates or stylesheets does)."""
    if "@font-face" in html:
        from weasyprint.text.fonts import FontConfiguration

        return FontConfiguration()
    return font_config()


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """Render a Django template to PDF bytes with the CJK font stylesheet.

    Templates extend ``portal/pdf_base.html``, which loads ``portal/pdf.css``
    (Noto Serif CJK SC from Debian's fonts-noto-cjk, installed by the set-up).
    """
    return html_to_pdf(render_to_string(template_name, context or {}))
