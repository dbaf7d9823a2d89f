"""Helpers of the certificate PDF tests: a photo Document, a certificate issued with it, text and
images read back from the PDF with poppler (pdftotext, pdftoppm) and the QR decoded with zbarimg."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler-utils"
)
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools")


def photo_png() -> bytes:
    """A 1-inch colour photo stand-in: a person's silhouette on white, 295 × 413 px (300 dpi)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (295, 413), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((92, 70, 203, 200), fill=(224, 180, 150))
    draw.rectangle((50, 230, 245, 413), fill=(40, 70, 140))
    draw.ellipse((50, 190, 245, 300), fill=(40, 70, 140))
    draw.ellipse((92, 60, 203, 120), fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def give_photo(certificate, actor):
    from portal import documents

    doc = documents.store_document(
        actor,
        SimpleUploadedFile("photo.png", photo_png(), content_type="image/png"),
        title="photo",
        kind="candidate_photo",
        owner_agency=certificate.agency,
        allowed=("png",),
    )
    type(certificate).objects.filter(pk=certificate.pk).update(photo=doc)
    certificate.refresh_from_db()
    return certificate


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """Page sizes in millimetres."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [
        (float(p.mediabox.width) * 25.4 / 72, float(p.mediabox.height) * 25.4 / 72)
        for p in reader.pages
    ]


def page_png(data: bytes, out: Path, *, dpi: int = 150) -> Path:
    """The first page as a PNG at ``out`` (pdftoppm)."""
    src = out.with_suffix(".pdf")
    src.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(src), str(out.with_suffix(""))],
        check=True,
    )
    return out.with_suffix(".png")


def decode_qr(png: Path) -> list[str]:
    done = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
    )
    return [line for line in done.stdout.splitlines() if line]


def run_verify_command(path) -> tuple[int, str]:
    """``manage.py verify_certificate PATH``: its exit status and what it printed."""
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("verify_certificate", str(path), stdout=out)
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()
