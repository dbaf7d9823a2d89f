"""Read paths of stored documents, scoped to what the user may see."""

from __future__ import annotations

from portal import access
from portal.models import Document


def document_for_download(user, pk: int) -> Document | None:
    """The document if the user may download it, else None (the view answers 404)."""
    doc = Document.objects.select_related("owner_agency").filter(pk=pk).first()
    if doc is None or not access.can(user, "portal.document.download", doc):
        return None
    return doc
