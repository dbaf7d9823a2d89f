"""The one place that decides who may do what (ARCHITECTURE.md "One permission model").

* ``can(user, action, obj=None)`` answers for one business action, named with a
  dotted name (``agencies.application.review``). Apps register the rule of each
  of their actions in ``AppConfig.ready()`` with ``register_action``.
* ``visible(user, queryset)`` narrows a queryset to the rows the user may see, by
  membership (``tenant_path``) and territorial jurisdiction (``province_path``,
  Art 24) declared on each tenant-owned model, plus assignment grants.
* Views declare their policy beside their URL with ``public``, ``signed_in``,
  ``requires(action)`` or ``agency_view(*roles)``; the permission-matrix test
  fails for a URL without one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from portal.roles import NATIONAL, OFFICIAL_ROLES, AgencyRole, AuthorityRole

Rule = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Action:
    name: str
    rule: Rule
    description: str = ""


_ACTIONS: dict[str, Action] = {}


def register_action(name: str, rule: Rule, description: str = "") -> None:
    """Register the rule of a business action; names are unique across apps."""
    existing = _ACTIONS.get(name)
    if existing is not None and existing.rule is not rule:
        raise ValueError(f"access action {name!r} is already registered")
    _ACTIONS[name] = Action(name, rule, description)


def registered_actions() -> dict[str, Action]:
    return dict(_ACTIONS)


class SystemActor:
    """Management commands and scheduled jobs: trusted (whoever runs them has the server),
    recorded in the audit trail without a user."""

    is_authenticated = False
    is_active = True
    is_superuser = False
    pk = None
    username = "system"
    jurisdiction = NATIONAL

    def authority_roles(self) -> set[str]:
        return set()

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def can(user, action: str, obj: Any = None) -> bool:
    """May ``user`` perform ``action`` (on ``obj``)? Unknown actions are refused loudly."""
    try:
        rule = _ACTIONS[action].rule
    except KeyError as exc:
        raise LookupError(f"unregistered access action {action!r}") from exc
    if user is SYSTEM:
        return True
    if user is None or not user.is_authenticated:
        return bool(rule(user, obj)) if getattr(rule, "allows_anonymous", False) else False
    if not user.is_active:
        return False
    return bool(rule(user, obj))


def require(user, action: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless ``can(...)``; for services."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


# --- Building blocks for rules ----------------------------------------------------------


def anyone(user, obj=None) -> bool:
    return True


anyone.allows_anonymous = True  # type: ignore[attr-defined]


def authority_role(*roles: str) -> Rule:
    """The user holds one of these authority roles (in any jurisdiction)."""
    wanted = set(roles)

    def rule(user, obj=None) -> bool:
        return user.is_authenticated and bool(user.authority_roles() & wanted)

    return rule


def national_role(*roles: str) -> Rule:
    """One of these roles, held for the whole country (e.g. Art 8: filing of specs)."""
    inner = authority_role(*roles)

    def rule(user, obj=None) -> bool:
        return user.jurisdiction == NATIONAL and inner(user, obj)

    return rule


def all_of(*rules: Rule) -> Rule:
    def rule(user, obj=None) -> bool:
        return all(r(user, obj) for r in rules)

    return rule


def any_of(*rules: Rule) -> Rule:
    def rule(user, obj=None) -> bool:
        return any(r(user, obj) for r in rules)

    return rule


def agency_role(*roles: str) -> Rule:
    """The user is a member of the object's agency with one of these roles.

    ``obj`` is an ``Agency`` or anything with a ``tenant_path`` leading to one.
    """
    wanted = set(roles)

    def rule(user, obj=None) -> bool:
        agency_id = agency_id_of(obj)
        if agency_id is None or not user.is_authenticated:
            return False
        return bool(member_roles(user, agency_id) & wanted)

    return rule


def in_jurisdiction(*roles: str) -> Rule:
    """An authority user with one of ``roles`` whose jurisdiction covers ``obj`` (Art 24)."""
    has_role = authority_role(*roles)

    def rule(user, obj=None) -> bool:
        if not has_role(user, obj):
            return False
        if obj is None or user.jurisdiction == NATIONAL:
            return bool(user.jurisdiction)
        return bool(user.jurisdiction) and user.jurisdiction in provinces_of(obj)

    return rule


def assigned(codename: str) -> Rule:
    """An assignment grant (django-guardian object permission) on ``obj``."""

    def rule(user, obj=None) -> bool:
        return obj is not None and user.is_authenticated and is_granted(user, codename, obj)

    return rule


# --- Facts about users and objects ----------------------------------------------------


def member_roles(user, agency_id: int) -> frozenset[str]:
    cache = user.__dict__.setdefault("_member_roles", {})
    if agency_id not in cache:
        from portal.models import AgencyMembership

        cache[agency_id] = frozenset(
            AgencyMembership.objects.filter(user=user, agency_id=agency_id).values_list(
                "role", flat=True
            )
        )
    return cache[agency_id]


def agency_ids(user) -> list[int]:
    from portal.models import AgencyMembership

    return list(
        AgencyMembership.objects.filter(user=user).values_list("agency_id", flat=True).distinct()
    )


def _follow(obj: Any, path: str) -> Any:
    for part in path.split("__") if path else []:
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def agency_id_of(obj: Any) -> int | None:
    from portal.models import Agency

    if obj is None:
        return None
    if isinstance(obj, Agency):
        return obj.pk
    path = getattr(obj, "tenant_path", None)
    if path is None:
        return None
    target = _follow(obj, path)
    return target.pk if target is not None else None


def _as_paths(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def provinces_of(obj: Any) -> set[str]:
    """The province codes an object is located in or filed with (may be several)."""
    found: set[str] = set()
    for path in _as_paths(getattr(obj, "province_path", None)):
        head, _, tail = path.partition("__")
        value = getattr(obj, head, None)
        if hasattr(value, "all"):  # a reverse or many-to-many relation
            for item in value.all():
                found |= _province_codes(_follow(item, tail))
        else:
            found |= _province_codes(_follow(obj, path))
    return found


def _province_codes(value: Any) -> set[str]:
    if value is None or value == "":
        return set()
    if isinstance(value, Model):
        return {str(value.pk)}
    return {str(value)}


# --- Scoping querysets -------------------------------------------------------------------


def _province_q(model: type[Model], code: str) -> Q:
    q = Q(pk__in=[])
    for path in _as_paths(getattr(model, "province_path", None)):
        q |= Q(**{path: code})  # a Province relation compares by its primary key, the code
    return q


def _tenant_q(model: type[Model], ids: list[int]) -> Q:
    path = getattr(model, "tenant_path", None)
    if path is None:
        return Q(pk__in=[])
    return Q(pk__in=ids) if path == "" else Q(**{f"{path}__in": ids})


def visible(user, queryset: QuerySet, *, assigned_perm: str | None = None) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see.

    Officials (ministry, provincial, testing centre) see their jurisdiction: all
    for national users, the rows filed with or located in their province for
    provincial users (Art 24). Agency members see their agencies' rows. Experts
    and inspectors see what they are assigned (``assigned_perm``). Everyone else
    sees nothing.
    """
    model = queryset.model
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    q = Q(pk__in=[])
    roles = user.authority_roles()
    if roles & OFFICIAL_ROLES and user.jurisdiction:
        if user.jurisdiction == NATIONAL:
            return queryset
        q |= _province_q(model, user.jurisdiction)
    ids = agency_ids(user)
    if ids:
        q |= _tenant_q(model, ids)
    if assigned_perm and roles & {AuthorityRole.EXPERT, AuthorityRole.INSPECTOR}:
        from guardian.shortcuts import get_objects_for_user

        granted = get_objects_for_user(user, assigned_perm, klass=model, accept_global_perms=False)
        q |= Q(pk__in=granted.values("pk"))
    return queryset.filter(q).distinct()


