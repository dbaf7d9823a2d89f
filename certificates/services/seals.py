"""The agency's seal image (Art 20; decision 0043): uploaded once by the agency admin, printed
at the agency's signature place on its certificates."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from certificates.models import AgencySeal
from portal import access, audit, clock, documents
from portal.models import Agency, Audience, RetentionClass

SEAL_MIN_PIXELS = 200
SEAL_MAX_PIXELS = 2000


def check_seal_image(upload) -> tuple[int, int]:
    """Refuse what cannot be printed as a seal: not a PNG (decided from the content), larger
    than ``CERTIFICATE_SEAL_MAX_BYTES``, smaller than 200 or larger than 2000 pixels a side,
    far from round (a side more than 1.25 times the other), or without transparency (a seal
    printed with a white square would hide the text under it). Returns (width, height)."""
    from PIL import Image, UnidentifiedImageError

    documents.validate_upload(
        upload, allowed=("png",), max_bytes=settings.CERTIFICATE_SEAL_MAX_BYTES
    )
    upload.seek(0)
    try:
        image = Image.open(io.BytesIO(upload.read()))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("The image is damaged."), code="bad_image") from None
    finally:
        upload.seek(0)
    width, height = image.size
    if min(width, height) < SEAL_MIN_PIXELS or max(width, height) > SEAL_MAX_PIXELS:
        raise ValidationError(
            _(
                "The seal image is %(width)d × %(height)d pixels; each side must be between "
                "%(min)d and %(max)d pixels."
            )
            % {"width": width, "height": height, "min": SEAL_MIN_PIXELS, "max": SEAL_MAX_PIXELS},
            code="seal_size",
        )
    if max(width, height) > 1.25 * min(width, height):
        raise ValidationError(
            _("A seal is round: the image must be about as wide as it is high."),
            code="seal_shape",
        )
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        alpha = image.convert("RGBA").getchannel("A")
        has_alpha = alpha.getextrema()[0] < 128
    if not has_alpha:
        raise ValidationError(
            _(
                "The seal image has no transparent background; save it as a PNG with "
                "transparency so that the text under the seal stays readable."
            ),
            code="seal_opaque",
        )
    return width, height


@transaction.atomic
def upload_seal(actor, agency: Agency, upload) -> AgencySeal:
    """Store the agency's seal image (Art 20: the certificate carries the agency's seal).

    Lock → access check (agency admin) → validate → store as a Document (kept as reference:
    the seal of certificates already printed) → save → audit. Uploading again replaces the seal
    on certificates rendered from then on (the cached PDFs' hash changes)."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    access.require(actor, "certificates.seal.manage", agency)
    try:
        width, height = check_seal_image(upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    upload.name = "seal.png"
    doc = documents.store_document(
        actor,
        upload,
        title=_("Seal of %(agency)s") % {"agency": agency.name},
        kind="certificate_seal",
        owner_agency=agency,
        subject=agency,
        retention_class=RetentionClass.REFERENCE,
        allowed=("png",),
        audience=Audience.AGENCY,
    )
    seal = AgencySeal.objects.select_for_update().filter(agency=agency).first()
    before = seal.document_id if seal else None
    now = clock.now()
    if seal is None:
        seal = AgencySeal.objects.create(
            agency=agency,
            document=doc,
            width=width,
            height=height,
            uploaded_by=actor,
            uploaded_at=now,
        )
    else:
        seal.document, seal.width, seal.height = doc, width, height
        seal.uploaded_by, seal.uploaded_at = actor, now
        seal.save(update_fields=["document", "width", "height", "uploaded_by", "uploaded_at"])
    audit.record(
        actor,
        "certificates.seal.upload",
        seal,
        {"seal_document": [before, doc.pk], "seal_size": [None, f"{width}×{height}"]},
        agency=agency,
        audience=Audience.AGENCY,
    )
    return seal
