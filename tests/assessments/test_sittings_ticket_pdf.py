"""The admission tickets' batch PDF and what a ticket embeds (issue 14, "Speed"): one page per
ticket in seat order, the photo scaled to its frame, the QR still read by a scanner."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from assessments.models import Seat, Ticket
from assessments.services import sittings as svc
from assessments.services import ticket_pdf
from tests.assessments.builders import sitting_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_batch_has_one_page_per_ticket_in_seat_order(
    world, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = sitting_session(world, candidates=7, theory_places=3, rounds=3)
        sitting = session.sittings.get()
        svc.allocate_seats(world.members["admin"], sitting, rule="random")
        svc.issue_tickets(world.members["admin"], session)
    session.ticket_batch.refresh_from_db()
    document = session.ticket_batch.document
    assert document.is_ready
    data = document.file.read()
    reader = PdfReader(io.BytesIO(data))
    seats = Seat.objects.filter(sitting=sitting).order_by("round", "number")
    codes = {t.enrolment_id: t.code for t in Ticket.objects.filter(enrolment__session=session)}
    expected = [svc.format_code(codes[seat.enrolment_id]) for seat in seats]
    assert len(reader.pages) == len(expected) == 7
    for page, code in zip(reader.pages, expected, strict=True):
        text = page.extract_text()
        assert code in text
        assert "考场规则" in text  # the whole ticket on its page, nothing spilt over
    # Every page's QR is the check-in URL of that page's ticket.
    pdf = tmp_path / "batch.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "3", "-l", "3", pdf, tmp_path / "p"],
                   check=True)  # fmt: skip
    page_png = next(tmp_path.glob("p*.png"))
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", page_png], capture_output=True, text=True, check=True
    ).stdout.strip()
    third = seats[2].enrolment_id
    assert decoded == svc.checkin_url(codes[third])


class _Photo:
    def __init__(self, data: bytes, content_type: str):
        self.file = ContentFile(data, name="p")
        self.content_type = content_type


def _picture(size, kind="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 80)).save(out, kind)
    return out.getvalue()


def _embedded(uri: str) -> Image.Image:
    import base64

    head, data = uri.split(",", 1)
    return Image.open(io.BytesIO(base64.b64decode(data)))


def test_a_large_photo_is_scaled_down_to_cover_its_frame():
    uri = ticket_pdf.photo_data_uri(_Photo(_picture((1500, 2400)), "image/jpeg"))
    image = _embedded(uri)
    assert uri.startswith("data:image/jpeg;base64,")
    frame_w, frame_h = ticket_pdf.PHOTO_PIXELS
    # It still covers the 30×40 mm frame at 300 dpi (object-fit: cover crops the rest).
    assert image.width >= frame_w and image.height >= frame_h
    assert image.width == frame_w or image.height == frame_h
    assert abs(image.width / image.height - 1500 / 2400) < 0.01


def test_a_photo_no_larger_than_its_frame_is_embedded_as_it_is():
    data = _picture((300, 420), "PNG")
    uri = ticket_pdf.photo_data_uri(_Photo(data, "image/png"))
    assert uri.startswith("data:image/png;base64,")
    assert _embedded(uri).size == (300, 420)
    assert ticket_pdf.photo_data_uri(None) == ""
