"""``/certificates/verify/``: anyone uploads a certificate PDF or its VC JSON and learns
whether it is genuine, unchanged and still valid (Art 22; decision 0048). Thin: the form
checks the file, ``certificates.verification`` judges it, nothing is stored. Answers are
``Cache-Control: no-store``; an upload larger than the limit is refused before it is read."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from certificates import verification
from certificates.forms.verify import VerifyForm, max_bytes, too_large_message
from portal.ui.helpers import crumbs

#: Room for the multipart envelope and the other fields around the file.
_ENVELOPE = 64 * 1024


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes() + _ENVELOPE


class _Bounded(FileUploadHandler):
    """Keeps the upload in memory and stops reading it once it passes the limit: nothing is
    spooled to disk, nothing is stored."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_bytes():
            self.request.verify_too_large = True
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


def _refused(request):
    """The page with the size message at the field (the human check is not spent)."""
    form = VerifyForm({}, {}, captcha_request=request)
    form.full_clean()
    form.errors.clear()
    form.errors["file"] = form.error_class([too_large_message()])
    return _page(request, form, None)


@csrf_exempt  # the CSRF check runs in _verify, once the upload handler is in place
def verify(request):
    if request.method == "POST" and _too_large(request):
        return _refused(request)  # from the declared length alone: the body is never read
    request.upload_handlers = [_Bounded(request)]
    return _verify(request)


@csrf_protect
def _verify(request):
    outcome = None
    posted = request.method == "POST"
    files = request.FILES if posted else None  # parsed here through _Bounded, if not yet
    if posted and getattr(request, "verify_too_large", False):
        return _refused(request)
    form = VerifyForm(
        request.POST if posted else None,
        files,
        captcha_request=request,
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = verification.verify_upload(
            form.cleaned_data["data"], filename=upload.name, content_type=upload.content_type
        )
        form = VerifyForm(captcha_request=request)  # a fresh challenge for the next file
    return _page(request, form, outcome)


def _page(request, form, outcome):
    context = {
        "form": form,
        "outcome": outcome,
        "max_mb": f"{max_bytes() / 1024 / 1024:g}",
        "breadcrumbs": crumbs(_("Verify a certificate"), root=None),
    }
    return _no_store(render(request, "certificates/verify/verify.html", context))
