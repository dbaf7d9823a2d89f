"""Pages of affiliated employers (Art 16): the employer agency's administrator declares and
withdraws them; its filing authority's officials confirm or refuse each declaration.

Thin views: writes go through ``agencies.services.affiliates``, reads through
``agencies.queries`` (scoped by ``portal.access``: another agency's or another jurisdiction's
declaration answers 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies import queries, services
from agencies.forms import affiliates as forms
from agencies.models import AffiliatedEmployer, AffiliateStatus
from portal import access
from portal.models import jurisdiction_label
from portal.ui.confirm import confirm_page, is_revising, wants_confirmation
from portal.ui.helpers import apply_errors, button_action, crumbs, form_action, loads
from portal.ui.queues import read_filters

DECIDE = "agencies.affiliate.decide"


def _crumbs(agency_id: int, *more):
    listing = (_("Affiliated employers"), reverse("agencies:affiliates", args=[agency_id]))
    return crumbs(listing, *more) if more else crumbs(_("Affiliated employers"))


def _own(request):
    return queries.own_affiliates(request.agency)


def affiliates(request, agency_id: int):
    """The agency's declarations and, while it may declare, the form for a new one."""
    agency = request.agency
    refusal = services.affiliate_declaration_refusal(agency, request.user)
    form = forms.AffiliateForm(request.POST or None)
    if request.method == "POST" and refusal:
        messages.error(request, refusal)
        return redirect("agencies:affiliates", agency_id)
    if done := form_action(
        request,
        form,
        lambda d: services.declare_affiliate(
            request.user, agency, name=d["name"], uscc=d["uscc"], relation=d["relation"]
        ),
        success_url=reverse("agencies:affiliates", args=[agency_id]),
        message=lambda a: (
            _("%(name)s has been declared; the filing authority will decide.") % {"name": a.name}
        ),
    ):
        return done
    rows = list(queries.own_affiliates(agency))
    for row in rows:
        row.withdrawal_refusal = services.affiliate_withdrawal_refusal(row, request.user)
    context = {
        "affiliates": rows,
        "form": form,
        "refusal": refusal,
        "may_serve_others": queries.may_serve_others(agency),
        "filing_authority": jurisdiction_label(agency.filing_jurisdiction)
        if agency.filing_jurisdiction
        else "",
        "breadcrumbs": _crumbs(agency_id),
    }
    return render(request, "agencies/affiliates/affiliates.html", context)


@loads(_own, as_="affiliate")
def affiliate_withdraw(request, agency_id: int, affiliate: AffiliatedEmployer):
    """A confirmation step, then the withdrawal."""
    back = reverse("agencies:affiliates", args=[agency_id])
    if request.method == "POST":
        return button_action(
            request,
            lambda: services.withdraw_affiliate(request.user, affiliate),
            success_url=back,
            message=_("The declaration has been withdrawn."),
        )
    context = {
        "affiliate": affiliate,
        "refusal": services.affiliate_withdrawal_refusal(affiliate, request.user),
        "breadcrumbs": _crumbs(agency_id, _("Withdraw a declaration")),
    }
    return render(request, "agencies/affiliates/withdraw.html", context)


# --- The filing authority ------------------------------------------------------------------------


def affiliate_queue(request):
    """Opens on the declarations waiting, longest waiting first (docs/decisions/0027)."""
    filters = read_filters(forms.AffiliateFilterForm, request.GET)
    context = queries.affiliate_queue(
        request.user, status=filters["status"], q=filters.search, sort=filters["sort"]
    )
    page = Paginator(context.pop("affiliates"), 30).get_page(request.GET.get("page"))
    context.update({"form": filters.form, "filters": filters, "page": page})
    context["breadcrumbs"] = crumbs(_("Affiliated employers"))
    return render(request, "agencies/affiliates/queue.html", context)


@loads(lambda request: queries.affiliates_for_official(request.user), as_="affiliate")
def affiliate_decision(request, affiliate: AffiliatedEmployer):
    """An official's page of a declaration; POST decides it: the filing authority only."""
    can_decide = access.can(request.user, DECIDE, affiliate.agency)
    form = forms.AffiliateDecisionForm()
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied(DECIDE)
        form = forms.AffiliateDecisionForm(request.POST)
        if (done := _decide(request, affiliate, form)) is not None:
            return done
    agency = affiliate.agency
    context = {
        "affiliate": affiliate,
        "agency": agency,
        "form": form,
        "can_decide": can_decide,
        "refusal": services.affiliate_decision_refusal(affiliate, request.user),
        "filing_authority": jurisdiction_label(agency.filing_jurisdiction),
        "same_code_elsewhere": AffiliatedEmployer.objects.filter(
            uscc=affiliate.uscc, status=AffiliateStatus.CONFIRMED
        )
        .exclude(agency=agency)
        .select_related("agency"),
    }
    listing = (_("Affiliated employers"), reverse("agencies:affiliate_queue"))
    context["breadcrumbs"] = crumbs(listing, f"{agency.name} · {affiliate.name}")
    return render(request, "agencies/affiliates/decision.html", context)


def _decide(request, affiliate: AffiliatedEmployer, form):
    """Decide as the form and the button ask, after a confirmation step that restates the
    decision (decision 0026): the confirmation page or the redirect, else None (the form)."""
    decision = request.POST.get("decision")
    if decision not in ("confirm", "refuse"):
        form.add_error(None, _("Choose to confirm or to refuse."))
        return None
    if not form.is_valid() or is_revising(request):
        return None
    confirm, reason = decision == "confirm", form.cleaned_data["reason"]
    if not confirm and not reason.strip():
        form.add_error("reason", _("Give the reason of the refusal."))
        return None
    if wants_confirmation(request):
        if refusal := services.affiliate_decision_refusal(affiliate, request.user):
            form.add_error(None, refusal)
            return None
        return confirm_page(request, **_restatement(affiliate, confirm))
    try:
        services.decide_affiliate(request.user, affiliate, confirm=confirm, reason=reason)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(
        request,
        _("The affiliate has been confirmed.")
        if confirm
        else _("The declaration has been refused."),
    )
    return redirect("agencies:affiliate_decision", affiliate.pk)


def _restatement(affiliate: AffiliatedEmployer, confirm: bool) -> dict:
    """What the confirmation page of a decision on a declaration says will happen."""
    page = reverse("agencies:affiliate_decision", args=[affiliate.pk])
    what = {"employer": affiliate.name, "agency": affiliate.agency.name}
    if confirm:
        points = [
            _("%(employer)s is confirmed as an affiliated employer of %(agency)s.") % what,
            _("Its staff count as the agency's own staff from now on (Art 16)."),
        ]
        label = _("Confirm the affiliate")
    else:
        points = [
            _(
                "The declaration of %(employer)s by %(agency)s is refused: its staff are not the "
                "agency's own."
            )
            % what,
            _("The agency sees the reason and may declare it again."),
        ]
        label = _("Refuse the declaration")
    return {
        "title": _("Affiliated employer"),
        "subject": f"{affiliate.agency.name} · {affiliate.name}",
        "points": points,
        "confirm_label": label,
        "back_url": f"{page}#decision",
        "breadcrumbs": crumbs(
            (_("Affiliated employers"), reverse("agencies:affiliate_queue")), (affiliate.name, page)
        ),
    }
