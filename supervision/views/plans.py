"""Pages of spot-check plans and their draw (Art 25, 26; decisions 0055, 0060).

Officials of the jurisdiction: the list, a draft's form, its object pool with computed tiers
and adjustments, approval (sealing) and the draw, both confirmed with the password (decision
0026), and the drawn list with the people's names. The public (no sign-in): the sealed and
drawn plans with everything needed to re-run the draw, the snapshot's exact bytes and a page
that re-runs it. Thin views: every change goes through ``supervision.services.plans``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from portal import access
from portal.roles import AuthorityRole as R
from portal.ui.confirm import is_revising, with_password
from portal.ui.helpers import crumbs, form_action, loads
from supervision.forms.plans import (
    AdjustForm,
    ApproveForm,
    CloseForm,
    DrawForm,
    PlanForm,
    VerifyForm,
)
from supervision.models import PlanKind, PlanState
from supervision.queries import plans as queries
from supervision.services import plans as services

VIEW = "supervision.plans.view"
MANAGE = "supervision.plans.manage"


def _plans(request):
    return queries.plans_for(request.user)


def _kinds(user) -> list[str]:
    roles = user.authority_roles()
    kinds = []
    if roles & {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL}:
        kinds.append(PlanKind.SPOT_CHECK)
    if R.OSTA_STAFF in roles:
        kinds.append(PlanKind.QUALITY)
    return kinds


def _trail(plan=None, *more):
    items = [(_("Spot-check plans"), reverse("supervision:plans"))]
    if plan is not None:
        items.append((plan.title, reverse("supervision:plan", args=[plan.pk])))
    return crumbs(*items, *more)


def plans(request):
    rows = list(queries.plans_for(request.user))
    context = {
        "rows": rows,
        "can_create": bool(_kinds(request.user)),
        "breadcrumbs": crumbs(_("Spot-check plans")),
    }
    return render(request, "supervision/plans/list.html", context)


def _form(request, plan=None):
    kinds = [plan.kind] if plan else _kinds(request.user)
    return PlanForm(
        request.POST or None,
        initial=PlanForm.initial_of(plan) if plan else None,
        jurisdiction=plan.jurisdiction if plan else request.user.jurisdiction,
        kinds=kinds,
    )


def plan_new(request):
    form = _form(request)
    if done := form_action(
        request,
        form,
        lambda data: services.create_plan(request.user, data),
        success_url=lambda plan: reverse("supervision:plan", args=[plan.pk]),
        message=_("The draft plan was saved. Check its object pool, then approve it."),
    ):
        return done
    title = _("New spot-check plan")
    context = {"form": form, "title": title, "breadcrumbs": _trail(None, title)}
    return render(request, "supervision/plans/form.html", context)


@loads(_plans, MANAGE, as_="plan")
def plan_edit(request, plan):
    form = _form(request, plan)
    refusal = services.edit_refusal(plan)
    if not refusal and (
        done := form_action(
            request,
            form,
            lambda data: services.update_plan(request.user, plan, data),
            success_url=reverse("supervision:plan", args=[plan.pk]),
            message=_("The draft plan was saved."),
        )
    ):
        return done
    title = _("Change the draft plan")
    context = {
        "form": form,
        "plan": plan,
        "title": title,
        "refusal": refusal,
        "breadcrumbs": _trail(plan, title),
    }
    return render(request, "supervision/plans/form.html", context)


def _task_url(task, plan) -> str:
    """The page of a drawn object: its inspection, or its external supervision visit."""
    if task is None:
        return ""
    name = (
        "supervision:quality_visit" if plan.kind == PlanKind.QUALITY else "supervision:inspection"
    )
    return reverse(name, args=[task.pk])


@loads(_plans, VIEW, as_="plan")
def plan(request, plan):
    manages = access.can(request.user, MANAGE, plan)
    context = {
        "plan": plan,
        "manages": manages,
        "check_items": queries.check_items_of(plan),
        "breadcrumbs": _trail(None, plan.title),
        "edit_refusal": services.edit_refusal(plan),
        "draw_refusal": services.draw_refusal(plan),
        "close_refusal": services.close_refusal(plan),
    }
    if plan.state == PlanState.DRAFT:
        pool = queries.pool_preview(plan)
        context["pool"] = pool
        context["tiers"] = queries.tier_table(plan, queries.tier_sizes(pool))
        context["adjust_form"] = AdjustForm()
        context["tier_choices"] = AdjustForm.base_fields["tier"].choices
    else:
        context["tiers"] = queries.public_tiers(plan)
        context["adjustments"] = queries.published_adjustments(plan)
        rows = queries.drawn_rows(plan, with_names=True)
        for row in rows:
            row.url = _task_url(row.task, plan)
        context["drawn"] = rows
    return render(request, "supervision/plans/plan.html", context)


@loads(_plans, MANAGE, as_="plan")
def plan_adjust(request, plan):
    """POST only: adjust one agency's tier in a draft plan."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    from portal.models import Agency

    form = AdjustForm(request.POST)
    back = reverse("supervision:plan", args=[plan.pk]) + "#pool"
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(back)
    data = form.cleaned_data
    agency = Agency.objects.filter(pk=data["agency"]).first()
    try:
        services.adjust_tier(request.user, plan, agency, data["tier"], data["reason"])
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("The tier was adjusted; the reason is published with the plan.")
        )
    return redirect(back)


