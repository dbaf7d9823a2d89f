"""Cached content of public pages, invalidated by a data version (docs/decisions/0030).

The public pages (catalogue search, occupation, standards, directory, directory entry,
notices) show public data that changes a few times a day and are read all day. Their
``{% block content %}`` is wrapped in ``{% publiccache "name" %}…{% endpubliccache %}``: for
anonymous visitors the rendered HTML is kept in the cache under

    pc:<data version>:<name>:<language>:<today>:<hash of the full path and vary values>

The header, menus, language form (with its CSRF token) and messages are rendered for every
request as before; only the content is shared. Signed-in users always get a fresh render.

Invalidation: apps declare what their public pages show with ``watch("catalog")`` (an app
label) or ``watch("portal.agency")`` (a model label). Any save, delete or many-to-many change
of a watched model, and any audit entry about an object of a watched model (which covers the
services' ``queryset.update()`` and ``bulk_create``: every business action writes one),
increments the data version when the transaction commits, so every cached fragment is
abandoned at once and expires unread. ``today`` in the key covers what the date alone changes
(standards coming into force, notice periods, terms). ``PUBLIC_PAGE_CACHE_SECONDS`` bounds the
life of a fragment (and the cache's memory: at most the pages served in that time); 0 turns
the cache off (the test settings' default).

Views keep their work lazy with ``lazy_context`` so a hit runs no query beyond the object the
page is about (needed for its 404, title and breadcrumbs).
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import SimpleLazyObject

VERSION_KEY = "pc:version"
_MISSING = object()
LOCAL_ENTRIES = 256  # per process: a hit costs one cache round trip (the version), no more

_WATCHED: set[str] = set()
_local: OrderedDict[str, object] = OrderedDict()
_local_lock = threading.Lock()


def _get(cache_key: str) -> object:
    """From this process's memory, else from the shared cache (remembered here)."""
    with _local_lock:
        if cache_key in _local:
            _local.move_to_end(cache_key)
            return _local[cache_key]
    found = _cache().get(cache_key, _MISSING)
    if found is not _MISSING:
        _remember(cache_key, found)
    return found


def _set(cache_key: str, value: object) -> None:
    _cache().set(cache_key, value, timeout=int(settings.PUBLIC_PAGE_CACHE_SECONDS))
    _remember(cache_key, value)


def _remember(cache_key: str, value: object) -> None:
    with _local_lock:
        _local[cache_key] = value
        _local.move_to_end(cache_key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def enabled() -> bool:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0) or 0) > 0


def _cache():
    return caches[getattr(settings, "PUBLIC_PAGE_CACHE_ALIAS", "default")]


def version(request=None) -> int:
    """The current data version; a lost one restarts from the clock (never an old number).
    Read once per request when ``request`` is given."""
    if request is not None and hasattr(request, "_pagecache_version"):
        return request._pagecache_version
    cache = _cache()
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        value = cache.get(VERSION_KEY)
    if request is not None:
        request._pagecache_version = int(value)
    return int(value)


def bump() -> None:
    """Abandon every cached fragment (the next page view renders afresh)."""
    cache = _cache()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: start one
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)


def watch(*labels: str) -> None:
    """Public pages show these apps (``"catalog"``) or models (``"portal.agency"``)."""
    _WATCHED.update(label.lower() for label in labels)


def watches(model_label: str) -> bool:
    label = model_label.lower()
    return label in _WATCHED or label.partition(".")[0] in _WATCHED


def changed() -> None:
    """Bump the version when the current transaction commits (at once outside one)."""
    if enabled():
        transaction.on_commit(bump)


def _on_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or not kwargs.get("action", "post").startswith("post"):
        return
    if meta.label_lower == "portal.auditentry":
        entry = kwargs.get("instance")
        types = [entry.object_type, *(ref[0] for ref in entry.object_list or [] if ref)]
        if any(t and watches(t) for t in types):
            changed()
        return
    if watches(meta.label_lower):
        changed()


def connect() -> None:
    """Listen to every model's changes (called once from PortalConfig.ready())."""
    post_save.connect(_on_change, dispatch_uid="portal.pagecache.save")
    post_delete.connect(_on_change, dispatch_uid="portal.pagecache.delete")
    m2m_changed.connect(_on_change, dispatch_uid="portal.pagecache.m2m")


def key(name: str, request, vary: Iterable[object] = (), *, by_path: bool = True) -> str:
    """The fragment's key: data version, name, language, today, and a hash of the full path
    (``by_path``) and the ``vary`` values."""
    from django.utils import translation

    from portal import clock

    parts = [request.get_full_path()] if by_path else []
    digest = hashlib.sha256("\x1f".join([*parts, *map(str, vary)]).encode()).hexdigest()[:32]
    language = translation.get_language() or ""
    return f"pc:{version(request)}:{name}:{language}:{clock.today().isoformat()}:{digest}"


def cacheable(request) -> bool:
    if not enabled() or request is None or request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def fragment(name: str, request, render: Callable[[], str], vary: Iterable[object] = ()) -> str:
    """``render()``'s HTML, from the cache when an anonymous visitor's page is there."""
    if not cacheable(request):
        return render()
    cache_key = key(name, request, vary)
    html = _get(cache_key)
    if html is _MISSING:
        html = render()
        # Never share a form's CSRF token between visitors: such content is not cached.
        if "csrfmiddlewaretoken" not in html:
            _set(cache_key, html)
    return html


def value(name: str, request, build: Callable[[], object], *vary: object) -> object:
    """``build()`` (any picklable value, None included), kept under the same versioned key as
    the fragments: a public page's object loaded without a query while the data is unchanged."""
    if not enabled() or request is None:
        return build()
    cache_key = key(f"value:{name}", request, vary, by_path=False)
    found = _get(cache_key)
    if found is _MISSING:
        found = build()
        _set(cache_key, found)
    return found


def lazy_context(build: Callable[[], dict], *names: str) -> dict:
    """Context entries computed by ``build()`` only when the template first reads one of them
    (a cached page never does)."""
    built = functools.cache(build)
    return {name: SimpleLazyObject(lambda name=name: built()[name]) for name in names}
