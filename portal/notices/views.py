"""Pages of public notices: the public list, a notice with its objection form, tracking;
officials' notices with objections; the agency's view of objections (no identities)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache

from portal import clock, notices, pagecache
from portal.models import NoticeStatus, ObjectionStatus, jurisdiction_label
from portal.notices.forms import (
    DecisionForm,
    NoticeQueueForm,
    ObjectionForm,
    PublicNoticeFilterForm,
    TrackForm,
)
from portal.ui.confirm import confirm_page, is_revising, wants_confirmation
from portal.ui.helpers import crumbs, form_action
from portal.ui.queues import read_filters

PAGE_SIZE = 20


# The public pages start from the list of notices, not from the workspace.
NOTICES = (gettext_lazy("Notices and announcements"), reverse_lazy("notices:list"))


# --- Public pages ------------------------------------------------------------------------------


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows (``COUNT`` over a ``LIMIT``), so a list of millions of
    closed notices pages through its newest ``cap`` without counting the rest."""

    cap = notices.PUBLIC_LIST_CAP

    @cached_property
    def _found(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, self.cap)

    @property
    def capped(self) -> bool:
        return self._found > self.cap


def _public_list(request) -> dict:
    filters = PublicNoticeFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    closed = data.get("show") == "closed"
    agency_ids = notices.agencies_named(data["agency"]) if data.get("agency") else None
    found = notices.public_notices(
        closed=closed,
        kind=data.get("kind", ""),
        jurisdiction=data.get("province", ""),
        agency_ids=agency_ids,
    )
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [notices.list_item(n) for n in page.object_list]
    filtered = filters.is_bound and filters.filtered
    return {
        "filters": filters,
        "page": page,
        "announcements": (
            notices.public_announcements(closed=closed) if not filtered and page.number == 1 else []
        ),
        "filtered": filtered,
    }


def notice_list(request):
    """The public list, filtered by kind, province and agency; on a cache hit
    (``{% publiccache %}``) no query runs for its content."""
    closed = request.GET.get("show") == "closed"
    context = pagecache.lazy_context(
        lambda: _public_list(request), "filters", "page", "announcements", "filtered"
    )
    return render(
        request,
        "portal/notices/list.html",
        {**context, "closed": closed, "today": clock.today()},
    )


@never_cache
def notice_detail(request, pk: int):
    notice = notices.notice_for_public(pk)
    if notice is None:
        raise Http404
    accepting = notices.is_accepting(notice)
    form = None
    if accepting:
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        form = ObjectionForm(data, files, captcha_request=request)
        filed = form_action(
            request,
            form,
            lambda data: notices.file_objection(
                notice,
                name=data["name"],
                contact=data["contact"],
                content=data["content"],
                evidence=data.get("evidence"),
            ),
            # Shown once, in this response only: it is not kept anywhere we display again.
            success_url=lambda objection: render(
                request,
                "portal/notices/filed.html",
                {
                    "notice": notice,
                    "code": notices.format_tracking_code(objection.tracking_code),
                    "answer_due_on": notices.answer_due_on(objection.submitted_at),
                    "answer_due_working_days": settings.OBJECTION_ANSWER_WORKING_DAYS,
                    "track_form": TrackForm(
                        initial={"code": notices.format_tracking_code(objection.tracking_code)}
                    ),
                    "breadcrumbs": crumbs(notice.title, root=NOTICES),
                },
            ),
        )
        if filed is not None:
            return filed
    elif request.method == "POST":
        if notices.takes_objections(notice.kind):
            messages.error(request, _("This public notice no longer accepts objections."))
        else:
            messages.error(request, _("This public notice takes no objections."))
        return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "portal/notices/detail.html",
        {
            "notice": notice,
            "kind_label": notices.kind_label(notice.kind),
            "jurisdiction": jurisdiction_label(notice.jurisdiction),
            "accepting": accepting,
            "takes_objections": notices.takes_objections(notice.kind),
            "days_left": notices.days_left(notice),
            "last_day": accepting and notice.ends_on == clock.today(),
            "form": form,
            "breadcrumbs": crumbs(notice.title, root=NOTICES),
        },
    )


@never_cache
def track(request):
    form = TrackForm(request.POST if request.method == "POST" else None)
    result = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        result = notices.track(form.cleaned_data["code"])
    return render(
        request,
        "portal/notices/track.html",
        {
            "form": form,
            "result": result,
            "searched": searched,
            "breadcrumbs": crumbs(_("Track an objection"), root=NOTICES),
        },
    )


# --- Officials ---------------------------------------------------------------------------------


