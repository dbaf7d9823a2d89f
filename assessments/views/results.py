"""Pages of results (Art 20): the agency publishes a session's results on notice, follows the
notice and its objections (substance only) and answers score reviews; officials of the site's
province uphold an objection naming the candidates concerned; the public reads the rows of a
results notice; a worker looks up their own result, asks for a review and tracks it. Thin
views: every change goes through ``assessments.services.results``."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import queries
from assessments.forms.results import (
    LookupForm,
    ReviewAnswerForm,
    ReviewRequestForm,
    ReviewTrackForm,
    UpholdForm,
)
from assessments.models import AssessmentSession, ResultOutcome, ResultStatus, ScoreReview
from assessments.services import results as services
from portal import notices, pagecache, pii
from portal.models import Objection
from portal.ui.confirm import confirm_page, is_confirmed, is_revising
from portal.ui.helpers import apply_errors, button_action, crumbs, loads

ROWS_PER_PAGE = 100


def _own(request):
    return queries.sessions_of_agency(request.agency)


def _session_crumbs(agency_id: int, session, *more):
    return crumbs(
        (_("Assessment sessions"), reverse("assessments:sessions", args=[agency_id])),
        (str(session), reverse("assessments:session", args=[agency_id, session.pk])),
        *more,
    )


def _counts(session) -> dict:
    counts = {"total": 0, "passed": 0, **dict.fromkeys(ResultStatus.values, 0)}
    for status, outcome in session.results.values_list("status", "outcome"):
        counts["total"] += 1
        counts[status] += 1
        counts["passed"] += outcome == ResultOutcome.PASSED
    return counts


@loads(_own, as_="session")
def results(request, agency_id: int, session: AssessmentSession):
    url = reverse("assessments:results", args=[agency_id, session.pk])
    if request.method == "POST":
        if request.POST.get("action") != "publish":
            raise Http404
        if not is_confirmed(request):
            if refusal := services.publication_refusal(session, request.user):
                messages.error(request, refusal)
                return redirect(url)
            counts = _counts(session)
            points = [
                _(
                    "The results of %(total)s candidates go on public notice for %(days)s "
                    "working days; the notice lists the %(passed)s who passed, names and ID "
                    "numbers masked."
                )
                % {**counts, "days": services.settings.RESULTS_NOTICE_WORKING_DAYS},
                _("Objections are decided by the authority of %(province)s.")
                % {"province": session.site.province.name},
                _("Candidates may ask for a review of their scores within %(days)s working days.")
                % {"days": services.settings.SCORE_REVIEW_WORKING_DAYS},
                _("When the notice closes without an upheld objection the results are final."),
            ]
            return confirm_page(
                request, title=_("Publish the results"), subject=str(session), points=points,
                confirm_label=_("Publish the results"), back_url=url,
                breadcrumbs=_session_crumbs(agency_id, session, _("Results")),
            )  # fmt: skip
        return button_action(
            request,
            lambda: services.publish_results(request.user, session),
            success_url=url,
            message=_("The results are on public notice."),
        )
    publications = list(session.publications.select_related("notice").order_by("round"))
    objections = {
        n.pk: rows
        for n, rows in notices.notices_for_agency(request.user, request.agency)
        if n.pk in {p.notice_id for p in publications}
    }
    page = Paginator(queries.session_results(session), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    labels = {m["method"]: m.get("label", m["method"]) for m in session.methods}
    for result in page.object_list:
        given = result.scores or {}
        order = [k for k in labels if k in given] + [k for k in given if k not in labels]
        result.score_lines = [(labels.get(k, k), given[k]) for k in order]
    context = {
        "session": session,
        "counts": _counts(session),
        "publications": [(p, objections.get(p.notice_id, [])) for p in publications],
        "page": page,
        "due_on": services.results_due_on(session),
        "publish_refusal": services.publication_refusal(session, request.user),
        "open_reviews": ScoreReview.objects.filter(
            result__session=session, answered_at__isnull=True
        ).count(),
        "breadcrumbs": _session_crumbs(agency_id, session, _("Results")),
    }
    return render(request, "assessments/results/results.html", context)


@loads(_own, as_="session")
def reviews(request, agency_id: int, session: AssessmentSession):
    url = reverse("assessments:reviews", args=[agency_id, session.pk])
    found = list(queries.reviews_of_session(session))
    forms = {r.pk: ReviewAnswerForm(prefix=f"r{r.pk}") for r in found if r.is_open}
    if request.method == "POST":
        review = next((r for r in found if str(r.pk) == request.POST.get("review")), None)
        if review is None or review.pk not in forms:
            messages.error(request, _("This review has been answered."))
            return redirect(url)
        form = forms[review.pk] = ReviewAnswerForm(request.POST, prefix=f"r{review.pk}")
        if form.is_valid():
            try:
                services.answer_review(
                    request.user, review, answer=form.cleaned_data["answer"],
                    changed=form.cleaned_data["changed"],
                )  # fmt: skip
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The answer is recorded; the candidate can read it."))
                return redirect(url)
    context = {
        "session": session,
        "rows": [(r, forms.get(r.pk)) for r in found],
        "breadcrumbs": _session_crumbs(
            agency_id,
            session,
            (_("Results"), reverse("assessments:results", args=[agency_id, session.pk])),
            _("Score reviews"),
        ),
    }
    return render(request, "assessments/results/reviews.html", context)


# --- Officials ---------------------------------------------------------------------------------


def official_notices(request):
    found = queries.results_notices_for_official(request.user).order_by("-published_on", "-pk")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/results/official_notices.html",
        {"page": page, "breadcrumbs": crumbs(_("Results notices"))},
    )


def uphold(request, pk: int):
    objection = Objection.objects.select_related("notice").filter(pk=pk).first()
    if objection is None or objection.notice.kind != services.NOTICE_KIND:
        raise Http404
    if notices.notice_for_official(request.user, objection.notice_id) is None:
        raise Http404
    publication = queries.publication_of_notice(objection.notice_id)
    rows = list(queries.session_results(publication.session).filter(publication=publication))
    choices = [
        (str(r.pk), f"{r.enrolment.real_name} {r.enrolment.candidate.masked_id}") for r in rows
    ]
    form = UpholdForm(request.POST or None, choices=choices)
    back = reverse("notices:manage_detail", args=[objection.notice_id])
    refusal = services.uphold_refusal(objection, request.user)
    if request.method == "POST" and form.is_valid() and not is_revising(request):
        chosen = [r for r in rows if str(r.pk) in form.cleaned_data["results"]]
        if not is_confirmed(request):
            if refusal:
                form.add_error(None, refusal)
            else:
                return confirm_page(
                    request,
                    title=_("Confirm upholding the objection"),
                    subject=objection.notice.title,
                    points=[
                        _("Objection no. %(number)s is upheld: the notice closes as overturned.")
                        % {"number": objection.pk},
                        _("%(count)s results return to correction: %(names)s")
                        % {
                            "count": len(chosen),
                            "names": "、".join(r.enrolment.real_name for r in chosen),
                        },
                        _(
                            "The other results stay; the agency publishes the corrected list "
                            "anew once the scores are computed."
                        ),
                        _("Reason: %(reason)s") % {"reason": form.cleaned_data["reason"]},
                    ],
                    confirm_label=_("Uphold the objection"),
                    warning=_("A notice closed as overturned cannot be reopened."),
                    back_url=request.get_full_path(),
                )
        else:
            try:
                services.uphold_for_candidates(
                    request.user, objection, results=[r.pk for r in chosen],
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The objection is upheld."))
                return redirect(back)
    context = {
        "objection": objection,
        "form": form,
        "refusal": refusal,
        "back": back,
        "breadcrumbs": crumbs(
            (_("Results notices"), reverse("assessments:results_notices")),
            (objection.notice.title, back),
            _("Uphold an objection"),
        ),
    }
    return render(request, "assessments/results/uphold.html", context)


# --- Public ------------------------------------------------------------------------------------


def notice_rows(request, pk: int):
    """The structured rows of a results notice: those who passed, masked; paginated."""
    publication = pagecache.value("results.publication", request,
                                  lambda: queries.publication_of_notice(pk), pk)  # fmt: skip
    if publication is None:
        raise Http404

    def build() -> dict:
        later = queries.superseding_publication(publication)
        found = queries.notice_result_rows(publication)
        page = Paginator(found.none() if later else found, ROWS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return {
            "page": page,
            "rows": queries.notice_rows(page.object_list, publication.session),
            "superseded_by": later,
        }

    context = {
        **pagecache.lazy_context(build, "page", "rows", "superseded_by"),
        "publication": publication,
        "notice": publication.notice,
        "breadcrumbs": crumbs(
            (publication.notice.title, reverse("notices:detail", args=[pk])),
            _("Candidates who passed"),
            root=(_("Notices and announcements"), reverse("notices:list")),
        ),
    }
    return render(request, "assessments/results/notice_rows.html", context)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _result_context(result) -> dict:
    methods = {m["method"]: m for m in result.session.methods}
    given = result.scores or {}
    order = [k for k in methods if k in given] + [k for k in given if k not in methods]
    scores = [
        {
            "label": methods.get(k, {}).get("label", k),
            "score": given[k],
            "pass_mark": methods.get(k, {}).get("pass_mark"),
        }
        for k in order  # in the basis's order of methods
    ]
    return {
        "result": result,
        "scores": scores,
        "masked_name": pii.mask_name(result.enrolment.real_name),
        "deadline": services.review_deadline(result),
        "review_refusal": services.review_refusal(result),
        "reviews": list(result.reviews.order_by("requested_at")),
    }


REVIEW_TOKEN_SALT = "assessments.results.review"  # noqa: S105 - a salt, not a secret
REVIEW_TOKEN_SECONDS = 30 * 60


def _token(result) -> str:
    return signing.dumps(result.pk, salt=REVIEW_TOKEN_SALT)


def _from_token(token: str):
    try:
        pk = signing.loads(token, salt=REVIEW_TOKEN_SALT, max_age=REVIEW_TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    return services.published_result(pk)


def lookup(request):
    """The worker's own result: ticket + name + ID number, the human check; the same answer
    for every kind of mismatch, never echoing what was typed; ``Cache-Control: no-store``.
    The review form carries a signed token of the result found, not the ID number."""
    posted = request.method == "POST"
    review = posted and request.POST.get("action") == "review"
    form = (ReviewRequestForm if review else LookupForm)(
        request.POST if posted else None, captcha_request=request
    )
    context = {"searched": False, "result": None, "created": None, "review_form": None}
    result = None
    if posted and form.is_valid():
        data = form.cleaned_data
        context["searched"] = True
        if review:
            result = _from_token(data["token"])
        else:
            result = services.find_result(
                ticket=data["ticket"], name=data["name"], id_number=data["id_number"]
            )
    if review and result is not None:
        try:
            created = services.request_review(
                result, contact=form.cleaned_data["contact"], request=form.cleaned_data["request"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            context["review_form"] = form
        else:
            context["created"] = notices.format_tracking_code(created.tracking_code)
    elif review and form.errors and not context["searched"]:
        result = _from_token(request.POST.get("token", ""))
        context["review_form"] = form  # the contact or the check to correct
    if result is not None:
        context.update(_result_context(result))
        if context["review_form"] is None and not context["created"]:
            context["review_form"] = ReviewRequestForm(
                initial={"token": _token(result)}, captcha_request=request
            )
    # What was typed into the look-up is never written back into the page.
    lookup_form = (
        form if (posted and not review and form.errors) else LookupForm(captcha_request=request)
    )
    context["form"] = lookup_form
    context["breadcrumbs"] = crumbs(_("Look up my result"), root=None)
    return _no_store(render(request, "assessments/results/lookup.html", context))


def track_review(request):
    form = ReviewTrackForm(request.POST if request.method == "POST" else None)
    found, searched = None, False
    if request.method == "POST" and form.is_valid():
        searched = True
        found = services.track_review(form.cleaned_data["code"])
    context = {
        "form": form,
        "review": found,
        "searched": searched,
        "breadcrumbs": crumbs(_("Track a score review"), root=None),
    }
    return _no_store(render(request, "assessments/results/track_review.html", context))
