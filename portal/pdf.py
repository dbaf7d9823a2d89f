"""Every PDF of the portal is rendered here (ARCHITECTURE.md "Shared services").

Templates are ordinary Django templates (autoescaped, so user text stays text).
WeasyPrint reaches only the project's static files and media through
``PortalURLFetcher``; any other URL (the network, ``file://``) is refused, so a
crafted value can neither read the server's files nor make it call out.
"""

from __future__ import annotations

import mimetypes
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


def _weasy_fetcher():
    """Adapt ``url_fetcher`` to the URLFetcher class API of WeasyPrint ≥ 68."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PortalURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            result = url_fetcher(url)
            return URLFetcherResponse(
                url, result["string"], {"Content-Type": result["mime_type"] or ""}
            )

    return PortalURLFetcher()


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string (already escaped) to PDF bytes."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_weasy_fetcher()).write_pdf()


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """Render a Django template to PDF bytes with the CJK font stylesheet.

    Templates extend ``portal/pdf_base.html``, which loads ``portal/pdf.css``
    (Noto Serif CJK SC from Debian's fonts-noto-cjk, installed by the set-up).
    """
    return html_to_pdf(render_to_string(template_name, context or {}))
