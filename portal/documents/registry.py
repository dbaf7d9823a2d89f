"""Access rules and audit sentences of stored documents, registered from PortalConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.access import agency_role, any_of, assigned, in_jurisdiction, register_action
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)
HRSS_OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL)


def _public_document(user, doc=None) -> bool:
    return doc is not None and doc.is_public and not doc.is_deleted


_public_document.allows_anonymous = True  # type: ignore[attr-defined]


def _live(rule):
    def wrapped(user, doc=None) -> bool:
        return doc is not None and not doc.is_deleted and rule(user, doc)

    return wrapped


def register() -> None:
    download = any_of(
        _public_document,
        _live(in_jurisdiction(*OFFICIALS)),
        _live(agency_role(*A.values)),
        _live(assigned("view_document")),
    )
    download.allows_anonymous = True  # type: ignore[attr-defined]
    register_action("portal.document.download", download, "Download a stored document")
    register_action(
        "portal.document.share",
        in_jurisdiction(*HRSS_OFFICIALS, R.OSTA_STAFF),
        "Share a document with an assigned expert or inspector",
    )
    register_action(
        "portal.document.delete",
        any_of(in_jurisdiction(*HRSS_OFFICIALS), agency_role(A.ADMIN)),
        "Delete a document after its retention period",
    )

    for action, label in {
        "portal.document.store": _("stored a document"),
        "portal.document.prepare": _("started generating a document"),
        "portal.document.render": _("generated a document"),
        "portal.document.render_failed": _("could not generate a document"),
        "portal.document.register_paper": _("registered a paper record"),
        "portal.document.delete": _("deleted a document after its retention period"),
        "portal.document.share": _("shared a document"),
        "portal.document.unshare": _("withdrew a shared document"),
    }.items():
        audit.register_label(action, label, summary=("status", "shared_with"))
    audit.display.register_change_labels({"shared_with": _("shared with")})
