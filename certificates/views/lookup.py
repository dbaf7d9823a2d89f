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

import json
import re

from django.core.signals import setting_changed
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certificates.forms.lookup import LookupForm
from certificates.services import lookup
from portal import captcha, ratelimit
from portal.ui import chrome
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


def _refused(request, form: LookupForm, keys: list[tuple[str, str]]) -> int:
    """Seconds to wait when a limit refuses this lookup, else 0 (the hit is recorded): the
    form counted the limits with its human check, or (check off) they are counted here."""
    refused = form.refused if form.limits_counted else ratelimit.hit_many(keys)
    if refused:
        return max(1, ratelimit.retry_after(refused, dict(keys)[refused]))
    return 0


#: The empty form's fields (all but the human check) as HTML, per language: an empty form
#: renders the same every time, and its widgets' templates were the page's costliest part.
_BLANK_FIELDS: dict[str, str] = {}
#: The empty form's human check per language, its challenge a placeholder (``_blank_captcha``).
_BLANK_CAPTCHA: dict[str, str] = {}
_CHALLENGE = "lookup-challenge-placeholder"
_CHALLENGE_ATTR = re.compile(r'challengejson="[^"]*"')


def _blank_fields() -> str:
    language = get_language()
    html = _BLANK_FIELDS.get(language)
    if html is None:
        html = _BLANK_FIELDS[language] = render_to_string(
            "certificates/lookup/fields.html", {"form": LookupForm()}
        )
    return mark_safe(html)  # noqa: S308 - our own template's output


def _blank_captcha(request) -> str | None:
    """The empty form's human check with a fresh challenge signed for this request's address
    and difficulty: the field's HTML rendered once per language, the challenge put in per
    response. None when the day's quota is used up (the form says so, rendered as usual)."""
    if not captcha.captcha_enabled():
        return ""
    purpose = LookupForm.captcha_purpose
    filings = captcha.filings_today(purpose, captcha.address_of(request), request)
    if captcha.quota_exceeded(purpose, "", filings):
        return None
    language = get_language()
    html = _BLANK_CAPTCHA.get(language)
    if html is None:
        field = LookupForm(captcha_request=request)["captcha"]
        rendered = render_to_string("portal/includes/field.html", {"field": field})
        html, replaced = _CHALLENGE_ATTR.subn(f'challengejson="{_CHALLENGE}"', rendered)
        if replaced != 1:
            raise RuntimeError("the human check's template has no single challenge")
        _BLANK_CAPTCHA[language] = html
    challenge = escape(json.dumps(captcha.new_challenge(purpose, request, filings)))
    return mark_safe(html.replace(_CHALLENGE, challenge))  # noqa: S308 - escaped above


#: The fixed parts of the answer's links per URL name and script prefix (``_link``).
_LINK_PARTS: dict[tuple[str, str], tuple[str, str]] = {}
_SLOT_INT, _SLOT_STR = 918273645, "lookup-link-slot"
_LINK_SAFE = re.compile(r"[A-Za-z0-9_:.-]+")


def _link(name: str, arg: int | str) -> str:
    """``reverse(name, args=[arg])``, the URL's fixed parts reversed once (an answer had up
    to six reverses); anything but a plain id or token goes through ``reverse``."""
    text = str(arg)
    if not _LINK_SAFE.fullmatch(text):
        return reverse(name, args=[arg])
    slot = _SLOT_INT if isinstance(arg, int) else _SLOT_STR
    key = (name, get_script_prefix(), type(arg).__name__)
    parts = _LINK_PARTS.get(key)
    if parts is None:
        before, found, after = reverse(name, args=[slot]).partition(str(slot))
        if not found or str(slot) in after:
            return reverse(name, args=[arg])
        parts = _LINK_PARTS[key] = (before, after)
    return parts[0] + text + parts[1]


def _linked(found: list[dict]) -> list[dict]:
    """The answer's links of each certificate found (its page, photo, successor, agency's
    directory entry, the holder's downloads)."""
    for item in found:
        c, links = item["certificate"], {}
        if not item["legacy"]:
            links["page"] = _link("certificates:public", c.token)
            if c.photo_id:
                links["photo"] = _link("certificates:public_photo", c.token)
            if c.replaced_by_id:
                links["successor"] = _link("certificates:public", c.replaced_by.token)
        if item["agency_listed"]:
            links["agency"] = _link("agencies:directory_entry", item["facts"]["agency_id"])
        if item["token"]:
            links["pdf"] = _link("certificates:lookup_pdf", item["token"])
            links["vc"] = _link("certificates:lookup_vc", item["token"])
        item["links"] = links
    return found


