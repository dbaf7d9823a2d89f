"""Download of a stored document, for whoever ``portal.document.download`` allows."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render

from portal.documents import queries


def document_download(request, pk: int):
    doc = queries.document_for_download(request.user, pk)
    if doc is not None and not doc.is_ready:  # generated after the commit, not there yet
        response = render(request, "portal/document_pending.html", {"doc": doc}, status=404)
        response.headers["Cache-Control"] = "no-store"
        return response
    if doc is None or not doc.file:
        raise Http404
    response = FileResponse(
        doc.file.open("rb"),
        as_attachment=doc.content_type != "application/pdf",
        filename=doc.original_name,
        content_type=doc.content_type,
    )
    response.headers["Cache-Control"] = (
        "private, no-store" if not doc.is_public else "public, max-age=3600"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