@loads(_plans, MANAGE, as_="plan")
def plan_approve(request, plan):
    """Approve and seal, confirmed with the password (decision 0026)."""
    form = ApproveForm(request.POST or None)
    refusal = services.approve_refusal(plan)
    page = reverse("supervision:plan", args=[plan.pk])
    trail = _trail(plan, _("Approve and seal"))
    if request.method == "POST" and not is_revising(request) and form.is_valid():
        data = form.cleaned_data
        if refusal:
            form.add_error(None, refusal)
        else:
            restated = {
                "title": _("Confirm the approval"),
                "subject": plan.title,
                "points": [
                    _(
                        "The object pool and the inspector pool are sealed now; the plan cannot be "
                        "changed afterwards."
                    ),
                    _(
                        "The sealed digest, the digest of the secret and the randomness source are "
                        "published on the plan's public page at once."
                    ),
                    _("The draw uses the public numbers of %(source)s of %(date)s.")
                    % {
                        "source": data["randomness_source"],
                        "date": data["randomness_date"].isoformat(),
                    },
                ],
                "confirm_label": _("Approve and seal"),
                "back_url": page,
                "breadcrumbs": trail,
            }
            answer = with_password(
                request,
                form,
                restated,
                lambda: services.approve_plan(
                    request.user,
                    plan,
                    randomness_source=data["randomness_source"],
                    randomness_date=data["randomness_date"],
                ),
                _("The plan was approved and its pools sealed."),
                page,
            )
            if answer is not None:
                return answer
    context = {"plan": plan, "form": form, "refusal": refusal, "breadcrumbs": trail}
    return render(request, "supervision/plans/approve.html", context)


@loads(_plans, MANAGE, as_="plan")
def plan_draw(request, plan):
    """Enter the public numbers and draw, confirmed with the password; once only."""
    form = DrawForm(request.POST or None)
    refusal = services.draw_refusal(plan)
    page = reverse("supervision:plan", args=[plan.pk])
    trail = _trail(plan, _("Draw"))
    if request.method == "POST" and not is_revising(request) and form.is_valid():
        numbers = form.cleaned_data["numbers"]
        if refusal:
            form.add_error(None, refusal)
        else:
            restated = {
                "title": _("Confirm the draw"),
                "subject": plan.title,
                "points": [
                    _("Public numbers: %(numbers)s (%(source)s, %(date)s).")
                    % {
                        "numbers": numbers,
                        "source": plan.randomness_source,
                        "date": plan.randomness_date.isoformat(),
                    },
                    _(
                        "The draw is final: the drawn list is frozen and the plan can never be "
                        "drawn again."
                    ),
                    _(
                        "The secret, the seed and the drawn list are published with the sealed "
                        "snapshot, so anyone can re-run the draw."
                    ),
                ],
                "confirm_label": _("Draw"),
                "back_url": page,
                "breadcrumbs": trail,
            }
            answer = with_password(
                request,
                form,
                restated,
                lambda: services.draw_plan(request.user, plan, numbers),
                _("The plan was drawn; the inspections are assigned."),
                page,
            )
            if answer is not None:
                return answer
    context = {"plan": plan, "form": form, "refusal": refusal, "breadcrumbs": trail}
    return render(request, "supervision/plans/draw.html", context)


