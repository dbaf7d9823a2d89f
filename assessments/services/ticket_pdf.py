"""What an admission ticket's PDF embeds: the QR code (inline SVG, library ``qrcode``) and the
candidate's photo (a data: URI, so WeasyPrint fetches nothing)."""

from __future__ import annotations

import base64

import qrcode
from django.utils.safestring import SafeString, mark_safe

#: The QR mask pattern (0-7), fixed rather than scored per code (see ``qr_svg``).
QR_MASK = 0


def qr_svg(url: str) -> SafeString:
    """The QR code of ``url`` as an <img> of a small PNG (medium error correction, quiet zone
    of 2 modules): a raster keeps a 500-page batch fast where 500 inline SVG paths do not.

    The mask is fixed (``QR_MASK``): every reader decodes any of the eight masks, and trying
    all eight to score them (the library's default) was three quarters of the code's cost,
    some 5 s of CPU in a 500-ticket batch."""
    import io

    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=4,
        border=2,
        mask_pattern=QR_MASK,
    )
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    data = base64.b64encode(out.getvalue()).decode()
    return mark_safe(f'<img class="qr-img" src="data:image/png;base64,{data}" alt="QR">')  # noqa: S308


def photo_data_uri(document) -> str:
    """The photo as a data: URI, or "" when there is none (the ticket shows a frame).

    A photo larger than its 30×40 mm frame at 300 dpi (``PHOTO_PIXELS``) is scaled down to
    cover the frame: a 2 MB camera picture printed 3 cm wide would otherwise be embedded
    whole in each of the 500 pages of a batch (and decoded for each)."""
    if document is None or not document.file or not document.content_type.startswith("image/"):
        return ""
    with document.file.open("rb") as handle:
        data = handle.read()
    content_type = document.content_type
    small = _fit_photo(data)
    if small is not None:
        data, content_type = small, "image/jpeg"
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


#: The photo frame (30×40 mm) at 300 dpi: what a printed ticket can show of a photo.
PHOTO_PIXELS = (354, 472)


def _fit_photo(data: bytes) -> bytes | None:
    """``data`` scaled down to cover ``PHOTO_PIXELS`` as a JPEG, or None when it is not
    larger than that already (or not a picture Pillow reads: it is then embedded as it is)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        scale = max(PHOTO_PIXELS[0] / width, PHOTO_PIXELS[1] / height)
        if scale >= 1:
            return None
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image.draft("RGB", size)  # a JPEG is decoded at 1/2, 1/4 or 1/8 scale: fast
        image = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ZeroDivisionError):
        return None
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
