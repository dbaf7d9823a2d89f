"""Registrations of the pools stage of supervision (Art 25, 26): who keeps the check-item list
and the two pools, their audit sentences and menu entries, and the risk facts of part 1
(decision 0057)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.access import authority_role, register_action
from portal.roles import AuthorityRole as R
from portal.ui import navigation


def _jurisdiction_of(obj) -> str | None:
    from supervision.models import ConflictTag

    if isinstance(obj, ConflictTag):
        obj = obj.inspector or obj.supervisor
    return getattr(obj, "jurisdiction", None)


def keeper(*roles: str):
    """An authority user with one of ``roles`` acting on their own jurisdiction's list or pool
    (a province's for a provincial user, 000000's for a national one)."""
    has_role = authority_role(*roles)

    def rule(user, obj=None) -> bool:
        if not has_role(user, obj) or not user.jurisdiction:
            return False
        return obj is None or _jurisdiction_of(obj) == user.jurisdiction

    return rule


OFFICIALS = keeper(R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL)
TESTING_CENTRE = keeper(R.OSTA_STAFF)


def register() -> None:
    register_action(
        "supervision.pools.items",
        OFFICIALS,
        "Keep the check-item list of one's jurisdiction (Art 25)",
    )
    register_action(
        "supervision.pools.inspectors",
        OFFICIALS,
        "Keep the inspector pool of one's jurisdiction and its conflict tags (Art 25)",
    )
    register_action(
        "supervision.pools.objects",
        OFFICIALS,
        "See the inspection-object pool of one's jurisdiction with its risk tiers (Art 25)",
    )
    register_action(
        "supervision.pools.supervisors",
        TESTING_CENTRE,
        "Keep the pool of external quality supervisors of one's jurisdiction (Art 26)",
    )
    for action, label in {
        "supervision.check_item.add": _("added a check item"),
        "supervision.check_item.edit": _("edited a check item"),
        "supervision.check_item.retire": _("retired a check item"),
        "supervision.check_item.reinstate": _("put a check item back in use"),
    }.items():
        audit.register_label(action, label, summary=("code", "title"))
    for name, noun in {
        "inspector": (_("added an inspector to the pool"), _("edited an inspector's entry")),
        "external_supervisor": (
            _("added an external quality supervisor to the pool"),
            _("edited an external quality supervisor's entry"),
        ),
    }.items():
        audit.register_label(f"supervision.{name}.add", noun[0], summary=("user",))
        audit.register_label(f"supervision.{name}.edit", noun[1])
        audit.register_label(f"supervision.{name}.deactivate", _("deactivated a pool entry"))
        audit.register_label(f"supervision.{name}.reactivate", _("reactivated a pool entry"))
        audit.register_label(
            f"supervision.{name}.conflict_add",
            _("recorded a conflict of interest"),
            summary=("agency", "kind"),
        )
        audit.register_label(
            f"supervision.{name}.conflict_remove",
            _("removed a conflict of interest"),
            summary=("agency", "kind"),
        )
    audit.display.register_change_labels(
        {
            "organisation": _("organisation"),
            "specialities": _("specialities"),
            "capacity": _("objects per plan at most"),
            "legal_basis": _("legal basis"),
            "records": _("what the inspector records"),
        }
    )
    navigation.register(
        "supervision_check_items",
        _("Check-item list"),
        "supervision:check_items",
        area=navigation.WORKSPACE,
        order=410,
        roles={R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL},
    )
    navigation.register(
        "supervision_inspectors",
        _("Inspector pool"),
        "supervision:inspectors",
        area=navigation.WORKSPACE,
        order=411,
        roles={R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL},
    )
    navigation.register(
        "supervision_objects",
        _("Inspection-object pool"),
        "supervision:objects",
        area=navigation.WORKSPACE,
        order=412,
        roles={R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL},
    )
    navigation.register(
        "supervision_supervisors",
        _("External quality supervisors"),
        "supervision:supervisors",
        area=navigation.WORKSPACE,
        order=413,
        roles={R.OSTA_STAFF},
    )
    audit.register_object_url("supervision.inspector", _entry_url("inspectors"))
    audit.register_object_url("supervision.externalsupervisor", _entry_url("supervisors"))
    audit.register_object_url("supervision.checkitem", _item_url)
    register_facts()


def _entry_url(key: str):
    def url(user, object_id: str) -> str | None:
        from django.urls import reverse

        from supervision.queries.pools import members_for
        from supervision.services.pools import POOLS

        pool = POOLS[key]
        if not members_for(user, pool).filter(pk=object_id).exists():
            return None
        return reverse(pool.entry_url, args=[object_id])

    return url


def _item_url(user, object_id: str) -> str | None:
    from django.urls import reverse

    from supervision.queries.pools import check_items_for

    if not check_items_for(user).filter(pk=object_id).exists():
        return None
    return reverse("supervision:check_item_edit", args=[object_id])


def register_facts() -> None:
    """The risk facts of part 1 and their weights (decision 0057)."""
    from supervision import risk
    from supervision.queries import pools as q

    weights = {
        "revocations": (q.revocations, 2),
        "late_results": (q.late_results, 1),
        "late_submission": (q.late_submission, 2),
        "minor_findings": (q.minor_findings, 1),
        "serious_findings": (q.serious_findings, 3),
    }
    for name, (fn, weight) in weights.items():
        risk.register_fact(name, fn, weight=weight, label=q.FACT_LABELS[name])
