"""The public certificate lookup (证书查询, Art 22; decision 0047) and the holder's download.

POST contract (for load generators; bench17)
--------------------------------------------
``POST /certificates/lookup/`` (URL name ``certificates:lookup``), form-encoded, with the
CSRF cookie and ``csrfmiddlewaretoken`` from a ``GET`` of the same page, fields:

* ``way``: ``id`` (name + ID number) or ``number`` (name + certificate number);
* ``name``: the holder's name (at most 60 characters);
* ``id_type`` (``resident_id`` default, ``passport``, ``hk_macao``, ``taiwan``,
  ``foreign_pr``) and ``id_number``: read when ``way=id``;
* ``number``: the 22-character number or a 16-digit legacy number, read when ``way=number``;
* ``captcha``: the ALTCHA payload (base64 JSON) solving the ``challengejson`` of the page
  (purpose ``certificate_lookup``; each challenge is spent once; absent when
  ``CAPTCHA_ENABLED`` is off).

Answers: ``200`` with ``Cache-Control: no-store`` for every looked-up answer and for form
errors. Each certificate found is a ``<section ... data-found="certificate"
data-number="NUMBER">``; a lookup that found nothing has one ``data-found="none"`` element
(the same page for every kind of miss); a form with errors has ``data-found="invalid"``.
``429`` (Chinese page, ``Retry-After``) when a limit refuses (``certificate_lookup.ip``,
``.subnet``, ``.hour``; counted only for posts whose form, proof of work included, is
valid); ``503`` (Chinese page, ``Retry-After``) when the lookup ran past its statement
timeout; ``405`` for methods other than GET, HEAD and POST.

The holder's download: an answer found by name + full ID number carries, per portal
certificate, links ``/certificates/lookup/download/<token>/pdf`` and ``.../vc`` (URL names
``certificates:lookup_pdf``, ``certificates:lookup_vc``), the token signed and valid
``CERTIFICATE_DOWNLOAD_LINK_MINUTES``; an unknown or stale token answers 404.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certificates.forms.lookup import LookupForm
from certificates.services import lookup
from portal import ratelimit
from portal.ui.helpers import crumbs

#: Limits counted, in order, for each lookup that passed the form (decision 0047).
LIMITS = (
    ("certificate_lookup.ip", ratelimit.host_key),
    ("certificate_lookup.subnet", ratelimit.subnet_key),
    ("certificate_lookup.hour", ratelimit.subnet_key),
)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _refused(request) -> int:
    """Seconds to wait when a limit refuses this lookup, else 0 (the hit is recorded)."""
    keys = {name: key_of(request) for name, key_of in LIMITS}
    refused = ratelimit.hit_many(list(keys.items()))  # one Redis round trip for the three
    if refused:
        return max(1, ratelimit.retry_after(refused, keys[refused]))
    return 0


#: The empty form's fields (all but the human check) as HTML, per language: an empty form
#: renders the same every time, and its widgets' templates were the page's costliest part.
_BLANK_FIELDS: dict[str, str] = {}


def _blank_fields(form: LookupForm) -> str:
    language = get_language()
    html = _BLANK_FIELDS.get(language)
    if html is None:
        html = _BLANK_FIELDS[language] = render_to_string(
            "certificates/lookup/fields.html", {"form": form}
        )
    return mark_safe(html)  # noqa: S308 - our own template's output


def _busy(request):
    response = render(request, "certificates/lookup/busy.html", status=503)
    response["Retry-After"] = "5"
    return _no_store(response)


@require_http_methods(["GET", "HEAD", "POST"])
def lookup_page(request):
    """Name + ID number or name + certificate number; exact keys only; the same answer for
    every kind of miss; what was typed is not written back (the ID number never)."""
    posted = request.method == "POST"
    form = LookupForm(request.POST if posted else None, captcha_request=request)
    context = {"searched": False, "found": [], "by_id": False}
    if posted and form.is_valid():
        wait = _refused(request)
        if wait:
            return _no_store(ratelimit.too_many_requests(request, wait))
        try:
            context["found"] = lookup.answers(form.query(), downloadable=form.by_id)
        except lookup.LookupBusy:
            return _busy(request)
        context.update(searched=True, by_id=form.by_id)
        form = LookupForm(captcha_request=request)  # a fresh, empty form and challenge
    context.update(
        form=form,
        invalid=posted and bool(form.errors),
        minutes=lookup.download_minutes(),
        breadcrumbs=crumbs(_("Certificate lookup"), root=None),
        blank_fields="" if form.is_bound else _blank_fields(form),
    )
    return _no_store(render(request, "certificates/lookup/lookup.html", context))


def _downloadable(token: str):
    certificate = lookup.certificate_from_token(token)
    if certificate is None:
        raise Http404
    return certificate


@require_GET
def download_pdf(request, token: str):
    """The holder's signed electronic certificate (PDF), from the on-demand cache."""
    certificate = _downloadable(token)
    row = lookup.holder_pdf(certificate)
    row.refresh_from_db()  # rendered after the commit when no worker runs (eager tasks)
    if row.ready:
        response = FileResponse(
            row.file.open("rb"),
            as_attachment=True,
            filename=f"{certificate.number}.pdf",
            content_type="application/pdf",
        )
        return _no_store(response)
    title = _("Certificate PDF")
    back = (_("Certificate lookup"), reverse("certificates:lookup"))
    context = {"row": row, "title": title, "breadcrumbs": crumbs(back, title, root=None)}
    return _no_store(render(request, "certificates/print/pending.html", context))


@require_GET
def download_vc(request, token: str):
    """The holder's verifiable credential (JSON), signed (decision 0044)."""
    certificate = _downloadable(token)
    response = JsonResponse(
        lookup.holder_credential(certificate), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.json"'
    return _no_store(response)
