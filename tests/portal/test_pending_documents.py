"""Documents generated after the commit: pending row first, a task fills it, a sweep re-queues."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import transaction
from django.template import Context, Template, engines
from django.urls import reverse

from portal import audit, clock, documents, pdf
from portal.access import SYSTEM
from portal.jobs import periodic
from portal.jobs.tasks import render_document
from portal.models import AuditEntry, Document
from portal.models.documents import DocumentStatus

pytestmark = pytest.mark.django_db

LETTER = (
    '{% extends "portal/pdf_base.html" %}{% block title %}决定书{% endblock %}'
    "{% block content %}<h1>决定书</h1><p>{{ holder }}</p>{% endblock %}"
)
T0 = dt.datetime(2026, 11, 25, 9, 0)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def renders():
    """A renderer producing a real PDF (WeasyPrint, CJK font) and counting its calls."""
    calls: list[int] = []

    def letter(doc: Document) -> bytes:
        calls.append(doc.pk)
        html = engines["django"].from_string(LETTER).render(doc.render_params)
        return pdf.html_to_pdf(html)

    documents.register_renderer("tests.letter", letter)
    yield calls
    documents._RENDERERS.pop("tests.letter", None)


@pytest.fixture
def failing():
    def broken(doc: Document) -> bytes:
        raise RuntimeError("the template is broken")

    documents.register_renderer("tests.broken", broken)
    yield
    documents._RENDERERS.pop("tests.broken", None)


def pending(renderer: str = "tests.letter", **kwargs) -> Document:
    defaults = {
        "renderer": renderer,
        "params": {"holder": "张三"},
        "title": "准予备案决定书",
        "kind": "decision_letter",
        "filename": "决定书.pdf",
        "owner_jurisdiction": "440000",
        "subject": "tests.thing:1",
    }
    defaults.update(kwargs)
    return documents.create_pending(SYSTEM, **defaults)


def test_a_pending_document_is_rendered_after_the_commit_into_a_real_pdf(
    renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        doc = pending()
        assert doc.status == DocumentStatus.PENDING and not doc.file
        assert renders == []  # nothing is rendered inside the transaction
    assert len(callbacks) == 1 and renders == [doc.pk]
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY and doc.is_ready
    data = doc.file.read()
    assert data.startswith(b"%PDF-")
    assert doc.size == len(data) and doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.content_type == "application/pdf" and doc.original_name == "决定书.pdf"
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["portal.document.prepare", "portal.document.render"]


def test_a_rollback_schedules_nothing(renders, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        pending()
        raise RuntimeError("the decision failed")
    assert callbacks == [] and renders == []
    assert not Document.objects.exists()


def test_running_the_task_twice_is_harmless(renders, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        doc = pending()
    assert render_document.apply(args=(doc.pk,)).get() is True
    doc.refresh_from_db()
    name, sha = doc.file.name, doc.sha256
    assert render_document.apply(args=(doc.pk,)).get() is False
    doc.refresh_from_db()
    assert renders == [doc.pk] and (doc.file.name, doc.sha256) == (name, sha)
    assert AuditEntry.objects.filter(action="portal.document.render").count() == 1


def test_the_sweep_requeues_pending_documents_a_dead_worker_missed(
    renders, django_capture_on_commit_callbacks
):
    with clock.frozen(T0), django_capture_on_commit_callbacks(execute=False):
        doc = pending()  # its task was lost: the callback never ran
    with clock.frozen(T0 + dt.timedelta(minutes=2)):
        assert documents.requeue_pending() == 0  # too recent: its task may still be on its way
    with (
        clock.frozen(T0 + dt.timedelta(minutes=6)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert periodic.run("portal.requeue_pending_documents") is True
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.READY and renders == [doc.pk]
    with clock.frozen(T0 + dt.timedelta(minutes=20)):
        assert documents.requeue_pending() == 0  # a ready document is not queued again


def test_the_sweep_is_a_periodic_job_every_ten_minutes():
    job = periodic.jobs()["portal.requeue_pending_documents"]
    assert job.every == dt.timedelta(minutes=10)


def test_a_failing_renderer_leaves_the_document_pending_then_failed(
    failing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        doc = pending("tests.broken")  # eager: the failure is logged, never raised
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.PENDING and doc.render_attempts == 1
    assert "the template is broken" in doc.render_error
    for _ in range(documents.MAX_RENDER_ATTEMPTS - 1):
        assert render_document.apply(args=(doc.pk,)).get() is False
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.FAILED
    assert doc.render_attempts == documents.MAX_RENDER_ATTEMPTS
    assert AuditEntry.objects.filter(action="portal.document.render_failed").count() == 1
    assert documents.requeue_pending(older_than=dt.timedelta(0)) == 0


def test_a_renderer_must_be_registered_and_params_must_be_json(renders):
    with pytest.raises(LookupError):
        pending("tests.unknown")
    with pytest.raises(TypeError):
        pending(params={"when": object()})
    assert not Document.objects.exists()


def test_bytes_that_do_not_match_the_file_name_are_not_stored(django_capture_on_commit_callbacks):
    documents.register_renderer("tests.png", lambda doc: b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            doc = pending("tests.png")
    finally:
        documents._RENDERERS.pop("tests.png", None)
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.PENDING and not doc.file
    assert doc.render_attempts == 1


def test_downloading_a_pending_document_says_it_is_being_generated(
    client, world, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        doc = pending(owner_jurisdiction="", owner_agency=world.gd_agency)
    url = reverse("portal:document_download", args=[doc.pk])
    client.force_login(world.members["admin"])
    response = client.get(url)
    assert response.status_code == 404 and response.headers["Cache-Control"] == "no-store"
    assert "文件正在生成，请稍后刷新" in response.content.decode()
    client.force_login(world.hlj_admin)  # may not see it: the plain 404, not its title
    response = client.get(url)
    assert response.status_code == 404 and "准予备案决定书" not in response.content.decode()
    Document.objects.filter(pk=doc.pk).update(status=DocumentStatus.FAILED)
    client.force_login(world.members["admin"])
    assert "文件未能生成" in client.get(url).content.decode()
    assert render_document.apply(args=(doc.pk,)).get() is False  # a failed one is left alone
    Document.objects.filter(pk=doc.pk).update(status=DocumentStatus.PENDING)
    assert render_document.apply(args=(doc.pk,)).get() is True
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_link_to_a_pending_document_says_being_generated(renders):
    doc = Document(pk=7, title="决定书", status=DocumentStatus.PENDING)
    template = Template('{% load portal_tags %}{% document_link doc "下载决定书" %}')
    link = f'<a href="{reverse("portal:document_download", args=[7])}">下载决定书</a>'
    html = template.render(Context({"doc": doc}))
    assert html == link + ' <span class="muted document-state">（正在生成）</span>'
    doc.status = DocumentStatus.READY
    assert template.render(Context({"doc": doc})) == link
    doc.status = DocumentStatus.FAILED
    html = Template("{% load portal_tags %}{% document_state doc %}").render(Context({"doc": doc}))
    assert "未能生成" in html


def test_audit_labels_exist_for_generated_documents():
    for action in ("prepare", "render", "render_failed"):
        assert audit.describe(f"portal.document.{action}") != f"portal.document.{action}"
