"""Registrations of the plans stage of supervision (Art 25, 26; decisions 0055, 0060): who may
read and manage plans, the audit sentences, the menu entries (the officials' plans, the
public 「双随机抽查」) and the officials' dashboard panel."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import audit
from portal.access import in_jurisdiction, register_action
from portal.roles import AuthorityRole as R
from portal.ui import navigation

OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)
_SPOT = in_jurisdiction(R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL)
_QUALITY = in_jurisdiction(R.OSTA_STAFF)
_ANY = in_jurisdiction(*OFFICIALS)


def _manages(user, obj=None) -> bool:
    """Spot-check plans: provincial officials of the province and national ministry officials;
    quality plans (Art 26): the testing centre's staff of the jurisdiction. Without a plan: any
    of them (the list and the form)."""
    if obj is None:
        return _ANY(user, obj)
    if getattr(obj, "kind", "") == "quality":
        return _QUALITY(user, obj)
    return _SPOT(user, obj)


def register() -> None:
    register_action(
        "supervision.plans.view",
        _ANY,
        "Read the spot-check plans of the jurisdiction, with the drawn people's names (Art 25)",
    )
    register_action(
        "supervision.plans.manage",
        _manages,
        "Draft, approve (seal), draw and close a spot-check plan of the jurisdiction (Art 25); "
        "the testing centre's quality plans (Art 26)",
    )
    for action, label, summary in (
        ("supervision.plan.create", _("drafted a spot-check plan"), ("title",)),
        ("supervision.plan.update", _("changed a draft spot-check plan"), ("title",)),
        ("supervision.plan.adjust_tier", _("adjusted a risk tier of a plan"), ("tier",)),
        (
            "supervision.plan.approve",
            _("approved a spot-check plan and sealed its pools"),
            ("state",),
        ),
        ("supervision.plan.draw", _("drew a spot-check plan"), ("state",)),
        ("supervision.plan.close", _("closed a spot-check plan"), ("state",)),
    ):
        audit.register_label(action, label, summary=summary)
    audit.display.register_change_labels(
        {
            "sealed_digest": _("sealed digest"),
            "secret_digest": _("digest of the secret"),
            "quotas": _("quotas"),
            "drawn": _("drawn list"),
            "computed_tier": _("computed tier"),
        }
    )
    audit.register_object_url("supervision.spotcheckplan", _plan_url)
    navigation.register(
        "supervision_plans",
        _("Spot-check plans"),
        "supervision:plans",
        area=navigation.WORKSPACE,
        order=360,
        roles=set(OFFICIALS),
    )
    navigation.register(
        "public_spot_checks",
        _("Double-random spot checks"),
        "supervision:public_plans",
        area=navigation.PUBLIC,
        order=50,
    )
    from portal.ui.dashboards import register_panel

    register_panel("supervision.plans", set(OFFICIALS), _plans_panel)


def _plan_url(user, object_id: str) -> str | None:
    from portal import access
    from supervision.models import SpotCheckPlan

    plan = access.visible(user, SpotCheckPlan.objects.filter(pk=object_id)).first()
    return reverse("supervision:plan", args=[plan.pk]) if plan else None


def _plans_panel(request):
    """To-do: the jurisdiction's draft plans waiting for approval, and sealed plans whose
    public numbers are out (draw due)."""
    from portal import access, clock
    from portal.ui.dashboards import Todo, todo_panel
    from supervision.queries import plans as queries

    user = request.user
    managed = [
        p
        for p in queries.plans_for(user).filter(state__in=["draft", "sealed"])
        if access.can(user, "supervision.plans.manage", p)
    ]
    if not managed and not access.can(user, "supervision.plans.manage"):
        return None
    drafts = [p for p in managed if p.state == "draft"]
    sealed = [p for p in managed if p.state == "sealed"]
    due = [p for p in sealed if p.randomness_date <= clock.today()]
    url = reverse("supervision:plans")
    return todo_panel(
        _("Spot-check plans"),
        todos=[
            Todo(
                len(drafts),
                ngettext(
                    "%(n)d draft plan awaits approval",
                    "%(n)d draft plans await approval",
                    len(drafts),
                )
                % {"n": len(drafts)},
                url,
                oldest=min((p.created_at for p in drafts), default=None),
                working_days=False,
            ),
            Todo(
                len(sealed),
                ngettext(
                    "%(n)d sealed plan awaits its draw (%(due)d due now)",
                    "%(n)d sealed plans await their draw (%(due)d due now)",
                    len(sealed),
                )
                % {"n": len(sealed), "due": len(due)},
                url,
                oldest=min((p.approved_at for p in sealed), default=None),
                due_on=min((p.randomness_date for p in sealed), default=None),
                working_days=False,
            ),
        ],
    )
