"""The certificate PDF (Art 20; decision 0043): the reference layout's title and facts on one A4
page, the QR decoding to the certificate's page, the seal's refusals, the cache (hit, re-render
on change, eviction) and the session's batch PDF for the printer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import pdf, services
from certificates.demo_pdf import seal_png, seal_upload
from certificates.models import AgencySeal, Certificate, CertificatePdf, PdfState
from certificates.services import pdfs, seals
from portal import pdf as portal_pdf
from portal.models import AuditEntry
from tests.certificates.builders import final_session
from tests.certificates.pdf_helpers import (
    decode_qr,
    give_photo,
    needs_poppler,
    needs_zbar,
    page_png,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def issued(world):
    session = final_session(world, 2)
    admin = world.members["admin"]
    services.issue_certificates(admin, [session])
    seals.upload_seal(admin, session.agency, seal_upload(session.agency.name))
    first = give_photo(Certificate.objects.filter(session=session).order_by("number")[0], admin)
    return session, first


@needs_poppler
@needs_zbar
def test_the_pdf_shows_the_reference_layout_on_one_a4_page_and_its_qr_leads_to_the_page(
    issued, tmp_path
):
    session, c = issued
    data = pdf.render_certificate(c)
    assert pdf_pages(data) == [pytest.approx((210, 297), abs=0.5)]
    text = pdf_text(data, tmp_path)
    squeezed = text.replace(" ", "")
    assert "职业技能等级证书" in squeezed
    for fact in (
        c.holder_name,
        c.id_number,  # in full: the holder's own certificate
        "居民身份证",
        c.occupation_name,
        c.level_display,
        c.number,
        c.agency_name,
        f"{c.issued_on.year}年{c.issued_on.month}月{c.issued_on.day}日",
        pdf.lookup_url(),
        pdf.directory_url(),
    ):
        assert fact.replace(" ", "") in squeezed, fact
    assert "工种/方向--" in squeezed  # no work type: 「--」, never blank
    SHOTS.mkdir(parents=True, exist_ok=True)
    png = page_png(data, SHOTS / "certificate-pdf-zh.png", dpi=150)
    # The QR is the page's address plus the offline signature of the printed facts (0046).
    from certificates.keys import public_key_map as public_keys
    from certificates.qr import signed_url, verify_qr

    assert decode_qr(png) == [signed_url(c)]
    assert decode_qr(png)[0].startswith(c.public_url)
    assert verify_qr(decode_qr(png)[0], public_keys()).valid
    assert c.public_url == settings.CERTIFICATE_BASE_URL + f"/c/{c.token}/"


@needs_poppler
def test_the_bilingual_variant_adds_english(issued, tmp_path):
    _, c = issued
    c.variant = "zh-en"
    data = pdf.render_certificate(c)
    text = pdf_text(data, tmp_path).replace(" ", "")
    assert "VOCATIONALSKILLLEVELCERTIFICATE" in text
    assert "IntermediateWorker" in text and "Dateofissue" in text
    assert len(pdf_pages(data)) == 1
    page_png(data, SHOTS / "certificate-pdf-zh-en.png", dpi=100)


def test_the_pdf_embeds_one_font_and_fetches_nothing_remote(issued):
    _, c = issued
    html = pdf.certificate_html(c)
    assert "http://" not in html.split("<body>")[0] and "@import" not in html
    assert f"{portal_pdf.BASE_URL.rstrip('/')}{settings.MEDIA_URL}" in html  # photo and seal: media
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.render_certificate(c)))
    fonts = set()
    for obj in reader.pages[0]["/Resources"]["/Font"].values():
        fonts.add(str(obj.get_object()["/BaseFont"]).split("+")[-1])
    assert len({f.split("-")[0] for f in fonts}) == 1, fonts


def _png(size=(400, 400), mode="RGBA", colour=(0, 0, 0, 0)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("seal.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, "bad_type"),
        ("seal.png", b"%PDF-1.4 not an image", "bad_type"),
        ("seal.png", _png(mode="RGB", colour=(255, 255, 255)), "seal_opaque"),
        ("seal.png", _png(size=(120, 120)), "seal_size"),
        ("seal.png", _png(size=(2400, 2400)), "seal_size"),
        ("seal.png", _png(size=(600, 300)), "seal_shape"),
    ],
)
def test_the_seal_refusals(world, name, content, code):
    with pytest.raises(ValidationError) as caught:
        seals.check_seal_image(SimpleUploadedFile(name, content))
    assert caught.value.error_list[0].code == code


def test_a_seal_too_large_in_bytes_is_refused(world, settings):
    settings.CERTIFICATE_SEAL_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        seals.check_seal_image(SimpleUploadedFile("seal.png", seal_png("演示")))
    assert caught.value.error_list[0].code == "too_large"


def test_only_the_agency_admin_uploads_the_seal_and_it_is_audited(world):
    agency = world.gd_agency
    with pytest.raises(PermissionDenied):
        seals.upload_seal(world.members["staff"], agency, seal_upload(agency.name))
    seal = seals.upload_seal(world.members["admin"], agency, seal_upload(agency.name))
    assert seal.document.content_type == "image/png" and seal.width == seal.height == 480
    again = seals.upload_seal(world.members["admin"], agency, seal_upload("另一个"))
    assert AgencySeal.objects.filter(agency=agency).count() == 1
    assert again.document_id != seal.document_id
    assert AuditEntry.objects.filter(action="certificates.seal.upload").count() == 2


def test_the_cache_hits_renders_again_on_change_and_evicts(
    issued, world, django_capture_on_commit_callbacks
):
    session, c = issued
    actor = world.members["admin"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = pdfs.request_certificate_pdf(actor, c)
    assert len(callbacks) == 1
    row.refresh_from_db()
    assert row.state == PdfState.READY and row.pages == 1 and row.file
    rendered = row.rendered_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        hit = pdfs.request_certificate_pdf(actor, c)
    assert callbacks == [] and hit.pk == row.pk and hit.rendered_at == rendered
    # A printed field changes: the hash changes and it is rendered again.
    Certificate.objects.filter(pk=c.pk).update(holder_name="王更正")
    c.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pdfs.request_certificate_pdf(actor, c)
    assert len(callbacks) == 2  # the render task, then the replaced file's removal
    row.refresh_from_db()
    assert row.state == PdfState.READY and row.rendered_at > rendered
    assert row.data_hash == pdfs.certificate_hash(c)
    # The batch PDF: every certificate of the session, one per page.
    with django_capture_on_commit_callbacks(execute=True):
        batch = pdfs.request_session_pdf(actor, session)
    batch.refresh_from_db()
    count = Certificate.objects.filter(session=session).count()
    assert batch.state == PdfState.READY and batch.pages == count == 2
    assert len(pdf_pages(batch.file.read())) == count
    # Eviction: least recently used first, files included.
    name = row.file.name
    from django.core.files.storage import default_storage

    with django_capture_on_commit_callbacks(execute=True):
        assert pdfs.evict_pdf_cache(limit=1) == 1
    assert not CertificatePdf.objects.filter(pk=row.pk).exists()
    assert CertificatePdf.objects.filter(pk=batch.pk).exists()
    assert not default_storage.exists(name)


def test_the_download_pages(issued, client, world, django_capture_on_commit_callbacks):
    session, c = issued
    client.force_login(world.members["staff"])
    url = reverse("certificates:certificate_pdf", args=[c.agency_id, c.pk])
    with django_capture_on_commit_callbacks(execute=False):
        pending = client.get(url)
    assert pending.status_code == 200 and "正在生成" in pending.content.decode()
    pdfs.render_cached(CertificatePdf.objects.get(certificate=c).pk)
    ready = client.get(url)
    assert ready["Content-Type"] == "application/pdf"
    assert b"".join(ready.streaming_content).startswith(b"%PDF")
    page = client.get(reverse("certificates:print_sessions", args=[c.agency_id]))
    assert (
        reverse("certificates:session_pdf", args=[c.agency_id, session.pk]) in page.content.decode()
    )
    other = Certificate.objects.exclude(agency=c.agency).first()
    if other:
        assert (
            client.get(
                reverse("certificates:certificate_pdf", args=[c.agency_id, other.pk])
            ).status_code
            == 404
        )
    settings_page = client.get(reverse("certificates:seal", args=[c.agency_id]))
    assert settings_page.status_code == 200 and b'type="file"' not in settings_page.content
    client.force_login(world.members["admin"])
    bad = client.post(
        reverse("certificates:seal", args=[c.agency_id]),
        {"image": SimpleUploadedFile("seal.png", _png(mode="RGB", colour=(255, 255, 255)))},
    )
    assert bad.status_code == 400 and "透明" in bad.content.decode()


def test_the_demo_gives_each_agency_a_seal_once(world):
    from certificates import demo_pdf

    first = demo_pdf.seed()
    assert first >= 1 and AgencySeal.objects.filter(agency=world.gd_agency).exists()
    assert demo_pdf.seed() == 0
