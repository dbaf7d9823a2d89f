"""View helpers every app's views use instead of writing their own (ADR 0017 "Shared pieces").

* ``object_for`` / ``@loads``: load the object a URL names through ``access.visible()``
  (404 for what the user may not see, so ids cannot be probed) and check ``access.can()``
  for the action (403 where the user sees the object but may not act). No view
  re-implements a gate (healthchecks' ``_get_check_for_user``, made declarative).
* ``apply_errors``: a service's ``ValidationError`` onto the form's fields.
* ``crumbs``: breadcrumbs from the workspace root.
* ``form_action`` / ``button_action``: form → service → success message → redirect, so a
  POST view shrinks to a few lines and every refusal is shown the same way.

Where the object comes from (``source``), in every helper here:

* a ``QuerySet``, a manager or a model class: narrowed with ``access.visible(user, ...)``;
* a callable ``(request) -> QuerySet``: the app's own scoped read (a ``queries.*_for_*``
  function, itself built on ``access.visible()`` or on an assignment, or the agency
  workspace's ``filter(agency=request.agency)``), used as it is. Use it for models
  ``visible()`` knows nothing of (accounts, an expert's assignments) and for reads
  narrower than what the user may see.

Anonymous visitors are sent to sign in, always the same way: ``@loads`` answers them with
``redirect_to_login``; ``object_for`` and ``objects_for`` raise ``SignInRequired``, which
``SignInRequiredMiddleware`` turns into the same redirect (and which is a 403, never a
leak, wherever the middleware is missing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Manager, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal import access

Source = QuerySet | Manager | type[Model] | Callable[[HttpRequest], QuerySet]
Crumb = tuple[Any, Any]

__all__ = [
    "WORKSPACE",
    "SignInRequired",
    "SignInRequiredMiddleware",
    "apply_errors",
    "button_action",
    "crumbs",
    "form_action",
    "loads",
    "object_for",
    "objects_for",
]


# --- Loading objects ---------------------------------------------------------------------------


class SignInRequired(PermissionDenied):
    """An anonymous visitor asked for something only a signed-in user may see."""


class SignInRequiredMiddleware:
    """Answers ``SignInRequired`` with the sign-in page, returning to the page asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SignInRequired):
            return redirect_to_login(request.get_full_path())
        return None


def _queryset(request: HttpRequest, source: Source) -> QuerySet:
    if isinstance(source, QuerySet):
        return access.visible(request.user, source)
    if isinstance(source, Manager):
        return access.visible(request.user, source.all())
    if isinstance(source, type) and issubclass(source, Model):
        return access.visible(request.user, source._default_manager.all())
    if callable(source):
        found = source(request)
        if not isinstance(found, QuerySet):
            raise TypeError(f"{source!r} must return a QuerySet, not {type(found).__name__}")
        return found
    raise TypeError(f"cannot load objects from {source!r}")


def objects_for(request: HttpRequest, source: Source) -> QuerySet:
    """The rows of ``source`` the signed-in user may see (see the module docstring)."""
    if not request.user.is_authenticated:
        raise SignInRequired
    return _queryset(request, source)


def object_for(
    request: HttpRequest, source: Source, action: str | None = None, **lookup: Any
) -> Any:
    """The one object of ``source`` matching ``lookup``, for the signed-in user.

    Raises ``Http404`` when the user may not see it (or it does not exist) and
    ``PermissionDenied`` (403) when ``action`` is given and ``access.can(user, action,
    obj)`` refuses; an anonymous visitor gets ``SignInRequired`` (sent to sign in).
    """
    queryset = objects_for(request, source)
    try:
        obj = queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        # A malformed id (not a number, not a UUID) is as absent as an unknown one.
        raise Http404 from exc
    if action is not None and not access.can(request.user, action, obj):
        raise PermissionDenied(action)
    return obj


