"""Views of a listed agency's own running (Art 16, 19, 22): its members, its published rules
and fees, and its change requests (details, scope, serving others, renewal)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agencies import services
from agencies.forms_running import (
    AddMemberForm,
    DetailsChangeForm,
    PublishRulesForm,
    RenewalForm,
    RoleForm,
    ScopeChangeFormSet,
    ScopeExplanationForm,
    ServeOthersForm,
)
from agencies.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    DirectoryEntry,
    PublishedRules,
    RulesKind,
)
from catalog.models import Occupation, SkillLevel, WorkType
from portal.audit_models import AuditEntry
from portal.models import AgencyKind, AgencyMembership
from portal.roles import AgencyRole


def _errors_to(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, else above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _is_admin(request) -> bool:
    return AgencyRole.ADMIN in request.agency_roles


# --- Members ----------------------------------------------------------------------------------


def staff(request, agency_id: int):
    members = AgencyMembership.objects.filter(agency=request.agency).select_related("user")
    return render(
        request,
        "agencies/running/staff.html",
        {
            "members": members.order_by("user__real_name", "user__username", "role"),
            "is_admin": _is_admin(request),
            "roles": AgencyRole.choices,
        },
    )


@never_cache
def staff_add(request, agency_id: int):
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership, password = services.add_member(
                request.user,
                request.agency,
                role=data["role"],
                username=data["username"],
                real_name=data["real_name"],
                email=data["email"],
                phone=data["phone"],
                create=data["account"] == AddMemberForm.NEW,
            )
        except ValidationError as exc:
            _errors_to(form, exc)
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
            return render(
                request,
                "agencies/running/staff_added.html",
                {
                    "membership": membership,
                    "password": password,
                    "breadcrumbs": _staff_crumbs(agency_id, _("Add a member")),
                },
            )
    return render(
        request,
        "agencies/running/staff_add.html",
        {"form": form, "breadcrumbs": _staff_crumbs(agency_id, _("Add a member"))},
    )


def _person(user) -> str:
    return f"{user.real_name}（{user.username}）" if user.real_name else user.username


def _staff_crumbs(agency_id: int, label: str):
    return [(_("Staff"), reverse("agencies:staff", args=[agency_id])), (label, "")]


def _membership(request, pk: int) -> AgencyMembership:
    return get_object_or_404(
        AgencyMembership.objects.select_related("user"), pk=pk, agency=request.agency
    )


@require_POST
def staff_role(request, agency_id: int, pk: int):
    membership = _membership(request, pk)
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


def staff_remove(request, agency_id: int, pk: int):
    membership = _membership(request, pk)
    if request.method == "POST":
        try:
            services.remove_member(request.user, membership)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s no longer has the role %(role)s here.")
                % {"name": _person(membership.user), "role": membership.get_role_display()},
            )
            if (
                membership.user_id == request.user.id
                and not AgencyMembership.objects.filter(
                    user=request.user, agency=request.agency
                ).exists()
            ):
                return redirect("portal:dashboard")
        return redirect("agencies:staff", agency_id)
    return render(
        request,
        "agencies/running/staff_remove.html",
        {
            "membership": membership,
            "person": _person(membership.user),
            "breadcrumbs": _staff_crumbs(agency_id, _("Remove a member")),
        },
    )


# --- Published rules and fees (Art 19) ----------------------------------------------------------


def _rules_page(request, bound: PublishRulesForm | None = None, status: int = 200):
    versions: dict[str, list[PublishedRules]] = {k: [] for k in RulesKind.values}
    for rules in PublishedRules.objects.filter(agency=request.agency).select_related(
        "published_by"
    ):
        versions[rules.kind].append(rules)
    sections = []
    for kind in RulesKind:
        history = sorted(versions[kind.value], key=lambda r: -r.version)
        form = bound if bound is not None and bound.kind == kind.value else None
        sections.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "current": history[0] if history else None,
                "earlier": history[1:],
                "form": form or PublishRulesForm(kind=kind.value),
                "open": form is not None,
            }
        )
    return render(
        request,
        "agencies/running/rules.html",
        {"sections": sections, "is_admin": _is_admin(request)},
        status=status,
    )


def rules(request, agency_id: int):
    return _rules_page(request)


@require_POST
def rules_publish(request, agency_id: int):
    kind = request.POST.get("kind", "")
    if kind not in RulesKind.values:
        messages.error(request, _("Choose what you publish."))
        return redirect("agencies:rules", agency_id)
    form = PublishRulesForm(request.POST, kind=kind)
    if form.is_valid():
        try:
            published = services.publish_rules(
                request.user, request.agency, kind, form.cleaned_data["text"]
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)d of the %(kind)s is published.")
                % {"version": published.version, "kind": published.get_kind_display()},
            )
            return redirect(f"{reverse('agencies:rules', args=[agency_id])}#{kind}")
    return _rules_page(request, form, status=200)


# --- Change requests ----------------------------------------------------------------------------


def _entry(request) -> DirectoryEntry | None:
    return DirectoryEntry.objects.filter(agency=request.agency).first()


def changes(request, agency_id: int):
    entry = _entry(request)
    return render(
        request,
        "agencies/running/changes.html",
        {
            "entry": entry,
            "changes": ChangeRequest.objects.filter(agency=request.agency).select_related(
                "requested_by"
            ),
            "is_employer": request.agency.kind == AgencyKind.EMPLOYER,
            "refusal": services.assessment_refusal(request.agency) if entry else None,
        },
    )


def _change_crumbs(agency_id: int, label: str):
    return [(_("Change requests"), reverse("agencies:changes", args=[agency_id])), (label, "")]


def _level_names(pks) -> str:
    levels = {lv.pk: lv for lv in SkillLevel.objects.filter(pk__in=pks)}
    return "、".join(levels[pk].display for pk in sorted(pks, key=lambda p: -levels[p].rank))


def _scope_rows(scope: list[dict]) -> list[str]:
    names = dict(
        Occupation.objects.filter(code__in=[s["occupation"] for s in scope]).values_list(
            "code", "name"
        )
    )
    work_types = dict(
        WorkType.objects.filter(
            pk__in=[s["work_type"] for s in scope if s["work_type"]]
        ).values_list("pk", "name")
    )
    rows = []
    for s in scope:
        label = f"{s['occupation']} {names.get(s['occupation'], '')}"
        if s["work_type"]:
            label += f"（{work_types.get(s['work_type'], '')}）"
        rows.append(f"{label}：{_level_names(s['levels'])}")
    return rows


def describe_change(change: ChangeRequest) -> list[tuple[str, list, list]]:
    """(what, lines before, lines after) rows of a change request, for people."""
    if change.kind == ChangeKind.DETAILS:
        labels = {k: f.label for k, f in DetailsChangeForm.base_fields.items()}
        return [
            (str(labels.get(k, k)), [change.before.get(k) or "—"], [v or "—"])
            for k, v in change.payload.items()
        ]
    if change.kind == ChangeKind.SCOPE:
        return [
            (
                _("Scope"),
                _scope_rows(change.before.get("scope", [])),
                _scope_rows(change.payload.get("scope", [])),
            )
        ]
    if change.kind == ChangeKind.SERVE_OTHERS:
        yes, no = _("Yes"), _("No")
        return [
            (
                _("May also assess other employers' staff and the public"),
                [yes if change.before.get("may_serve_others") else no],
                [yes if change.payload.get("may_serve_others") else no],
            )
        ]
    return [
        (
            _("Filing term ends on"),
            [change.before.get("valid_until", "")],
            [_("Renewed by the filing authority")],
        )
    ]


def change_detail(request, agency_id: int, pk: int):
    change = get_object_or_404(
        ChangeRequest.objects.select_related("requested_by", "decided_by"),
        pk=pk,
        agency=request.agency,
    )
    history = AuditEntry.objects.filter(
        object_type="agencies.changerequest", object_id=str(change.pk)
    ).order_by("seq", "created_at")
    return render(
        request,
        "agencies/running/change_detail.html",
        {
            "change": change,
            "rows": describe_change(change),
            "history": history,
            "withdrawable": change.status == ChangeStatus.PENDING,
            "breadcrumbs": _change_crumbs(agency_id, change.get_kind_display()),
        },
    )


@require_POST
def change_withdraw(request, agency_id: int, pk: int):
    change = get_object_or_404(ChangeRequest, pk=pk, agency=request.agency)
    try:
        services.withdraw_change(request.user, change)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect("agencies:change", agency_id, pk)


def _requested(request, change: ChangeRequest):
    messages.success(
        request,
        _("Your request (%(kind)s) has been sent to the filing authority.")
        % {"kind": change.get_kind_display()},
    )
    return redirect("agencies:change", request.agency.pk, change.pk)


def change_details(request, agency_id: int):
    agency = request.agency
    form = DetailsChangeForm(request.POST or None, initial=DetailsChangeForm.initial_for(agency))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.request_details_change(
                request.user,
                agency,
                {k: data[k] for k in DetailsChangeForm.FIELDS},
                data["explanation"],
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            return _requested(request, change)
    return render(
        request,
        "agencies/running/change_form.html",
        {
            "form": form,
            "title": ChangeKind.DETAILS.label,
            "intro": _(
                "Change what differs; the filing authority confirms the change before it "
                "takes effect."
            ),
            "breadcrumbs": _change_crumbs(agency_id, ChangeKind.DETAILS.label),
        },
    )


def _scope_initial(entry: DirectoryEntry | None) -> list[dict]:
    if entry is None:
        return []
    return [
        {
            "occupation": s.occupation.code,
            "work_type": s.work_type.name if s.work_type else "",
            "levels": [lv.pk for lv in s.levels.all()],
        }
        for s in entry.scope.select_related("occupation", "work_type").prefetch_related("levels")
    ]


def change_scope(request, agency_id: int):
    agency = request.agency
    data = request.POST if request.method == "POST" else None
    formset = ScopeChangeFormSet(
        data,
        prefix="scope",
        initial=_scope_initial(_entry(request)),
        form_kwargs={"kind": agency.kind},
    )
    extra = ScopeExplanationForm(data)
    problems: list[str] = []
    if data is not None and formset.is_valid() and extra.is_valid():
        items = [
            (
                f.cleaned_data["occupation"],
                f.cleaned_data["work_type"],
                list(f.cleaned_data["levels"]),
            )
            for f in formset.kept()
        ]
        if not items:
            problems.append(_("Keep at least one occupation in the scope."))
        else:
            try:
                change = services.request_scope_change(
                    request.user, agency, items, extra.cleaned_data["explanation"]
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for errors in exc.message_dict.values():
                        problems.extend(errors)
                else:
                    problems.extend(exc.messages)
            else:
                return _requested(request, change)
    return render(
        request,
        "agencies/running/change_scope.html",
        {
            "formset": formset,
            "extra": extra,
            "problems": problems,
            "breadcrumbs": _change_crumbs(agency_id, ChangeKind.SCOPE.label),
        },
    )


def change_serve_others(request, agency_id: int):
    agency, entry = request.agency, _entry(request)
    current = bool(entry and entry.may_serve_others)
    form = ServeOthersForm(request.POST or None, initial={"value": "0" if current else "1"})
    if request.method == "POST" and form.is_valid():
        try:
            change = services.request_serve_others(
                request.user, agency, form.cleaned_data["value"], form.cleaned_data["explanation"]
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            return _requested(request, change)
    return render(
        request,
        "agencies/running/change_form.html",
        {
            "form": form if agency.kind == AgencyKind.EMPLOYER else None,
            "title": ChangeKind.SERVE_OTHERS.label,
            "intro": _(
                "Art 16: an employer assesses its own staff; with the filing authority's "
                "approval it may also assess other employers' staff and the public."
            ),
            "current": _("Currently: may also assess other employers' staff and the public.")
            if current
            else _("Currently: assesses its own staff only."),
            "not_allowed": None
            if agency.kind == AgencyKind.EMPLOYER
            else _("Only employers ask for this (Art 16)."),
            "breadcrumbs": _change_crumbs(agency_id, ChangeKind.SERVE_OTHERS.label),
        },
    )


def change_renewal(request, agency_id: int):
    entry = _entry(request)
    form = RenewalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.request_renewal(
                request.user, request.agency, form.cleaned_data["explanation"]
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            return _requested(request, change)
    return render(
        request,
        "agencies/running/change_form.html",
        {
            "form": form,
            "title": ChangeKind.RENEWAL.label,
            "intro": _(
                "Apply to renew the filing term (Art 22). The filing authority checks the "
                "materials and decides."
            ),
            "term_end": entry.valid_until if entry else None,
            "breadcrumbs": _change_crumbs(agency_id, ChangeKind.RENEWAL.label),
        },
    )
