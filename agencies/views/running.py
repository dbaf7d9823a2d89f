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
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from agencies import queries, services
from agencies.forms import running as forms
from agencies.models import ChangeKind, ChangeRequest, ChangeStatus, RulesKind
from portal import access
from portal.models import Agency, AgencyKind
from portal.templatetags.portal_tags import cndate
from portal.ui.confirm import (
    confirm_page,
    is_confirmed,
    is_revising,
    password_error,
    posted_password,
    wants_confirmation,
)
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


# action: (form class, service, its refusal, message on success)
_SANCTIONS = {
    "suspend": (
        forms.SuspendForm,
        services.suspend_agency,
        services.suspension_refusal,
        gettext_lazy("The agency has been suspended."),
    ),
    "remove": (
        forms.RemoveForm,
        services.remove_agency,
        services.removal_refusal,
        gettext_lazy("The agency has been removed from the directory."),
    ),
}


def _sanction(request, agency, action: str, form):
    """Suspend or remove ``agency`` with the valid ``form`` after the confirmation step, which
    asks the password again (decision 0026). None when done, the confirmation page as a
    response, else the bound form with its errors."""
    _form, service, refusal_of, success = _SANCTIONS[action]
    if is_revising(request) or not form.is_valid():
        return form
    if refusal := refusal_of(agency, request.user):
        form.add_error(None, refusal)
        return form
    restated = _sanction_restatement(request, agency, action, form.cleaned_data)
    if not is_confirmed(request):
        return confirm_page(request, ask_password=True, **restated)
    try:
        service(request.user, agency, **form.cleaned_data, password=posted_password(request))
    except ValidationError as exc:
        if (wrong := password_error(exc)) is not None:
            return confirm_page(request, ask_password=True, password_error=wrong, **restated)
        apply_errors(form, exc)
        return form
    messages.success(request, success)
    return None


def _sanction_restatement(request, agency, action: str, data) -> dict:
    """What the confirmation page of a suspension or a removal says will happen."""
    page = reverse("agencies:listed_agency", args=[agency.pk])
    common = {
        "subject": agency.name,
        "back_url": f"{page}#{action}",
        "breadcrumbs": crumbs(
            (_("Listed agencies"), reverse("agencies:listed_agencies")), (agency.name, page)
        ),
    }
    grounds = [
        _("Reason: %(reason)s") % {"reason": data["reason"]},
        _("Legal basis: %(basis)s") % {"basis": data["legal_basis"]},
    ]
    if action == "suspend":
        return {
            **common,
            "title": _("Confirm the suspension"),
            "confirm_label": _("Suspend the agency"),
            "points": [
                _("%(name)s is suspended from today until %(until)s (Art 27).")
                % {"name": agency.name, "until": cndate(data["until"])},
                _(
                    "Meanwhile it stays in the directory marked as suspended and may not hold "
                    "assessments or issue certificates."
                ),
                _("The suspension is lifted automatically on the day after that date."),
                *grounds,
            ],
        }
    pending = queries.pending_changes_of(agency)
    return {
        **common,
        "title": _("Confirm the removal"),
        "confirm_label": _("Remove from the directory"),
        "points": [
            _(
                "%(name)s leaves the directory at once and can no longer assess (Art 27); it "
                "appears on the public list of removed agencies."
            )
            % {"name": agency.name},
            pending
            and ngettext(
                "Its %(n)d pending change request is closed.",
                "Its %(n)d pending change requests are closed.",
                pending,
            )
            % {"n": pending},
            _("Certificates already issued stay valid and verifiable."),
            _("Follow-up plan, published with the removal (Art 28): %(plan)s")
            % {"plan": data["follow_up_plan"]},
            *grounds,
        ],
        "warning": _("A removal cannot be undone: the agency would have to apply again."),
    }


@loads(
    lambda request: queries.supervised_agencies(request.user),
    kwarg="agency_id",
    as_="agency",
    post_action=SANCTION,
)
def listed_agency(request, agency: Agency):
    """An official's page of a listed agency (after ``requires(QUEUE)``: officials only, 403);
    POST suspends or removes it (the filing authority only, 403), after a confirmation step."""
    bound = {name: form(prefix=name) for name, (form, *_rest) in _SANCTIONS.items()}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in _SANCTIONS:
            raise PermissionDenied("unknown action")
        bound[action] = _SANCTIONS[action][0](request.POST, prefix=action)
        result = _sanction(request, agency, action, bound[action])
        if result is None:
            return redirect("agencies:listed_agency", agency.pk)
        if isinstance(result, HttpResponse):
            return result
    context = queries.listed_agency_page(agency)
    context.update({"suspend_form": bound["suspend"], "remove_form": bound["remove"]})
    context["can_sanction"] = access.can(request.user, SANCTION, agency)
    context["suspend_refusal"] = services.suspension_refusal(agency, request.user)
    context["remove_refusal"] = services.removal_refusal(agency, request.user)
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
    """Decide ``change`` as the form and the button ask, after a confirmation step that
    restates the decision; the decided change, the confirmation page, else None."""
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        form.add_error(None, _("Choose to approve or to reject."))
        return None
    if not form.is_valid() or is_revising(request):
        return None
    if wants_confirmation(request):
        if refusal := services.change_decision_refusal(change, request.user):
            form.add_error(None, refusal)
            return None
        restated = _change_restatement(change, decision == "approve", form.cleaned_data)
        return confirm_page(request, **restated)
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


def _change_restatement(change, approve: bool, data) -> dict:
    """What the confirmation page of a decision on a change request says will happen."""
    page = reverse("agencies:change_request", args=[change.pk])
    facts = queries.change_request_page(change)
    what = {"agency": change.agency.name, "kind": change.get_kind_display()}
    if not approve:
        points = [
            _("The request of %(agency)s (%(kind)s) is rejected: nothing changes.") % what,
        ]
    elif facts.get("goes_to_notice"):
        points = [
            _("The request of %(agency)s (%(kind)s) is approved.") % what,
            _(
                "The scope extension first goes to public notice; the wider scope applies only "
                "when the notice closes without an upheld objection (Art 14)."
            ),
        ]
    elif facts.get("renewal_until"):
        points = [
            _("The request of %(agency)s (%(kind)s) is approved.") % what,
            _("The filing term is extended until %(date)s (Art 22).")
            % {"date": cndate(facts["renewal_until"])},
        ]
    else:
        points = [
            _("The request of %(agency)s (%(kind)s) is approved.") % what,
            _("The change applies at once, in the directory too."),
        ]
    points.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
    listing = (_("Change requests"), reverse("agencies:change_requests"))
    return {
        "title": _("Confirm the approval") if approve else _("Confirm the rejection"),
        "subject": f"{change.agency.name} · {change.get_kind_display()}",
        "points": points,
        "confirm_label": _("Approve the request") if approve else _("Reject the request"),
        "back_url": f"{page}#decision",
        "breadcrumbs": crumbs(listing, (change.agency.name, page)),
    }


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
        if isinstance(decided := _decide(request, change, form), HttpResponse):
            return decided
        if decided is not None:
            return redirect("agencies:change_request", decided.pk)
    context = queries.change_request_page(change)
    context["form"] = form
    context["can_decide"] = can_decide
    context["decision_refusal"] = services.change_decision_refusal(change, request.user)
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