def manage_list(request):
    """Opens on the notices with objections to decide, the longest waiting first; a bad
    ``show`` value is ignored with a note (docs/decisions/0027)."""
    filters = read_filters(NoticeQueueForm, request.GET)
    show = filters["show"]
    items = notices.notices_for_official(request.user).annotate(
        oldest_pending=Min(
            "objections__submitted_at", filter=Q(objections__status=ObjectionStatus.PENDING)
        )
    )
    if show == "pending":
        items = items.filter(pending_count__gt=0).order_by("oldest_pending", "pk")
    elif show == "closed":
        items = items.filter(status=NoticeStatus.CLOSED).order_by("-published_on", "-pk")
    else:
        items = items.filter(status=NoticeStatus.OPEN).order_by("ends_on", "pk")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/notices/manage_list.html",
        {"page": page, "show": show, "filters": filters, "today": clock.today()},
    )


def manage_detail(request, pk: int):
    notice = notices.notice_for_official(request.user, pk)
    if notice is None:
        raise Http404
    objections = list(notices.objections_for_official(notice))
    forms = {
        o.pk: DecisionForm(prefix=f"o{o.pk}")
        for o in objections
        if o.status == ObjectionStatus.PENDING
    }
    if request.method == "POST":
        pk_text = request.POST.get("objection", "")
        objection = next((o for o in objections if str(o.pk) == pk_text), None)
        if objection is None or objection.pk not in forms:
            messages.error(request, _("This objection has already been decided."))
            return redirect("notices:manage_detail", pk=notice.pk)
        form = DecisionForm(request.POST, prefix=f"o{objection.pk}")
        forms[objection.pk] = form
        elsewhere = notices.uphold_url(objection)
        if elsewhere and form.data.get(form.add_prefix("decision")) == DecisionForm.UPHOLD:
            return redirect(elsewhere)

        def decide(data):
            uphold = data["decision"] == DecisionForm.UPHOLD
            service = notices.uphold_objection if uphold else notices.dismiss_objection
            return service(request.user, objection, reason=data["reason"])

        # Upholding overturns the notice: a confirmation step first (decision 0026).
        upholding = form.is_valid() and form.cleaned_data["decision"] == DecisionForm.UPHOLD
        if upholding and wants_confirmation(request):
            if refusal := notices.objection_decision_refusal(objection, request.user):
                form.add_error(None, refusal)
            else:
                return confirm_page(request, **_uphold_restatement(notice, objection, form))
        elif not is_revising(request) and (
            done := form_action(
                request,
                form,
                decide,
                success_url=reverse("notices:manage_detail", args=[notice.pk]),
                message=_("The decision has been recorded."),
            )
        ):
            return done
    rows = [
        {
            "objection": o,
            "form": forms.get(o.pk),
            "refusal": notices.objection_decision_refusal(o, request.user),
            "uphold_url": notices.uphold_url(o),
        }
        for o in objections
    ]
    return render(
        request,
        "portal/notices/manage_detail.html",
        {
            "notice": notice,
            "rows": rows,
            "kind_label": notices.kind_label(notice.kind),
            "jurisdiction": jurisdiction_label(notice.jurisdiction),
            "days_left": notices.days_left(notice),
            "period_over": notice.ends_on < clock.today(),
            "breadcrumbs": crumbs(
                (_("Public notices"), reverse("notices:manage")), notice.title, root=None
            ),
        },
    )


def _uphold_restatement(notice, objection, form) -> dict:
    """What the confirmation page of upholding an objection says will happen (Art 14)."""
    page = reverse("notices:manage_detail", args=[notice.pk])
    others = sum(
        1
        for o in notices.objections_for_official(notice)
        if o.status == ObjectionStatus.PENDING and o.pk != objection.pk
    )
    points = [
        _("Objection no. %(number)s is upheld: the public notice closes as overturned.")
        % {"number": objection.pk},
        _(
            "The matter on notice (%(kind)s) does not go ahead: the decision it announced is "
            "overturned."
        )
        % {"kind": notices.kind_label(notice.kind)},
        others
        and ngettext(
            "The other %(n)d pending objection is closed without further examination.",
            "The other %(n)d pending objections are closed without further examination.",
            others,
        )
        % {"n": others},
        _("Reason: %(reason)s") % {"reason": form.cleaned_data["reason"]},
    ]
    return {
        "title": _("Confirm upholding the objection"),
        "subject": notice.title,
        "points": points,
        "confirm_label": _("Uphold the objection and overturn the notice"),
        "warning": _("A notice closed as overturned cannot be reopened."),
        "back_url": f"{page}#objection-{objection.pk}",
        "breadcrumbs": crumbs(
            (_("Public notices"), reverse("notices:manage")), (notice.title, page), root=None
        ),
    }


# --- The agency concerned ----------------------------------------------------------------------


def agency_notices(request, agency_id: int):
    entries = notices.notices_for_agency(request.user, request.agency)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/notices/agency_list.html", {"page": page})
