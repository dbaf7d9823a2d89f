"""Pages of running a listed agency (Art 16, 19, 22, 27, 28): the agency's published rules and
fees and its change requests (details, scope, serving others, renewal); the officials' listed
agencies with suspension and removal, and their queue of change requests with the decision;
the public list of removed agencies.

Thin views: every change goes through ``agencies.services.running``; every read through
``agencies.queries`` (scoped by ``portal.access``). An object outside the official's
jurisdiction answers 404; a user without an official's role gets 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies import queries, services
from agencies.forms import running as forms
from agencies.models import ChangeKind, ChangeRequest, ChangeStatus, RulesKind
from portal import access
from portal.models import Agency, AgencyKind, AgencyStatus
from portal.ui.helpers import apply_errors, button_action, crumbs, form_action, loads
from portal.ui.queues import read_filters

SANCTION = "agencies.agency.sanction"
DECIDE = "agencies.change.decide"

# --- Published rules and fees (Art 19) ----------------------------------------------------------


def _rules_page(request, bound: forms.PublishRulesForm | None = None):
    sections = queries.rules_sections(
        request.agency, bound, lambda kind: forms.PublishRulesForm(kind=kind)
    )
    is_admin = access.can(request.user, "agencies.rules.publish", request.agency)
    context = {"sections": sections, "is_admin": is_admin}
    return render(request, "agencies/running/rules.html", context)


def rules(request, agency_id: int):
    return _rules_page(request)


@require_POST
def rules_publish(request, agency_id: int):
    kind = request.POST.get("kind", "")
    if kind not in RulesKind.values:
        messages.error(request, _("Choose what you publish."))
        return redirect("agencies:rules", agency_id)
    form = forms.PublishRulesForm(request.POST, kind=kind)
    if done := form_action(
        request,
        form,
        lambda d: services.publish_rules(request.user, request.agency, kind, d["text"]),
        success_url=f"{reverse('agencies:rules', args=[agency_id])}#{kind}",
        message=lambda published: (
            _("Version %(version)d of the %(kind)s is published.")
            % {"version": published.version, "kind": published.get_kind_display()}
        ),
    ):
        return done
    return _rules_page(request, form)


# --- The agency's change requests ---------------------------------------------------------------


def _change_crumbs(agency_id: int, label: str):
    return crumbs(label, root=(_("Change requests"), reverse("agencies:changes", args=[agency_id])))


def _own_changes(request):
    return queries.own_changes(request.agency)


def changes(request, agency_id: int):
    return render(request, "agencies/running/changes.html", queries.changes_page(request.agency))


@loads(_own_changes, as_="change")
def change_detail(request, agency_id: int, change: ChangeRequest):
    context = queries.change_page(change, forms.DetailsChangeForm.labels())
    context["breadcrumbs"] = _change_crumbs(agency_id, change.get_kind_display())
    return render(request, "agencies/running/change_detail.html", context)


@require_POST
@loads(_own_changes, as_="change")
def change_withdraw(request, agency_id: int, change: ChangeRequest):
    return button_action(
        request,
        lambda: services.withdraw_change(request.user, change),
        success_url=reverse("agencies:change", args=[agency_id, change.pk]),
        message=_("The request has been withdrawn."),
    )


def _requested(request, change):
    messages.success(
        request,
        _("Your request (%(kind)s) has been sent to the filing authority.")
        % {"kind": change.get_kind_display()},
    )
    return redirect("agencies:change", request.agency.pk, change.pk)


def _change_form(request, form, kind: ChangeKind, ask, *, show_form: bool = True, **context):
    """A change request from one form: ``ask(data)`` sends it; the form page otherwise."""
    if done := form_action(request, form, ask, success_url=lambda c: _requested(request, c)):
        return done
    context = {"form": form if show_form else None, "title": kind.label, **context}
    context["breadcrumbs"] = _change_crumbs(request.agency.pk, kind.label)
    return render(request, "agencies/running/change_form.html", context)


def change_details(request, agency_id: int):
    agency = request.agency
    initial = forms.DetailsChangeForm.initial_for(agency)
    form = forms.DetailsChangeForm(request.POST or None, initial=initial)
    return _change_form(
        request,
        form,
        ChangeKind.DETAILS,
        lambda d: services.request_details_change(
            request.user,
            agency,
            {k: d[k] for k in forms.DetailsChangeForm.FIELDS},
            d["explanation"],
        ),
        intro=_(
            "Change what differs; the filing authority confirms the change before it takes effect."
        ),
    )


def change_scope(request, agency_id: int):
    data = request.POST if request.method == "POST" else None
    initial = forms.scope_initial(queries.entry_of(request.agency))
    formset = forms.ScopeChangeFormSet(
        data, prefix="scope", initial=initial, form_kwargs={"kind": request.agency.kind}
    )
    extra = forms.ScopeExplanationForm(data)
    problems: list[str] = []
    if data is not None and formset.is_valid() and extra.is_valid():
        if not (items := formset.items()):
            problems.append(_("Keep at least one occupation in the scope."))
        else:
            try:
                change = services.request_scope_change(
                    request.user, request.agency, items, extra.cleaned_data["explanation"]
                )
            except ValidationError as exc:
                problems.extend(exc.messages)
            else:
                return _requested(request, change)
    context = {"formset": formset, "extra": extra, "problems": problems}
    context["breadcrumbs"] = _change_crumbs(agency_id, ChangeKind.SCOPE.label)
    return render(request, "agencies/running/change_scope.html", context)


def change_serve_others(request, agency_id: int):
    agency, entry = request.agency, queries.entry_of(request.agency)
    current = bool(entry and entry.may_serve_others)
    employer = agency.kind == AgencyKind.EMPLOYER
    form = forms.ServeOthersForm(request.POST or None, initial={"value": "0" if current else "1"})
    return _change_form(
        request,
        form,
        ChangeKind.SERVE_OTHERS,
        lambda d: services.request_serve_others(request.user, agency, d["value"], d["explanation"]),
        intro=_(
            "Art 16: an employer assesses its own staff; with the filing authority's "
            "approval it may also assess other employers' staff and the public."
        ),
        current=_("Currently: may also assess other employers' staff and the public.")
        if current
        else _("Currently: assesses its own staff only."),
        show_form=employer,
        not_allowed=None if employer else _("Only employers ask for this (Art 16)."),
    )


def change_renewal(request, agency_id: int):
    entry = queries.entry_of(request.agency)
    return _change_form(
        request,
        forms.RenewalForm(request.POST or None),
        ChangeKind.RENEWAL,
        lambda d: services.request_renewal(request.user, request.agency, d["explanation"]),
        intro=_(
            "Apply to renew the filing term (Art 22). The filing authority checks the "
            "materials and decides."
        ),
        term_end=entry.valid_until if entry else None,
    )


# --- The officials' listed agencies ------------------------------------------------------------


def listed_agencies(request):
    form = forms.ListedFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = queries.listed_agencies_page(request.user, status=status, q=q)
    page = Paginator(context.pop("agencies"), 30).get_page(request.GET.get("page"))
    queries.with_term_days_left(page)
    context.update({"form": form, "page": page})
    context["breadcrumbs"] = crumbs(_("Listed agencies"))
    return render(request, "agencies/running/listed_agencies.html", context)


# action: (form class, service, message on success)
_SANCTIONS = {
    "suspend": (
        forms.SuspendForm,
        services.suspend_agency,
        gettext_lazy("The agency has been suspended."),
    ),
    "remove": (
        forms.RemoveForm,
        services.remove_agency,
        gettext_lazy("The agency has been removed from the directory."),
    ),
}


def _sanction(request, agency, action: str, form):
    """Suspend or remove ``agency`` with the valid ``form``; None when done."""
    if not form.is_valid():
        return form
    try:
        _SANCTIONS[action][1](request.user, agency, **form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return form
    messages.success(request, _SANCTIONS[action][2])
    return None


@loads(
    lambda request: queries.supervised_agencies(request.user),
    kwarg="agency_id",
    as_="agency",
    post_action=SANCTION,
)
def listed_agency(request, agency: Agency):
    """An official's page of a listed agency (after ``requires(QUEUE)``: officials only, 403);
    POST suspends or removes it (the filing authority only, 403)."""
    can_sanction = access.can(request.user, SANCTION, agency)
    bound = {name: form(prefix=name) for name, (form, *_rest) in _SANCTIONS.items()}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in _SANCTIONS:
            raise PermissionDenied("unknown action")
        bound[action] = _SANCTIONS[action][0](request.POST, prefix=action)
        if _sanction(request, agency, action, bound[action]) is None:
            return redirect("agencies:listed_agency", agency.pk)
    context = queries.listed_agency_page(agency)
    context.update({"suspend_form": bound["suspend"], "remove_form": bound["remove"]})
    context["can_sanction"] = can_sanction
    context["can_suspend"] = can_sanction and agency.status in (
        AgencyStatus.LISTED,
        AgencyStatus.LAPSED,
    )
    context["can_remove"] = can_sanction and agency.status != AgencyStatus.REMOVED
    listing = (_("Listed agencies"), reverse("agencies:listed_agencies"))
    context["breadcrumbs"] = crumbs(listing, agency.name)
    return render(request, "agencies/running/listed_agency.html", context)


# --- The officials' change requests ------------------------------------------------------------


def change_requests(request):
    """Opens on the pending requests, longest waiting first (docs/decisions/0027)."""
    filters = read_filters(forms.ChangeFilterForm, request.GET)
    context = queries.change_queue(
        request.user,
        kind=filters["kind"],
        status=filters["status"],
        q=filters.search,
        sort=filters["sort"],
    )
    page = Paginator(context.pop("changes"), 30).get_page(request.GET.get("page"))
    context.update({"form": filters.form, "filters": filters, "page": page})
    context["breadcrumbs"] = crumbs(_("Change requests"))
    return render(request, "agencies/running/change_requests.html", context)


_DECIDED = {
    ChangeStatus.ON_NOTICE: gettext_lazy(
        "Approved: the scope extension is now on public notice (Art 14)."
    ),
    ChangeStatus.APPROVED: gettext_lazy("The change has been approved and applied."),
}


def _decide(request, change, form):
    """Decide ``change`` as the form and the button ask; the decided change, else None."""
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        form.add_error(None, _("Choose to approve or to reject."))
        return None
    if not form.is_valid():
        return None
    try:
        change = services.decide_change(
            request.user, change, approve=decision == "approve", reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    default = gettext_lazy("The change request has been rejected.")
    messages.success(request, _DECIDED.get(change.status, default))
    return change


@loads(lambda request: queries.changes_for_official(request.user), as_="change")
def change_request(request, change: ChangeRequest):
    """An official's page of a change request (after ``requires(QUEUE)``: officials only,
    403); POST decides it: the agency's filing authority only (403)."""
    can_decide = access.can(request.user, DECIDE, change.agency)
    form = forms.DecisionForm()
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied(DECIDE)
        form = forms.DecisionForm(request.POST)
        if (decided := _decide(request, change, form)) is not None:
            return redirect("agencies:change_request", decided.pk)
    context = queries.change_request_page(change)
    context["form"] = form
    context["can_decide"] = can_decide and change.status == ChangeStatus.PENDING
    listing = (_("Change requests"), reverse("agencies:change_requests"))
    context["breadcrumbs"] = crumbs(listing, f"{change.agency.name} · {change.get_kind_display()}")
    return render(request, "agencies/running/change_request.html", context)


# --- Public: agencies removed from the directory (Art 22, 27, 28) -----------------------------


def removed_agencies(request):
    page = Paginator(queries.removed_agencies(), 20).get_page(request.GET.get("page"))
    context = {"page": page}
    home = (_("Agency directory"), reverse("agencies:directory"))
    context["breadcrumbs"] = crumbs(_("Agencies removed from the directory"), root=home)
    return render(request, "agencies/running/removed_agencies.html", context)
