"""Pages of an agency's members (Art 17, 18): the administrator adds members, changes their
role and removes them; staff read the list.

Thin views: every change goes through ``agencies.services.staff``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agencies import queries, services
from agencies.forms.staff import AddMemberForm, RoleForm
from portal import access
from portal.models import AgencyMembership
from portal.roles import AgencyRole
from portal.ui.helpers import apply_errors, crumbs, loads


def _person(user) -> str:
    return f"{user.real_name}（{user.username}）" if user.real_name else user.username


def _crumbs(agency_id: int, label: str):
    return crumbs(label, root=(_("Staff"), reverse("agencies:staff", args=[agency_id])))


def _members(request):
    return queries.members(request.agency)


def staff(request, agency_id: int):
    context = {
        "members": queries.members(request.agency).order_by(
            "user__real_name", "user__username", "role"
        ),
        "is_admin": access.can(request.user, "agencies.staff.manage", request.agency),
        "roles": AgencyRole.choices,
    }
    return render(request, "agencies/staff/staff.html", context)


@never_cache
def staff_add(request, agency_id: int):
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership, password = services.add_member(
                request.user, request.agency, **form.service_fields()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if password is None:
                messages.success(
                    request,
                    _("%(name)s was added as %(role)s.")
                    % {"name": _person(membership.user), "role": membership.get_role_display()},
                )
                return redirect("agencies:staff", agency_id)
            # The one-time password is shown on this response only: never in a message,
            # the session or a log; the page is not cached.
            context = {"membership": membership, "password": password}
            context["breadcrumbs"] = _crumbs(agency_id, _("Add a member"))
            return render(request, "agencies/staff/staff_added.html", context)
    context = {"form": form, "breadcrumbs": _crumbs(agency_id, _("Add a member"))}
    return render(request, "agencies/staff/staff_add.html", context)


@require_POST
@loads(_members, as_="membership")
def staff_role(request, agency_id: int, membership: AgencyMembership):
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("agencies:staff", agency_id)
    try:
        services.change_role(request.user, membership, form.cleaned_data["role"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{_person(membership.user)}：{message}")
    else:
        membership.refresh_from_db()
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": _person(membership.user), "role": membership.get_role_display()},
        )
    return redirect("agencies:staff", agency_id)


def _remove(request, membership):
    """Remove the membership; to the dashboard when the actor removed their last role here."""
    try:
        services.remove_member(request.user, membership)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("agencies:staff", request.agency.pk)
    messages.success(
        request,
        _("%(name)s no longer has the role %(role)s here.")
        % {"name": _person(membership.user), "role": membership.get_role_display()},
    )
    if (
        membership.user_id == request.user.id
        and not queries.members(request.agency).filter(user=request.user).exists()
    ):
        return redirect("portal:dashboard")
    return redirect("agencies:staff", request.agency.pk)


@loads(_members, as_="membership")
def staff_remove(request, agency_id: int, membership: AgencyMembership):
    if request.method == "POST":
        return _remove(request, membership)
    context = {"membership": membership, "person": _person(membership.user)}
    context["breadcrumbs"] = _crumbs(agency_id, _("Remove a member"))
    return render(request, "agencies/staff/staff_remove.html", context)
