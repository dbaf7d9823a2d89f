"""Officials' supervision of listed agencies (Art 16, 22, 27, 28): the agencies of their
jurisdiction with suspension and removal, the queue of change requests with the decision, and
the public list of removed agencies.

Thin views: every change goes through ``agencies.services.running``; every read is scoped by
``portal.access.visible``. An object outside the user's jurisdiction answers 404; a user
without an official's role gets 403."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import forms_officials as forms
from agencies.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    DirectoryEntry,
    Sanction,
    SanctionKind,
)
from agencies.services import running
from agencies.services.changes import decide_change
from agencies.services.listing import term_end
from catalog.models import Occupation, SkillLevel, WorkType
from portal import access, clock
from portal.models import Agency, AgencyKind, AgencyStatus, jurisdiction_label
from portal.notice_models import PublicNotice
from portal.notices import subject_key

QUEUE = "agencies.change.queue"


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _crumbs(*tail) -> list[tuple[str, str]]:
    return [(_("Workspace"), reverse("portal:dashboard")), *tail]


def _gate(request):
    """Sign in first; officials only (403); the object itself is then scoped (404)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can(request.user, QUEUE):
        raise PermissionDenied(QUEUE)
    return None


def _authority(code: str) -> str:
    return _("Nationwide") if code == "000000" else jurisdiction_label(code)


# --- Listed agencies ---------------------------------------------------------------------------


def _supervised(user):
    return access.visible(
        user, Agency.objects.filter(status__in=forms.SUPERVISED_STATUSES)
    ).select_related("directory_entry", "registered_province")


