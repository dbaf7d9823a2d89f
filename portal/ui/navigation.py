"""Menu registry (ARCHITECTURE.md "Navigation"): apps register entries for pages that exist.

A page that is not built has no entry, so nothing ever links to a placeholder.
``public`` entries form the public header; ``workspace`` entries the signed-in
side menu, shown to the roles named (authority roles, or ``agency:<role>``).

An entry is shown only when the view it links to would let the user in: ``menu`` reads the
access policy declared beside the view (``portal.access.requires`` and friends) and applies
the same check, so a menu never offers a link that answers 403. ``roles`` stays a cheap
first filter (and says who the entry is meant for); the view's policy has the last word.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, get_urlconf, resolve, reverse
from django.utils.functional import Promise

PUBLIC = "public"
WORKSPACE = "workspace"
AGENCY = "agency"  # entries inside /workspace/agency/<agency>/, reversed with the agency id


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    area: str
    order: int = 100
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: everyone in the area
    visible_if: Callable[[object], bool] | None = None


_REGISTRY: dict[str, NavEntry] = {}
#: Counts the changes of the registry (``portal.ui.chrome`` keys its cached chrome on it).
revision = 0


def register(
    key: str,
    label: str | Promise,
    url_name: str,
    *,
    area: str,
    order: int = 100,
    roles: set[str] | frozenset[str] | tuple[str, ...] = (),
    visible_if: Callable[[object], bool] | None = None,
) -> None:
    """Add (or replace, on reload) a menu entry."""
    if area not in {PUBLIC, WORKSPACE, AGENCY}:
        raise ValueError(f"unknown navigation area {area!r}")
    global revision
    _REGISTRY[key] = NavEntry(key, label, url_name, area, order, frozenset(roles), visible_if)
    revision += 1


def entries(area: str) -> list[NavEntry]:
    return sorted((e for e in _REGISTRY.values() if e.area == area), key=lambda e: e.order)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    active: bool


def menu(area: str, request, *, roles: set[str] | None = None, agency_id: int | None = None):
    """The entries of ``area`` that the request's user sees, with their URLs."""
    found = []
    for entry in entries(area):
        if entry.roles and not (roles or set()) & entry.roles:
            continue
        if entry.visible_if is not None and not entry.visible_if(request):
            continue
        try:
            url = reverse(entry.url_name, args=[agency_id] if area == AGENCY else [])
        except NoReverseMatch:
            continue
        if not view_admits(request, url):
            continue
        found.append((entry, url))
    # The active entry is the longest URL the current path starts with ("/" only exactly),
    # so an overview page does not stay lit on the pages below it.
    path = request.path
    matching = [url for _e, url in found if path == url or (url != "/" and path.startswith(url))]
    active = max(matching, key=len) if matching else None
    return [MenuItem(str(entry.label), url, url == active) for entry, url in found]


def view_admits(request, url: str) -> bool:
    """Whether the view at ``url`` lets the request's user in, by the policy declared on it.

    The check is the one the view's decorator makes (``requires:<action>`` is
    ``can(user, action)``, ``agency:<roles>`` the member's agency roles), so an entry and
    its page never disagree. A view whose policy is decided per object, or that declares
    none, is left to the entry's ``roles``.
    """
    from portal.access import can

    policy = _policy_of(url, get_urlconf() or settings.ROOT_URLCONF)
    if policy is None:
        return False
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    kind, _sep, detail = policy.partition(":")
    if kind == "signed_in":
        return signed_in
    if kind == "requires":
        return signed_in and can(user, detail)
    if kind == "agency":
        return signed_in and bool(
            set(getattr(request, "agency_roles", ())) & set(detail.split(","))
        )
    return True


@functools.lru_cache(maxsize=512)
def _policy_of(url: str, urlconf) -> str | None:
    """The access policy of the view at ``url`` (None: no view). Menu URLs are a few dozen
    fixed addresses and the URLconf does not change while the process runs, so each is
    resolved once, not on every page (nine resolves a page were a fifth of the lookup's
    rendering)."""
    try:
        return getattr(resolve(url, urlconf).func, "access_policy", "") or ""
    except Resolver404:
        return None


def register_portal_entries() -> None:
    """The shell's own entries; each concern registers its pages' entries in its registry."""
    from django.utils.translation import gettext_lazy as _

    register("home", _("Home"), "portal:home", area=PUBLIC, order=0)
    register("dashboard", _("My workspace"), "portal:dashboard", area=WORKSPACE, order=0)
    register("agency_home", _("Agency overview"), "portal:agency_home", area=AGENCY, order=0)