def loads(
    source: Source,
    action: str | None = None,
    *,
    kwarg: str = "pk",
    field: str = "pk",
    as_: str = "obj",
    post_action: str | None = None,
) -> Callable[[Callable], Callable]:
    """The view receives the object its URL names instead of the id.

    ``@loads(AgencyCall, "agencies.call.manage", as_="call")`` on ``def call_detail(request,
    call)``: the URL keyword ``kwarg`` (``pk``) is looked up as ``field`` (``pk``) with
    ``object_for`` and passed as the keyword ``as_``. Anonymous visitors are sent to sign in;
    what the user may not see is 404; ``action`` refused is 403; on a POST, ``post_action``
    (say ``agencies.application.vet`` beside the ``view`` action) refused is 403 too.

    The view is marked with its access policy (``object:<action>``) like
    ``access.per_object``, so the permission-matrix test counts it as declared. Stack
    ``access.requires(...)`` outside it where a list-level action must answer 403 first.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            value = kwargs.pop(kwarg)
            obj = object_for(request, source, action, **{field: value})
            if (
                post_action is not None
                and request.method == "POST"
                and not access.can(request.user, post_action, obj)
            ):
                raise PermissionDenied(post_action)
            kwargs[as_] = obj
            return view(request, *args, **kwargs)

        wrapper.access_policy = f"object:{action or 'visible'}"  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- Forms and services ------------------------------------------------------------------------


def apply_errors(form, error: ValidationError, *, rename: Mapping[str, str] | None = None) -> None:
    """Put a service's ``ValidationError`` on ``form``: each error on the field it names
    (after ``rename``: service name -> form field), unknown fields and plain errors above
    the form (non-field errors)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def _resolve(value: Any, result: Any) -> Any:
    if callable(value) and not isinstance(value, Promise):
        return value(result)
    return value


def _respond(target: Any) -> HttpResponse:
    if isinstance(target, HttpResponse):
        return target
    return redirect(str(target) if isinstance(target, Promise) else target)


def form_action(
    request: HttpRequest,
    form,
    service: Callable[[dict[str, Any]], Any],
    *,
    success_url: Any,
    message: Any = None,
    rename: Mapping[str, str] | None = None,
) -> HttpResponse | None:
    """On a POST with a valid bound ``form``, run ``service(form.cleaned_data)``.

    Success: ``message`` (text, or ``result -> text | None``) is shown as a success
    message and the answer is a redirect to ``success_url`` (a URL, a model with
    ``get_absolute_url``, or ``result -> URL | HttpResponse``). A ``ValidationError`` is
    put on the form (``apply_errors``) and None is returned, as for a GET or an invalid
    form: the view then renders its page with ``form``::

        form = PublishRulesForm(request.POST or None, kind=kind)
        if done := form_action(request, form, lambda data: services.publish_rules(
                request.user, request.agency, kind, data["text"]),
                success_url=reverse("agencies:rules", args=[agency_id]),
                message=_("Published.")):
            return done
        return render(request, "agencies/running/rules.html", {"form": form})
    """
    if request.method != "POST" or not form.is_bound or not form.is_valid():
        return None
    try:
        result = service(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc, rename=rename)
        return None
    text = _resolve(message, result)
    if text:
        messages.success(request, text)
    return _respond(_resolve(success_url, result))


def button_action(
    request: HttpRequest,
    service: Callable[[], Any],
    *,
    success_url: Any,
    message: Any = None,
    failure_url: Any = None,
) -> HttpResponse:
    """A POST without a form (publish, withdraw, remove): run ``service()``; show
    ``message`` (as in ``form_action``) and redirect to ``success_url``, or show each
    message of a ``ValidationError`` as an error and redirect to ``failure_url``
    (default: ``success_url``, which must then not be a callable)."""
    try:
        result = service()
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        target = failure_url if failure_url is not None else success_url
        if callable(target) and not isinstance(target, Promise):
            raise TypeError("give failure_url when success_url is a callable") from exc
        return _respond(target)
    text = _resolve(message, result)
    if text:
        messages.success(request, text)
    return _respond(_resolve(success_url, result))


# --- Breadcrumbs ---------------------------------------------------------------------------------

WORKSPACE: Crumb = (_("Workspace"), reverse_lazy("portal:dashboard"))


def crumbs(*items: Crumb | Any, root: Crumb | None = WORKSPACE) -> list[tuple[Any, str]]:
    """Breadcrumbs (the base template puts 首页 before them): ``root``, then ``items``.

    An item is ``(label, url)`` or a bare label, which is the current page (not a link).
    ``root`` is the workspace (``WORKSPACE``); pass another crumb, or None for pages
    outside the workspace that start from 首页 alone.
    """
    trail = [root, *items] if root is not None else list(items)
    out = []
    for item in trail:
        label, url = item if isinstance(item, tuple) else (item, "")
        out.append((str(label) if isinstance(label, Promise) else label, str(url or "")))
    return out