@loads(_plans, MANAGE, as_="plan")
def plan_close(request, plan):
    form = CloseForm(request.POST or None)
    refusal = services.close_refusal(plan)
    page = reverse("supervision:plan", args=[plan.pk])
    if not refusal and (
        done := form_action(
            request,
            form,
            lambda data: services.close_plan(request.user, plan, reason=data["reason"]),
            success_url=page,
            message=_("The plan was closed."),
        )
    ):
        return done
    context = {
        "plan": plan,
        "form": form,
        "refusal": refusal,
        "all_done": services.all_done(plan),
        "breadcrumbs": _trail(plan, _("Close the plan")),
    }
    return render(request, "supervision/plans/close.html", context)


# --- The public -------------------------------------------------------------------------------


def _public_or_404(pk):
    found = queries.public_plan(pk)
    if found is None:
        raise Http404
    return found


@cache_control(public=True, max_age=60)
def public_plans(request):
    rows = list(queries.public_plans())
    return render(
        request,
        "supervision/plans/public_list.html",
        {"rows": rows, "breadcrumbs": crumbs(_("Double-random spot checks"), root=None)},
    )


def _public_trail(plan, *more):
    return crumbs(
        (_("Double-random spot checks"), reverse("supervision:public_plans")),
        *(
            ((plan.title, reverse("supervision:public_plan", args=[plan.pk])),)
            if more
            else (plan.title,)
        ),
        *more,
        root=None,
    )


@cache_control(public=True, max_age=60)
def public_plan(request, pk: int):
    plan = _public_or_404(pk)
    drawn = plan.state in (PlanState.DRAWN, PlanState.CLOSED)
    context = {
        "plan": plan,
        "drawn": drawn,
        "tiers": queries.public_tiers(plan),
        "adjustments": queries.published_adjustments(plan),
        "check_items": queries.check_items_of(plan),
        "rows": queries.drawn_rows(plan) if drawn else [],
        "breadcrumbs": _public_trail(plan),
    }
    return render(request, "supervision/plans/public_plan.html", context)


@cache_control(public=True, max_age=86400)
def public_snapshot(request, pk: int):
    """The sealed snapshot's exact bytes (their SHA-256 is the sealed digest)."""
    plan = _public_or_404(pk)
    response = HttpResponse(plan.snapshot.encode(), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}-snapshot.json"'
    return response


@cache_control(public=True, max_age=60)
def public_verify(request, pk: int):
    """Re-run the draw server-side from what is published and show each check; anyone may
    type the numbers as read at the source instead of the stored ones."""
    plan = _public_or_404(pk)
    if plan.state not in (PlanState.DRAWN, PlanState.CLOSED):
        context = {
            "plan": plan,
            "checks": None,
            "breadcrumbs": _public_trail(plan, _("Verify the draw")),
        }
        return render(request, "supervision/plans/public_verify.html", context)
    form = VerifyForm(request.GET or None)
    numbers = None
    if form.is_bound and form.is_valid() and form.cleaned_data["numbers"].strip():
        numbers = form.cleaned_data["numbers"]
    checks = queries.verify_plan(plan, numbers)
    context = {
        "plan": plan,
        "form": form,
        "checks": checks,
        "all_ok": all(c.ok for c in checks),
        "typed": numbers,
        "breadcrumbs": _public_trail(plan, _("Verify the draw")),
    }
    return render(request, "supervision/plans/public_verify.html", context)
