"""Access rules, audit sentences, menu entries, the dashboard panel and the periodic job of
public notices (portal.notices). Registered from ``PortalConfig.ready()``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import audit
from portal.access import agency_role, any_of, in_jurisdiction, register_action
from portal.jobs import periodic
from portal.roles import AgencyRole as A
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, Todo, register_panel, todo_panel

# The officials who decide objections: the authority whose jurisdiction covers the notice
# (Art 14, 24); a national notice (000000) is decided by national officials only.
OFFICIALS = (R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL, R.OSTA_STAFF)

AUDIT_LABELS = {
    "portal.notice.publish": _("published a public notice"),
    "portal.notice.object": _("filed an objection to a public notice"),
    "portal.notice.dismiss_objection": _("dismissed an objection to a public notice"),
    "portal.notice.uphold_objection": _("upheld an objection to a public notice"),
    "portal.notice.moot_objections": _("closed objections made moot by an upheld objection"),
    "portal.notice.close": _("closed a public notice"),
}


def register() -> None:
    officials = in_jurisdiction(*OFFICIALS)
    register_action(
        "portal.notice.decide",
        officials,
        "Dismiss or uphold objections to the public notices of one's jurisdiction",
    )
    register_action(
        "portal.notice.view_objections",
        any_of(officials, agency_role(*A.values)),
        "Read the objections to a notice (the agency concerned: their substance only)",
    )
    for action, label in AUDIT_LABELS.items():
        audit.register_label(action, label)
    audit.register_object_url("portal.publicnotice", _notice_url)
    audit.register_object_url("portal.objection", _objection_url)
    register_ui()
    register_job()


def _notice_url(user, object_id: str) -> str | None:
    """The officials deciding its objections open the notice's page; others its public page
    (every notice is public, open or closed)."""
    from portal import notices

    if not object_id.isdigit():
        return None
    if notices.notice_for_official(user, int(object_id)) is not None:
        return reverse("notices:manage_detail", args=[object_id])
    if notices.notice_for_public(int(object_id)) is not None:
        return reverse("notices:detail", args=[object_id])
    return None


def _objection_url(user, object_id: str) -> str | None:
    """An objection is shown (with the objector's identity) to the officials deciding it only."""
    from portal import notices
    from portal.models import Objection

    notice_id = (
        Objection.objects.filter(pk=object_id).values_list("notice_id", flat=True).first()
        if object_id.isdigit()
        else None
    )
    if notice_id is None or notices.notice_for_official(user, notice_id) is None:
        return None
    return reverse("notices:manage_detail", args=[notice_id])


def _objections_panel(request) -> Panel | None:
    from django.db.models import Count, Min

    from portal import access, notices
    from portal.models import Objection, ObjectionStatus

    if not access.can(request.user, "portal.notice.decide"):
        return None
    pending = Objection.objects.filter(
        status=ObjectionStatus.PENDING,
        notice__in=notices.notices_for_official(request.user).values("pk"),
    ).aggregate(count=Count("pk"), oldest=Min("submitted_at"))
    n, url = pending["count"], reverse("notices:manage")
    todo = Todo(
        n,
        ngettext("%(n)d objection to decide", "%(n)d objections to decide", n) % {"n": n},
        url,
        oldest=pending["oldest"],
        # The longest-waiting objection is the one whose promised answer falls due first.
        due_on=notices.answer_due_on(pending["oldest"]) if pending["oldest"] else None,
    )
    return todo_panel(
        _("Objections to public notices"),
        todos=[todo],
        text=_(
            "Objections awaiting your decision. A notice with a pending objection does not "
            "close at the end of its period (Art 14)."
        ),
        links=[PanelLink(_("Public notices of my jurisdiction"), url)],
        order=20,
    )


def register_ui() -> None:
    navigation.register(
        "notices",
        _("Notices and announcements"),
        "notices:list",
        area=navigation.PUBLIC,
        order=40,  # 首页, 证书查询, 评价机构目录, 职业与标准, 公示公告, 投诉举报
    )
    navigation.register(
        "notices_manage",
        _("Public notices"),
        "notices:manage",
        area=navigation.WORKSPACE,
        order=150,
        roles=set(OFFICIALS),
    )
    navigation.register(
        "agency_notices",
        _("Public notices"),
        "notices:agency",
        area=navigation.AGENCY,
        order=150,
    )
    register_panel("portal.notices", set(OFFICIALS), _objections_panel)


def register_job() -> None:
    from celery.schedules import crontab

    from portal import notices

    periodic.register(
        "portal.close_due_notices",
        notices.close_due_notices,
        schedule=crontab(minute=10, hour=0),
        every=dt.timedelta(days=1),
        description="Close public notices whose period ended without a pending objection",
    )
