"""Registrations of the publication stage of supervision (一公开, Art 25; decision 0056): the
access actions, the notice kind (no objections), the audit sentence, the notice page's slot,
the officials' menu entry and dashboard panel, the public cache's watch and the daily check
of overdue publications."""

from __future__ import annotations

import datetime as dt

from celery.schedules import crontab
from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from portal import access, audit, notices, pagecache, slots
from portal.jobs import periodic
from portal.roles import AuthorityRole as R
from portal.ui import navigation
from portal.ui.dashboards import Panel, PanelLink, Todo, todo_panel

PUBLISHERS = {R.MINISTRY_OFFICIAL, R.PROVINCIAL_OFFICIAL}


def register() -> None:
    from supervision.services import publication

    # The plan's results page shows plans, inspections, findings and orders.
    pagecache.watch("supervision")
    access.register_action(
        "supervision.publication.track",
        lambda user, obj=None: publication.plan_official(user, None),
        "See the spot-check results waiting to be published (the deadline tracker)",
    )
    access.register_action(
        "supervision.publication.publish",
        lambda user, obj=None: publication.plan_official(user, obj),
        "Publish a concluded inspection's result (officials of the plan's jurisdiction)",
    )
    notices.register_kind(
        publication.NOTICE_KIND,
        label=_("Result of a double-random spot check"),
        on_stood=publication.result_stood,
        on_overturned=publication.result_overturned,
        objections=False,
    )
    audit.register_label(
        "supervision.publication.publish",
        _("published the result of a spot-check inspection"),
        summary=("state",),
        fields={"late": _("published after the due day")},
    )
    slots.register(
        "notices.detail", _notice_results, template="supervision/publication/_notice_slot.html"
    )
    navigation.register(
        "supervision_publication",
        _("Spot-check results to publish"),
        "supervision:publication",
        area=navigation.WORKSPACE,
        order=372,
        roles=PUBLISHERS,
    )
    from portal.ui.dashboards import register_panel

    register_panel("supervision.publication.due", PUBLISHERS, _due_panel)
    periodic.register(
        publication.JOB_LABEL,
        publication.flag_overdue,
        schedule=crontab(minute=20, hour=7),
        every=dt.timedelta(days=1),
        description="Log the spot-check results overdue for publication",
    )


def _notice_results(request, notice) -> dict | None:
    """On a result notice's public page: the plan's results page and where to turn."""
    from supervision.services.publication import NOTICE_KIND

    if notice.kind != NOTICE_KIND:
        return None
    from supervision.models import Inspection

    inspection = Inspection.objects.filter(notice=notice).only("pk", "plan_id").first()
    if inspection is None:
        return None
    return {"results_url": reverse("supervision:public_results", args=[inspection.plan_id])}


def _due_panel(request) -> Panel | None:
    from supervision.queries import publication as queries

    waiting = queries.waiting_for(request.user)
    figures = waiting.aggregate(oldest=Min("concluded_at"), due_on=Min("publish_due"))
    count = waiting.count()
    if not count:
        return None
    url = reverse("supervision:publication")
    late = queries.overdue_count(waiting)
    return todo_panel(
        _("Spot-check results"),
        todos=[
            Todo(
                count,
                ngettext(
                    "%(n)d inspection result to publish",
                    "%(n)d inspection results to publish",
                    count,
                )
                % {"n": count},
                url,
                oldest=figures["oldest"],
                due_on=figures["due_on"],
            )
        ],
        facts=[
            ngettext(
                "%(n)d of them is past its publication day.",
                "%(n)d of them are past their publication day.",
                late,
            )
            % {"n": late}
        ]
        if late
        else [],
        links=[PanelLink(gettext("Results to publish"), url)],
        order=42,
    )