def listed_agencies(request):
    form = forms.ListedFilterForm(request.GET or None)
    agencies = _supervised(request.user)
    counts = dict(agencies.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    status = form.cleaned_data["status"] if form.is_valid() else ""
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if status:
        agencies = agencies.filter(status=status)
    if q:
        agencies = agencies.filter(name__contains=q)
    today = clock.today()
    page = Paginator(agencies.order_by("name", "pk"), 30).get_page(request.GET.get("page"))
    for agency in page:
        entry = getattr(agency, "directory_entry", None)
        agency.term_days_left = (entry.valid_until - today).days if entry else None
    statuses = [
        (value, label, counts.get(value, 0))
        for value, label in AgencyStatus.choices
        if value in forms.SUPERVISED_STATUSES
    ]
    return render(
        request,
        "agencies/officials/listed.html",
        {
            "form": form,
            "page": page,
            "statuses": statuses,
            "status": status,
            "q": q,
            "total": sum(counts.values()),
            "breadcrumbs": _crumbs((_("Listed agencies"), "")),
        },
    )


def _scope_items(entry):
    if entry is None:
        return []
    items = list(
        entry.scope.select_related("occupation", "work_type", "standard", "spec").prefetch_related(
            "levels"
        )
    )
    for item in items:
        item.level_text = "、".join(
            lv.display for lv in sorted(item.levels.all(), key=lambda lv: -lv.rank)
        )
    return items


def listed_agency(request, agency_id: int):
    if (gate := _gate(request)) is not None:
        return gate
    agency = get_object_or_404(_supervised(request.user), pk=agency_id)
    can_sanction = access.can(request.user, "agencies.agency.sanction", agency)
    suspend_form = forms.SuspendForm(prefix="suspend")
    remove_form = forms.RemoveForm(prefix="remove")
    if request.method == "POST":
        if not can_sanction:
            raise PermissionDenied("agencies.agency.sanction")
        action = request.POST.get("action")
        if action == "suspend":
            suspend_form = forms.SuspendForm(request.POST, prefix="suspend")
            if suspend_form.is_valid():
                try:
                    running.suspend_agency(request.user, agency, **suspend_form.cleaned_data)
                except ValidationError as exc:
                    _apply_errors(suspend_form, exc)
                else:
                    messages.success(request, _("The agency has been suspended."))
                    return redirect("agencies:listed_agency", agency.pk)
        elif action == "remove":
            remove_form = forms.RemoveForm(request.POST, prefix="remove")
            if remove_form.is_valid():
                try:
                    running.remove_agency(request.user, agency, **remove_form.cleaned_data)
                except ValidationError as exc:
                    _apply_errors(remove_form, exc)
                else:
                    messages.success(request, _("The agency has been removed from the directory."))
                    return redirect("agencies:listed_agency", agency.pk)
        else:
            raise PermissionDenied("unknown action")
    entry = DirectoryEntry.objects.filter(agency=agency).select_related("application__call").first()
    sanctions = list(agency.sanctions.select_related("decided_by"))
    return render(
        request,
        "agencies/officials/agency.html",
        {
            "agency": agency,
            "entry": entry,
            "filing_authority": _authority(agency.filing_jurisdiction),
            "term_days_left": (entry.valid_until - clock.today()).days if entry else None,
            "scope": _scope_items(entry),
            "sites": agency.sites.select_related("province").order_by("province", "name"),
            "changes": agency.change_requests.select_related("decided_by"),
            "sanctions": sanctions,
            "open_suspension": next(
                (s for s in sanctions if s.kind == SanctionKind.SUSPENSION and s.lifted_at is None),
                None,
            ),
            "refusal": running.assessment_refusal(agency),
            "can_sanction": can_sanction,
            "can_suspend": can_sanction
            and agency.status in (AgencyStatus.LISTED, AgencyStatus.LAPSED),
            "can_remove": can_sanction and agency.status != AgencyStatus.REMOVED,
            "suspend_form": suspend_form,
            "remove_form": remove_form,
            "breadcrumbs": _crumbs(
                (_("Listed agencies"), reverse("agencies:listed_agencies")), (agency.name, "")
            ),
        },
    )


# --- Change requests ---------------------------------------------------------------------------


def _changes(user):
    return access.visible(user, ChangeRequest.objects.all()).select_related(
        "agency", "requested_by", "decided_by"
    )


def change_requests(request):
    form = forms.ChangeFilterForm(request.GET or None)
    changes = _changes(request.user)
    pending = changes.filter(status=ChangeStatus.PENDING).count()
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if kind:
        changes = changes.filter(kind=kind)
    if status:
        changes = changes.filter(status=status)
    changes = changes.annotate(
        waiting=Case(
            When(status=ChangeStatus.PENDING, then=Value(0)),
            When(status=ChangeStatus.ON_NOTICE, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "-requested_at", "-pk")
    page = Paginator(changes, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/officials/changes.html",
        {
            "form": form,
            "page": page,
            "pending": pending,
            "filtered": bool(kind or status),
            "breadcrumbs": _crumbs((_("Change requests"), "")),
        },
    )


def _scope_key(item: dict) -> tuple:
    return (item["occupation"], item["work_type"])


def _scope_rows(before: list[dict], after: list[dict]) -> list[dict]:
    """One row per occupation (work type): levels before and after, added and dropped."""
    codes = {s["occupation"] for s in before + after}
    names = dict(Occupation.objects.filter(code__in=codes).values_list("code", "name"))
    work_types = dict(
        WorkType.objects.filter(
            pk__in=[s["work_type"] for s in before + after if s["work_type"]]
        ).values_list("pk", "name")
    )
    levels = {lv.pk: lv for lv in SkillLevel.objects.all()}

    def text(pks) -> str:
        found = sorted((levels[p] for p in pks if p in levels), key=lambda lv: -lv.rank)
        return "、".join(lv.display for lv in found) or "—"

    old = {_scope_key(s): set(s["levels"]) for s in before}
    new = {_scope_key(s): set(s["levels"]) for s in after}
    rows = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[0], k[1] or 0)):
        was, will = old.get(key, set()), new.get(key, set())
        rows.append(
            {
                "occupation": f"{key[0]} {names.get(key[0], '')}",
                "work_type": work_types.get(key[1], ""),
                "before": text(was),
                "after": text(will),
                "added": text(will - was) if will - was else "",
                "dropped": text(was - will) if was - will else "",
            }
        )
    return rows


def _is_extension(change: ChangeRequest) -> bool:
    def flat(scope):
        return {(s["occupation"], s["work_type"], lv) for s in scope for lv in s["levels"]}

    return bool(flat(change.payload.get("scope", [])) - flat(change.before.get("scope", [])))


def _change_context(change: ChangeRequest) -> dict:
    agency = change.agency
    entry = DirectoryEntry.objects.filter(agency=agency).select_related("application__call").first()
    context: dict = {"entry": entry}
    if change.kind == ChangeKind.DETAILS:
        context["detail_rows"] = [
            (
                Agency._meta.get_field(field).verbose_name,
                change.before.get(field, ""),
                value,
            )
            for field, value in change.payload.items()
        ]
    elif change.kind == ChangeKind.SCOPE:
        context["scope_rows"] = _scope_rows(
            change.before.get("scope", []), change.payload.get("scope", [])
        )
        context["is_extension"] = _is_extension(change)
        context["goes_to_notice"] = context["is_extension"] and agency.kind == AgencyKind.SOCIAL_ORG
    elif change.kind == ChangeKind.SERVE_OTHERS:
        context["serve_before"] = change.before.get("may_serve_others")
        context["serve_after"] = change.payload.get("may_serve_others")
    elif change.kind == ChangeKind.RENEWAL and entry is not None:
        start = max(entry.valid_until + dt.timedelta(days=1), clock.today())
        context["renewal_until"] = term_end(start, entry.application.call.filing_term_years)
        context["term_years"] = entry.application.call.filing_term_years
    context["notice"] = (
        PublicNotice.objects.filter(subject=subject_key(change)).order_by("-pk").first()
    )
    return context


def change_request(request, pk: int):
    if (gate := _gate(request)) is not None:
        return gate
    change = get_object_or_404(_changes(request.user), pk=pk)
    can_decide = access.can(request.user, "agencies.change.decide", change.agency)
    form = forms.DecisionForm()
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied("agencies.change.decide")
        form = forms.DecisionForm(request.POST)
        decision = request.POST.get("decision")
        if decision not in ("approve", "reject"):
            form.add_error(None, _("Choose to approve or to reject."))
        elif form.is_valid():
            try:
                change = decide_change(
                    request.user,
                    change,
                    approve=decision == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if change.status == ChangeStatus.ON_NOTICE:
                    messages.success(
                        request,
                        _("Approved: the scope extension is now on public notice (Art 14)."),
                    )
                elif change.status == ChangeStatus.APPROVED:
                    messages.success(request, _("The change has been approved and applied."))
                else:
                    messages.success(request, _("The change request has been rejected."))
                return redirect("agencies:change_request", change.pk)
    return render(
        request,
        "agencies/officials/change.html",
        {
            "change": change,
            "agency": change.agency,
            "form": form,
            "can_decide": can_decide and change.status == ChangeStatus.PENDING,
            "filing_authority": _authority(change.agency.filing_jurisdiction),
            **_change_context(change),
            "breadcrumbs": _crumbs(
                (_("Change requests"), reverse("agencies:change_requests")),
                (f"{change.agency.name} · {change.get_kind_display()}", ""),
            ),
        },
    )


# --- Public: agencies removed from the directory (Art 22, 27, 28) -----------------------------


def removed_agencies(request):
    removals = (
        Sanction.objects.filter(kind=SanctionKind.REMOVAL, agency__status=AgencyStatus.REMOVED)
        .select_related("agency")
        .order_by("-starts_on", "-decided_at")
    )
    page = Paginator(removals, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/public/removed.html",
        {
            "page": page,
            "breadcrumbs": [
                (_("Agency directory"), reverse("agencies:directory")),
                (_("Agencies removed from the directory"), ""),
            ],
        },
    )
