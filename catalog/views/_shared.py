"""View helpers of the catalog until ``portal.ui.helpers`` offers them (decision 0017)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def crumbs(*tail) -> list[tuple[str, str]]:
    return [(_("Workspace"), reverse("portal:dashboard")), *tail]
