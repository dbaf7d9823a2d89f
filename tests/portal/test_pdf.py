"""portal.pdf: Chinese text survives to the PDF; only project files can be fetched."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.template import engines

from portal import pdf

SAMPLE = (
    '{% extends "portal/pdf_base.html" %}{% block title %}{{ title }}{% endblock %}'
    "{% block content %}<h1>{{ title }}</h1><table><tr><th>姓名</th><td>{{ holder }}</td></tr>"
    "</table>{% endblock %}"
)


def render_sample(context: dict) -> bytes:
    return pdf.html_to_pdf(engines["django"].from_string(SAMPLE).render(context))


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


@needs_poppler
def test_a_chinese_page_renders_and_reads_back(tmp_path):
    data = render_sample({"holder": "张三", "title": "职业技能等级证书", "is_demo": True})
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "职业技能等级证书" in text
    assert "张三" in text


@needs_poppler
def test_user_text_stays_escaped(tmp_path):
    data = render_sample({"title": "测试", "holder": "<b>李四</b><img src='file:///etc/passwd'>"})
    text = pdf_text(data, tmp_path)
    assert "<b>李四</b>" in text


@needs_poppler
def test_render_pdf_renders_a_template_by_name(tmp_path):
    text = pdf_text(pdf.render_pdf("portal/pdf_base.html", {"is_demo": True}), tmp_path)
    assert "演示数据" in text


def test_the_fetcher_reads_static_files_only():
    css = pdf.url_fetcher(pdf.BASE_URL + "static/portal/css/pdf.css")
    assert b"Noto Serif CJK SC" in css["string"]
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:8000/healthz/",
        pdf.BASE_URL + "etc/passwd",
        pdf.BASE_URL + "static/../../portal/settings.py",
        pdf.BASE_URL + "media/../../portal/settings.py",
    ):
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do, no read must happen
            pdf.url_fetcher(url)


def test_an_outside_image_does_not_stop_the_render_nor_get_fetched():
    html = (
        engines["django"]
        .from_string('<html><body><p>测试</p><img src="http://10.0.0.1/x.png"></body></html>')
        .render({})
    )
    assert pdf.html_to_pdf(html).startswith(b"%PDF")


def _live_font_configurations() -> int:
    import gc

    from weasyprint.text.fonts import FontConfiguration

    return sum(isinstance(o, FontConfiguration) for o in gc.get_objects())


def test_renders_reuse_one_font_configuration_and_leave_none_behind(monkeypatch):
    """Issue 15: a new FontConfiguration per render (fontconfig, a Pango font map, FreeType
    faces of the CJK fonts) was left in reference cycles and grew a worker's RSS by MBs a
    render. One per thread now serves every render, and no other one stays alive."""
    from weasyprint.text.fonts import FontConfiguration

    html = engines["django"].from_string(SAMPLE).render({"title": "证书", "holder": "张三"})
    pdf.html_to_pdf(html)
    shared = pdf.font_config()
    made = []
    original = FontConfiguration.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(FontConfiguration, "__init__", counting_init)
    for _ in range(3):
        assert pdf.html_to_pdf(html).startswith(b"%PDF")
    assert made == []
    assert pdf.font_config() is shared
    assert pdf._weasy_fetcher() is pdf._weasy_fetcher()
    assert _live_font_configurations() == 1


def test_a_document_with_its_own_font_face_gets_a_fresh_configuration():
    """Adding @font-face faces to the shared configuration would grow it with every render."""
    shared = pdf.font_config()
    html = (
        "<html><head><style>@font-face { font-family: Mine; src: local('Noto Serif CJK SC'); }"
        "p { font-family: Mine, serif; }</style></head><body><p>测试</p></body></html>"
    )
    assert pdf.html_to_pdf(html).startswith(b"%PDF")
    assert pdf.font_config() is shared
    assert shared._folder is None  # nothing was added to the shared one
    assert _live_font_configurations() == 1
