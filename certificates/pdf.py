"""The certificate PDF (Art 20; DOMAIN.md "What a certificate shows"; decision 0043).

``render_certificate(certificate)`` renders one A4 page per the reference layout: the title
「职业技能等级证书」, the holder's name, ID type and number (in full: the PDF is the holder's
own certificate), occupation, work type (「--」 when none), level as 「三级/高级工」, number,
agency name as filed, issue date, the holder's 1-inch photo, a QR code to the certificate's
page (``Certificate.public_url``), the query addresses, and the agency's seal printed at the
agency's signature place. ``variant == "zh-en"`` adds English beside every label.

``render_session(certificates)`` puts a session's certificates one per page in one PDF for
the printer. Both are cheap by design (one font, the QR as inline SVG paths, the photo and
the seal as they were stored) and go through ``portal.pdf``, which reads no remote resource.
``certificate_html`` is the HTML exactly as handed to WeasyPrint (the benchmark renders it
bare beside ``render_certificate``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from certificates.qr import signed_url
from portal import pdf

TEMPLATE = "certificates/pdf/certificate.html"
SESSION_TEMPLATE = "certificates/pdf/session.html"

#: Level titles in English for the bilingual variant (the 2021 layout notice allows English).
LEVEL_EN = {
    "1": "Level 1 / Senior Technician",
    "2": "Level 2 / Technician",
    "3": "Level 3 / Senior Worker",
    "4": "Level 4 / Intermediate Worker",
    "5": "Level 5 / Junior Worker",
}

#: Where anyone can check a certificate (the public lookup, part 3) and an agency (the directory).
LOOKUP_PATH = "/certificates/lookup/"


def lookup_url() -> str:
    return settings.CERTIFICATE_BASE_URL.rstrip("/") + LOOKUP_PATH


def directory_url() -> str:
    return settings.CERTIFICATE_BASE_URL.rstrip("/") + reverse("agencies:directory")


def qr_svg(data: str) -> str:
    """The QR code as an inline SVG of one path (medium error correction: survives a seal's
    edge or a fold). Cheap for WeasyPrint: no raster, no external file."""
    import qrcode
    import qrcode.image.svg

    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    # Drop the XML declaration; size it from CSS.
    return svg[svg.index("<svg") :]


def chinese_date(day) -> str:
    """2026年12月3日: the certificate is always dated in Chinese, whatever the reader's language."""
    return f"{day.year}年{day.month}月{day.day}日"


def _media_url(document) -> str:
    if document is None or not document.file:
        return ""
    return pdf.BASE_URL.rstrip("/") + settings.MEDIA_URL + document.file.name


def seal_of(agency_id: int):
    """The agency's current seal (``AgencySeal``) or None."""
    from certificates.models import AgencySeal

    return AgencySeal.objects.select_related("document").filter(agency_id=agency_id).first()


def _facts(certificate, seal) -> dict[str, Any]:
    with translation.override("zh-hans"):
        id_type_zh = str(certificate.get_id_type_display())
    with translation.override("en"):
        id_type_en = str(certificate.get_id_type_display())
    return {
        "c": certificate,
        "bilingual": certificate.variant == "zh-en",
        "id_type_zh": id_type_zh,
        "id_type_en": id_type_en,
        "level_en": LEVEL_EN.get(certificate.level_code, ""),
        "issued": certificate.issued_on,
        "issued_zh": chinese_date(certificate.issued_on),
        "photo_url": _media_url(certificate.photo),
        "seal_url": _media_url(seal.document) if seal else "",
        "qr": mark_safe(qr_svg(signed_url(certificate))),  # noqa: S308 - qrcode's own SVG
        "public_url": certificate.public_url,
        "lookup_url": lookup_url(),
        "directory_url": directory_url(),
        "revoked_zh": chinese_date(timezone.localdate(certificate.revoked_at))
        if certificate.revoked_at
        else "",
        "reissued_zh": chinese_date(certificate.reissued_on) if certificate.reissued_on else "",
        "is_demo": bool(certificate.basis.get("demo"))
        if isinstance(certificate.basis, dict)
        else False,
    }


def certificate_html(certificate, *, seal=None) -> str:
    seal = seal if seal is not None else seal_of(certificate.agency_id)
    return render_to_string(TEMPLATE, {"pages": [_facts(certificate, seal)]})


def render_certificate(certificate, *, seal=None) -> bytes:
    """One certificate as a one-page A4 PDF (Art 20)."""
    return pdf.html_to_pdf(certificate_html(certificate, seal=seal))


def render_session(certificates: Iterable) -> bytes:
    """Several certificates (a session's, in number order) one per page, for the printer."""
    seals: dict[int, Any] = {}
    pages = []
    for certificate in certificates:
        if certificate.agency_id not in seals:
            seals[certificate.agency_id] = seal_of(certificate.agency_id)
        pages.append(_facts(certificate, seals[certificate.agency_id]))
    return pdf.html_to_pdf(render_to_string(TEMPLATE, {"pages": pages}))


#: Fields printed on the certificate: a change of any of them (or of the seal) changes the hash
#: and the cached PDF is rendered again.
PRINTED_FIELDS = (
    "number",
    "token",
    "holder_name",
    "id_type",
    "id_number",
    "photo_id",
    "occupation_code",
    "occupation_name",
    "work_type_name",
    "level_code",
    "level_display",
    "agency_name",
    "issued_on",
    "variant",
    "status",
    # Art 27 (decision 0049): the 已撤销 mark with its date, the 补发 mark with its date.
    "revoked_at",
    "reissued_on",
    "reissue_count",
)


def data_hash(certificate, seal=None) -> str:
    """SHA-256 of what the PDF shows (no personal data leaves this function: only the digest)."""
    seal = seal if seal is not None else seal_of(certificate.agency_id)
    values = {f: str(getattr(certificate, f)) for f in PRINTED_FIELDS}
    values["seal"] = seal.document.sha256 if seal else ""
    values["base"] = settings.CERTIFICATE_BASE_URL
    values["layout"] = LAYOUT_VERSION
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


#: Bump when the template changes so that cached PDFs are rendered again.
LAYOUT_VERSION = "2026-12-3"  # revoked and reissue marks (decision 0049)
