"""View helpers of the agencies pages until ``portal.ui.helpers`` offers them (issue 9):
one copy instead of one per module."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _


def apply_errors(form, error: ValidationError, rename: dict | None = None) -> None:
    """Put a service's ValidationError on the form's fields (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def error_messages(request, error: ValidationError, prefix: str = "") -> None:
    """Show a service's refusal as messages above the page."""
    for message in error.messages:
        messages.error(request, f"{prefix}{message}")


def crumbs(*items) -> list[tuple[str, str]]:
    """Breadcrumbs from the workspace root."""
    return [(_("Workspace"), reverse("portal:dashboard")), *items]


def login_first(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None
