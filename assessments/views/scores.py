"""Pages of scores and results (Art 18–20; decision 0038): the session's scores page (progress
per method; the agency submits and computes), the examiner's marking page (phone-friendly),
the theory double entry, the group leader's settle form, corrections and the supervisor's
confirmation, the result list. Who reads: the agency's admin and staff, officials of the
site's province (read-only), the people assigned to the session (their sittings only);
anyone else gets 404. Thin views: every change goes through
``assessments.services.scores``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import queries
from assessments.forms.scores import (
    CandidateScoresForm,
    CorrectionForm,
    RefusalForm,
    SettleForm,
    TheoryUploadForm,
)
from assessments.models import (
    SCORING_KINDS,
    AssessmentSession,
    Mark,
    MethodScore,
    Result,
    ScoreCorrection,
    ScoreSource,
    Sitting,
)
from assessments.services import scores as sc
from portal import access
from portal.ui.helpers import apply_errors, button_action, crumbs

#: Above this many present candidates the theory page offers the import only.
TYPED_LIMIT = 300


def _session(request, pk: int) -> AssessmentSession:
    session = (
        AssessmentSession.objects.select_related(
            "agency", "site", "site__province", "occupation", "work_type", "level"
        )
        .filter(pk=pk)
        .first()
    )
    if session is None or not access.can(request.user, "assessments.session.read", session):
        raise Http404
    return session


def _manager(request, session) -> bool:
    return access.can(request.user, "assessments.session.manage", session)


def _official(request, session) -> bool:
    return bool(request.user.jurisdiction) and access.can(
        request.user, "assessments.session.read", session
    )


def _sitting(request, pk: int) -> Sitting:
    sitting = Sitting.objects.select_related("session").filter(pk=pk).first()
    if sitting is None:
        raise Http404
    _session(request, sitting.session_id)
    return sitting


def _scores_url(session) -> str:
    return reverse("assessments:scores", args=[session.pk])


def _crumb(session):
    return (_("Scores: %(session)s") % {"session": session}, _scores_url(session))


def scores(request, pk: int):
    session = _session(request, pk)
    manager = _manager(request, session)
    url = _scores_url(session)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied("assessments.session.manage")
        action, method = request.POST.get("action"), request.POST.get("method", "")
        if action == "submit":
            return button_action(
                request,
                lambda: sc.submit_scores(request.user, session, method),
                success_url=url,
                message=_("The scores are submitted and locked."),
            )
        if action == "compute":
            return button_action(
                request,
                lambda: sc.compute_results(request.user, session),
                success_url=reverse("assessments:score_results", args=[session.pk]),
                failure_url=url,
                message=_("The results are computed (provisional)."),
            )
        raise Http404
    official = _official(request, session)
    mine = []
    if not manager and not official:
        mine = list(
            request.user.assessment_assignments.filter(session=session, status="active")
            .select_related("sitting")
            .order_by("pk")
        )
    methods = [sc.progress_of(session, m) for m in sc.methods_of(session)] if not mine else []
    supervisor = sc.supervisor_on(request.user, session)
    corrections = []
    if manager or official or supervisor:
        corrections = list(
            ScoreCorrection.objects.filter(score__enrolment__session=session)
            .select_related("score__enrolment", "requested_by", "confirmed_by")
            .order_by("-requested_at")[:100]
        )
    flagged = []
    if manager or official:
        flagged = list(
            MethodScore.objects.filter(
                enrolment__session=session, flagged=True, submitted_at__isnull=True
            )
            .select_related("enrolment")
            .order_by("method", "enrolment_id")
        )
    sittings = {s.method: s for s in session.sittings.all()}
    for progress in methods:
        progress.sitting = sittings.get(progress.method)
        progress.refusal = sc.submission_refusal(session, progress.method, request.user)
        if progress.sitting and progress.method != sc.THEORY:
            progress.people = [
                (a, Mark.objects.filter(assignment=a, submitted_at__isnull=False).exists())
                for a in sc.scorers(progress.sitting)
            ]
        elif progress.sitting:
            progress.sheets = sc.theory_sheets(progress.sitting)
            progress.mismatch_count = len(sc.mismatches(progress.sitting))
    plan = sc.plan_results(session) if manager or official else None
    context = {
        "session": session,
        "manager": manager,
        "official": official,
        "methods": methods,
        "mine": mine,
        "supervisor": supervisor,
        "corrections": corrections,
        "flagged": flagged,
        "plan": plan,
        "results_refusal": sc.results_refusal(session, request.user, plan) if plan else None,
        "tolerance": sc.tolerance(),
        "breadcrumbs": crumbs(_("Scores: %(session)s") % {"session": session}),
    }
    return render(request, "assessments/scores/scores.html", context)


def marks(request, pk: int):
    """The examiner's own marks: their candidates only, never the others' marks."""
    sitting = _sitting(request, pk)
    session = sitting.session
    assignment = queries.assignment_on(request.user, sitting, kinds=SCORING_KINDS, declared=False)
    if assignment is None:
        raise Http404
    assignment.sitting = sitting
    refusal = sc.marking_refusal(assignment)
    candidates = sc.my_candidates(assignment) if assignment.has_declared else []
    own = {m.enrolment_id: m for m in Mark.objects.filter(assignment=assignment)}
    form = CandidateScoresForm(
        request.POST or None,
        candidates=candidates,
        initial_values={pk: f"{m.value.normalize():f}" for pk, m in own.items()},
    )
    url = reverse("assessments:score_marks", args=[sitting.pk])
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        if action not in ("save", "submit"):
            raise Http404
        try:
            sc.save_marks(request.user, sitting, form.values())
            if action == "submit":
                sc.submit_marks(request.user, sitting)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your marks are sent: the score is made once every examiner has submitted.")
                if action == "submit"
                else _("Your marks are saved; submit them when every candidate is marked."),
            )
            return redirect(url)
    rows = [(e, form[f"mark_{e.pk}"], own.get(e.pk)) for e in candidates]
    to_settle = []
    if assignment.is_leader and assignment.has_declared:
        hidden = queries.conflicted_enrolment_ids(assignment)
        to_settle = [
            score
            for score in MethodScore.objects.filter(
                enrolment__session=session, method=sitting.method, flagged=True,
                source=ScoreSource.MARKS, submitted_at__isnull=True,
            ).select_related("enrolment").order_by("enrolment_id")
            if score.enrolment_id not in hidden
        ]  # fmt: skip
    context = {
        "to_settle": to_settle,
        "session": session,
        "sitting": sitting,
        "assignment": assignment,
        "refusal": refusal,
        "rows": rows,
        "form": form,
        "full_marks": sc.full_marks(sitting),
        "submitted": any(m.submitted_at for m in own.values()),
        "marked": len(own),
        "breadcrumbs": crumbs(_crumb(session), _("My marks")),
    }
    return render(request, "assessments/scores/marks.html", context)


def theory(request, pk: int):
    """The two entries of a theory sitting, their mismatches and the acceptance."""
    sitting = _sitting(request, pk)
    session = sitting.session
    if sitting.method != sc.THEORY:
        raise Http404
    manager = _manager(request, session)
    if not manager and not _official(request, session):
        raise Http404
    url = reverse("assessments:score_theory", args=[sitting.pk])
    lookup = sc.to_score(sitting)
    if len(lookup) > TYPED_LIMIT:  # a form of thousands of fields helps nobody: import a file
        lookup = []
    upload = TheoryUploadForm(prefix="f")
    typed = CandidateScoresForm(prefix="t", candidates=lookup, prefix_name="score")
    if request.method == "POST":
        if not manager:
            raise PermissionDenied("assessments.session.manage")
        action = request.POST.get("action")
        if action == "accept":
            return button_action(
                request,
                lambda: sc.accept_theory(request.user, sitting),
                success_url=url,
                message=_("Both entries agree: the theory scores are accepted."),
            )
        if action == "upload":
            upload = TheoryUploadForm(request.POST, request.FILES, prefix="f")
            form, kwargs = upload, lambda: {"upload": upload.cleaned_data["scores_file"]}
        elif action == "type" and lookup:
            typed = CandidateScoresForm(
                request.POST, prefix="t", candidates=lookup, prefix_name="score"
            )
            form, kwargs = typed, lambda: {"values": typed.values()}
        else:
            raise Http404
        if form.is_valid():
            try:
                sheet = sc.enter_theory(request.user, sitting, **kwargs())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Entry %(entry)d is saved.") % {"entry": sheet.entry})
                return redirect(url)
    sheets = sc.theory_sheets(sitting)
    mine = next((s for s in sheets.values() if s.entered_by_id == request.user.pk), None)
    context = {
        "session": session,
        "sitting": sitting,
        "manager": manager,
        "sheets": [sheets.get(1), sheets.get(2)],
        "mine": mine,
        "mismatches": sc.mismatches(sitting),
        "entry_refusal": sc.entry_refusal(sitting, request.user),
        "acceptance_refusal": sc.acceptance_refusal(sitting, request.user),
        "upload_form": upload,
        "typed_form": typed,
        "typed_rows": [(e, typed[f"score_{e.pk}"]) for e in lookup],
        "typed_limit": TYPED_LIMIT,
        "full_marks": sc.full_marks(sitting),
        "breadcrumbs": crumbs(_crumb(session), _("Theory scores")),
    }
    return render(request, "assessments/scores/theory.html", context)


def _score(request, pk: int) -> MethodScore:
    score = MethodScore.objects.select_related("enrolment__session").filter(pk=pk).first()
    if score is None:
        raise Http404
    _session(request, score.enrolment.session_id)
    return score


def settle(request, pk: int):
    """The group leader (考评组长) settles a score whose marks are too far apart."""
    score = _score(request, pk)
    session = score.enrolment.session
    sitting = session.sittings.filter(method=score.method).first()
    leader = sc.leader_on(request.user, sitting) if sitting else None
    if leader is None or score.enrolment_id in queries.conflicted_enrolment_ids(leader):
        raise Http404
    form = SettleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sc.settle_score(request.user, score, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The score is settled."))
            return redirect("assessments:score_marks", sitting.pk)
    marks_shown = list(
        Mark.objects.filter(enrolment=score.enrolment, assignment__sitting=sitting)
        .select_related("assignment__examiner")
        .order_by("assignment_id")
    )
    context = {
        "session": session,
        "score": score,
        "sitting": sitting,
        "marks": marks_shown,
        "form": form,
        "refusal": sc.settle_refusal(score, request.user),
        "tolerance": sc.tolerance(),
        "breadcrumbs": crumbs(_crumb(session), _("Settle a score")),
    }
    return render(request, "assessments/scores/settle.html", context)


def correction_new(request, pk: int):
    """The agency asks to correct a locked score, with a reason."""
    score = _score(request, pk)
    session = score.enrolment.session
    if not _manager(request, session):
        if _official(request, session):
            raise PermissionDenied("assessments.session.manage")
        raise Http404
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sc.request_correction(request.user, score, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The correction waits for the quality supervisor."))
            return redirect(_scores_url(session))
    context = {
        "session": session,
        "score": score,
        "label": sc.label_of(session, score.method),
        "form": form,
        "refusal": sc.correction_refusal(score, request.user),
        "breadcrumbs": crumbs(_crumb(session), _("Correct a locked score")),
    }
    return render(request, "assessments/scores/correction_new.html", context)


def correction(request, pk: int):
    """A correction; the session's internal quality supervisor confirms or refuses it."""
    found = (
        ScoreCorrection.objects.select_related(
            "score__enrolment__session", "requested_by", "confirmed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    session = _session(request, found.score.enrolment.session_id)
    supervisor = sc.supervisor_on(request.user, session)
    if supervisor is None and not _manager(request, session) and not _official(request, session):
        raise Http404
    refusal_form = RefusalForm(prefix="r")
    url = reverse("assessments:score_correction", args=[found.pk])
    if request.method == "POST":
        if supervisor is None:
            raise PermissionDenied("assessments.score.correction_decide")
        action = request.POST.get("action")
        if action == "confirm":
            return button_action(
                request,
                lambda: sc.confirm_correction(request.user, found),
                success_url=url,
                message=_("The correction is confirmed and applied."),
            )
        if action != "refuse":
            raise Http404
        refusal_form = RefusalForm(request.POST, prefix="r")
        if refusal_form.is_valid():
            try:
                sc.refuse_correction(
                    request.user, found, reason=refusal_form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_errors(refusal_form, exc)
            else:
                messages.success(request, _("The correction is refused; the score stays."))
                return redirect(url)
    context = {
        "session": session,
        "correction": found,
        "label": sc.label_of(session, found.score.method),
        "supervisor": supervisor,
        "refusal_form": refusal_form,
        "decision_refusal": sc.decision_refusal(found, request.user),
        "breadcrumbs": crumbs(_crumb(session), _("Score correction")),
    }
    return render(request, "assessments/scores/correction.html", context)


def results(request, pk: int):
    session = _session(request, pk)
    if not _manager(request, session) and not _official(request, session):
        raise Http404
    rows = list(
        Result.objects.filter(session=session)
        .select_related("enrolment", "enrolment__ticket")
        .order_by("enrolment_id")
    )
    methods = list(sc.methods_of(session).values())
    manager = _manager(request, session)
    ids = {
        (e, m): pk
        for pk, e, m in MethodScore.objects.filter(
            enrolment__session=session, submitted_at__isnull=False
        ).values_list("pk", "enrolment_id", "method")
    }
    for row in rows:
        row.cells = [
            (row.scores.get(m["method"]), ids.get((row.enrolment_id, m["method"]))) for m in methods
        ]
    plan = sc.plan_results(session)
    context = {
        "session": session,
        "rows": rows,
        "methods": methods,
        "withheld": plan.withheld,
        "manager": manager,
        "breadcrumbs": crumbs(_crumb(session), _("Results")),
    }
    return render(request, "assessments/scores/results.html", context)