# --- View policies (declared beside each URL) ---------------------------------------------


def _mark(view: Callable, policy: str) -> Callable:
    view.access_policy = policy  # type: ignore[attr-defined]
    return view


def public(view: Callable) -> Callable:
    """Anyone, signed in or not."""
    return _mark(view, "public")


def signed_in(view: Callable) -> Callable:
    """Any signed-in user; anonymous visitors are sent to sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapper, "signed_in")


def requires(action: str) -> Callable[[Callable], Callable]:
    """A signed-in user for whom ``can(user, action)`` holds; otherwise 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"requires:{action}")

    return decorate


def agency_view(*roles: str) -> Callable[[Callable], Callable]:
    """A view under /workspace/agency/<agency_id>/ for members with one of ``roles``.

    Non-members already got 404 from ``AgencyWorkspaceMiddleware``; a member
    without the role gets 403.
    """
    wanted = set(roles or AgencyRole.values)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.agency_roles & wanted:
                raise PermissionDenied("agency role")
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"agency:{','.join(sorted(wanted))}")

    return decorate


# --- Assignment grants (the only object permissions) -----------------------------------------


def grant(user, codename: str, obj: Model) -> None:
    """Give ``user`` an assignment grant on ``obj`` (e.g. an expert on one application)."""
    from guardian.shortcuts import assign_perm

    assign_perm(f"{obj._meta.app_label}.{codename}", user, obj)
    _forget_perm_cache(user)


def revoke(user, codename: str, obj: Model) -> None:
    """Take the grant away again; effective at the user's next request."""
    from guardian.shortcuts import remove_perm

    remove_perm(f"{obj._meta.app_label}.{codename}", user, obj)
    _forget_perm_cache(user)


def is_granted(user, codename: str, obj: Model) -> bool:
    from guardian.core import ObjectPermissionChecker

    return ObjectPermissionChecker(user).has_perm(codename, obj)


def _forget_perm_cache(user) -> None:
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_guardian_perms_cache"):
        user.__dict__.pop(attr, None)


def per_object(action: str) -> Callable[[Callable], Callable]:
    """The view itself checks ``can(user, action, obj)`` on the object it loads and
    answers 404 when that fails (public objects included, e.g. published documents)."""

    def decorate(view: Callable) -> Callable:
        return _mark(view, f"object:{action}")

    return decorate
