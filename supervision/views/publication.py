"""Pages of the publication stage (一公开, Art 25; decision 0056): the officials' deadline
tracker with its publish step (a confirmation page, then the POST), and the public results page
of a drawn plan (cached for anonymous visitors, decision 0030)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import pagecache
from portal.authorities import authority_for
from portal.ui.confirm import confirm_page, is_confirmed
from portal.ui.helpers import button_action, crumbs, loads
from supervision.queries import publication as queries
from supervision.services import publication as services


def tracker(request):
    """The concluded inspections of the official's plans, the due day first."""
    return render(
        request,
        "supervision/publication/tracker.html",
        {
            **queries.tracker(request.user),
            "working_days": settings.SPOT_CHECK_PUBLISH_WORKING_DAYS,
            "breadcrumbs": crumbs(_("Spot-check results to publish")),
        },
    )


@loads(queries.inspections_for, "supervision.publication.publish", as_="inspection")
def publish(request, inspection):
    """GET (or a POST not yet confirmed): what will be published; the confirmed POST
    publishes (decision 0026)."""
    back = reverse("supervision:publication")
    if request.method == "POST" and is_confirmed(request):
        return button_action(
            request,
            lambda: services.publish_result(request.user, inspection),
            success_url=back,
            message=_("The result has been published."),
        )
    if request.method == "POST":  # 「返回修改」: nothing to change, back to the tracker
        return redirect(back)
    if refusal := services.publish_refusal(inspection, request.user):
        messages.error(request, refusal)
        return redirect(back)
    title, body = services.notice_text(inspection)
    return confirm_page(
        request,
        title=_("Confirm publishing the result"),
        subject=title,
        points=[
            _("A public notice is published in the name of %(authority)s:")
            % {"authority": authority_for(inspection.plan.jurisdiction).name},
            body,
            _(
                "It takes no objections; it stays among the current notices for %(days)d "
                "working days, and on the plan's public results page for good."
            )
            % {"days": settings.SPOT_CHECK_RESULT_NOTICE_WORKING_DAYS},
        ],
        confirm_label=_("Publish the result"),
        warning=_("A published result cannot be withdrawn."),
        back_url=back,
        carried={},
        breadcrumbs=crumbs((_("Spot-check results to publish"), back), title),
    )


def public_results(request, pk: int):
    """A drawn plan's results: each drawn object, its result once published."""
    plan = pagecache.value("supervision.results.plan", request,
                           lambda: queries.public_plan(pk), pk)  # fmt: skip
    if plan is None:
        raise Http404
    context = pagecache.lazy_context(
        lambda: queries.results_page(plan),
        "rows", "tiers", "drawn", "published_count", "authority",
    )  # fmt: skip
    plan_url = queries.plan_page_url(plan)
    return render(
        request,
        "supervision/publication/public_results.html",
        {
            **context,
            "plan": plan,
            "plan_url": plan_url,
            "days": settings.SPOT_CHECK_PUBLISH_WORKING_DAYS,
            "breadcrumbs": crumbs(
                *([(plan.title, plan_url)] if plan_url else []),
                _("Spot-check results"),
                root=None,
            ),
        },
    )
