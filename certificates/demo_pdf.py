"""Demo data of the certificate PDF (decision 0043): a red circular seal image, labelled 演示
(demo data: never a real agency's seal), uploaded for the demo agency through the service."""

from __future__ import annotations

import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def _font(size: int):
    from PIL import ImageFont

    for path in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def seal_png(name: str, *, size: int = 480) -> bytes:
    """A red round seal: the name along the upper rim, a star, 「演示」 across the middle and
    「评价专用章」 below, on a transparent background (RGBA PNG)."""
    from PIL import Image, ImageDraw

    red = (200, 20, 30, 235)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    ring = size * 0.035
    draw.ellipse((ring, ring, size - ring, size - ring), outline=red, width=int(ring))
    # Name along the upper arc, from about 200° to 340° (clockwise from the left).
    text = name[:16] or "演示评价机构"
    font = _font(int(size * 0.085))
    radius = size * 0.36
    span = min(250.0, 17.0 * len(text))
    for i, ch in enumerate(text):
        angle = -90 - span / 2 + span * (i + 0.5) / len(text)
        rad = math.radians(angle)
        glyph = Image.new("RGBA", (int(size * 0.12),) * 2, (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (glyph.width / 2, glyph.height / 2), ch, font=font, fill=red, anchor="mm"
        )
        glyph = glyph.rotate(-(angle + 90), resample=Image.BICUBIC)
        x = c + radius * math.cos(rad) - glyph.width / 2
        y = c + radius * math.sin(rad) - glyph.height / 2
        image.alpha_composite(glyph, (int(x), int(y)))
    # The star.
    r_out, r_in = size * 0.13, size * 0.05
    points = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = math.radians(-90 + 36 * k)
        points.append((c + r * math.cos(a), c - size * 0.02 + r * math.sin(a)))
    draw.polygon(points, fill=red)
    draw.text((c, c + size * 0.19), "演示", font=_font(int(size * 0.1)), fill=red, anchor="mm")
    draw.text(
        (c, c + size * 0.31), "评价专用章", font=_font(int(size * 0.065)), fill=red, anchor="mm"
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def seal_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("seal.png", seal_png(name), content_type="image/png")


def add_demo_seal(agency, admin):
    """Upload the demo seal for ``agency`` as its admin (through the service)."""
    from certificates.services import seals

    return seals.upload_seal(admin, agency, seal_upload(agency.name))


def seed(stdout=None) -> int:
    """Give every demo agency without a seal the demo seal (run after the agencies' demo);
    returns how many seals were uploaded. Each upload goes through ``upload_seal`` as the
    agency's admin."""
    from certificates.models import AgencySeal
    from portal.models import Agency, AgencyMembership
    from portal.roles import AgencyRole

    count = 0
    for agency in Agency.objects.exclude(pk__in=AgencySeal.objects.values("agency_id")).order_by(
        "pk"
    ):
        membership = (
            AgencyMembership.objects.filter(agency=agency, role=AgencyRole.ADMIN)
            .select_related("user")
            .first()
        )
        if membership is None:
            continue
        add_demo_seal(agency, membership.user)
        count += 1
        if stdout:
            stdout.write(f"demo seal for {agency.name}\n")
    return count