def _forget_blank_forms(**kwargs) -> None:
    _BLANK_FIELDS.clear()  # the hotline and the static files' addresses are in them
    _BLANK_CAPTCHA.clear()
    _PIECES.clear()


setting_changed.connect(_forget_blank_forms)


def _busy(request):
    response = render(request, "certificates/lookup/busy.html", status=503)
    response["Retry-After"] = "5"
    return _no_store(response)


def _page(request, context: dict) -> HttpResponse:
    """The page: its content between the shared chrome's halves for anonymous visitors
    (``portal.ui.chrome``), else ``lookup.html`` rendered in full (a signed-in user's
    header, messages waiting)."""
    title = _("Certificate lookup")
    breadcrumbs = crumbs(title, root=None)
    head = format_html('<link rel="stylesheet" href="{}">', static("certificates/css/lookup.css"))
    token = get_token(request)  # one masked token for both forms of the page
    halves = chrome.halves(request, title=title, head=head, breadcrumbs=breadcrumbs, token=token)
    if halves is None:
        context["breadcrumbs"] = breadcrumbs
        return render(request, "certificates/lookup/lookup.html", context)
    if context.get("blank_fields"):  # an empty form: the page's fixed pieces are cached
        content = _piece("intro")
        if context["searched"]:
            found = context["found"]
            answers = "certificates/lookup/answers.html"
            content += render_to_string(answers, context) if found else _piece("none")
        content += _piece("form").replace(_TOKEN, token).replace(_CAPTCHA, context["blank_captcha"])
    else:
        context["csrf_token"] = token
        content = render_to_string("certificates/lookup/content.html", context)
    return HttpResponse(halves[0] + content + halves[1])


#: The fixed pieces of the page per language: its introduction, the one answer for every miss,
#: and the empty form (fields and human check) with placeholders for the CSRF token and the
#: human check (its challenge is signed per response).
_PIECES: dict[tuple[str, str], str] = {}
_TOKEN = "lookup-csrf-token-placeholder"  # noqa: S105 - a placeholder, never a token
_CAPTCHA = "lookup-human-check-placeholder"


def _piece(name: str) -> str:
    key = (get_language(), name)
    html = _PIECES.get(key)
    if html is None:
        if name == "intro":
            html = render_to_string("certificates/lookup/intro.html", {})
        elif name == "none":
            context = {"searched": True, "found": []}
            html = render_to_string("certificates/lookup/answers.html", context)
        else:
            context = {"csrf_token": _TOKEN, "blank_fields": _blank_fields(), "invalid": False}
            html = render_to_string(
                "certificates/lookup/form.html", {**context, "blank_captcha": _CAPTCHA}
            )
        _PIECES[key] = html
    return html


@require_http_methods(["GET", "HEAD", "POST"])
def lookup_page(request):
    """Name + ID number or name + certificate number; exact keys only; the same answer for
    every kind of miss; what was typed is not written back (the ID number never)."""
    form = None
    context = {"searched": False, "found": [], "by_id": False, "invalid": False}
    if request.method == "POST":
        keys = [(name, key_of(request)) for name, key_of in LIMITS]
        form = LookupForm(request.POST, captcha_request=request, limits=keys)
        if form.is_valid():
            wait = _refused(request, form, keys)
            if wait:
                return _no_store(ratelimit.too_many_requests(request, wait))
            try:
                context["found"] = _linked(lookup.answers(form.query(), downloadable=form.by_id))
            except lookup.LookupBusy:
                return _busy(request)
            context.update(searched=True, by_id=form.by_id)
            form = None  # a fresh, empty form and challenge
        else:
            context["invalid"] = True
    if form is None:
        blank_captcha = _blank_captcha(request)
        if blank_captcha is None:
            form = LookupForm(captcha_request=request)  # the quota's message at the field
        else:
            context.update(blank_fields=_blank_fields(), blank_captcha=blank_captcha)
    # An empty form is shown from cached HTML; one is built only if something asks for it.
    context.update(form=form or SimpleLazyObject(LookupForm), minutes=lookup.download_minutes())
    return _no_store(_page(request, context))


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
