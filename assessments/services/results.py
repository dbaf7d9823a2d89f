"""Results (Art 20, 21): the pass rule's outcome on notice, final, and the certificates the
certificates app issued from them. ``record_certificates_issued`` is the one call back from
certificates: assessments never imports certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import (
    AssessmentSession,
    ContestedResult,
    Enrolment,
    EnrolmentStatus,
    Result,
    ResultOutcome,
    ResultPublication,
    ResultStatus,
    ScoreReview,
    SessionStatus,
    Ticket,
)
from portal import access, audit, clock, notices, pii
from portal.models import AgencyKind, Audience, NoticeStatus, Objection, PublicNotice
from portal.refusals import Refusal, refuse

NOTICE_KIND = "assessments.results"


def record_certificates_issued(session: AssessmentSession, numbers: Mapping[int, str]) -> int:
    """Art 20, 21: certificates tells the session which certificate each final passing result
    got (``{result_id: number}``), so the session's archive lists its certificates. Called by
    the certificates app inside its issuing transaction; a result not final and passed, or of
    another session, is refused and nothing is recorded. Returns how many were recorded."""
    if not numbers:
        return 0
    with transaction.atomic():
        session = AssessmentSession.objects.select_for_update().get(pk=session.pk)
        results = (
            Result.objects.select_for_update()
            .filter(pk__in=list(numbers))
            .only("pk", "session_id", "status", "outcome", "certificate_number")
            .in_bulk()
        )
        wrong = [
            pk
            for pk in numbers
            if pk not in results
            or results[pk].session_id != session.pk
            or results[pk].status != ResultStatus.FINAL
            or results[pk].outcome != ResultOutcome.PASSED
        ]
        if wrong:
            raise ValidationError(
                _("Certificates are recorded only for final passing results of this session."),
                code="not_final",
            )
        changed = []
        for pk, number in numbers.items():
            result = results[pk]
            if result.certificate_number == number:
                continue
            if result.certificate_number:
                raise ValidationError(
                    _("A result already has another certificate: %(number)s")
                    % {"number": result.certificate_number},
                    code="already_recorded",
                )
            result.certificate_number = number
            changed.append(result)
        _set_numbers(changed)
        if changed:
            session.certificates_recorded_at = clock.now()
            session.save(update_fields=["certificates_recorded_at"])
            ordered = sorted(r.certificate_number for r in changed)
            audit.record(
                access.SYSTEM,
                "assessments.session.certificates_recorded",
                session,
                {
                    "certificates": [None, len(changed)],
                    "first": [None, ordered[0]],
                    "last": [None, ordered[-1]],
                },
                agency=session.agency,
                province=session.site.province_id,
                audience=Audience.AGENCY,
                actor_label="certificates",
            )
    return len(changed)


# --- Publication on notice (Art 20) --------------------------------------------------------------


def _record(actor, action: str, obj, changes: dict, session: AssessmentSession, **kwargs) -> None:
    audit.record(
        actor,
        action,
        obj,
        changes,
        agency=session.agency,
        province=session.site.province_id,
        audience=Audience.AGENCY,
        **kwargs,
    )


def open_publication(session: AssessmentSession) -> ResultPublication | None:
    """The session's publication whose notice is open for objections, if any."""
    return (
        ResultPublication.objects.filter(session=session, notice__status=NoticeStatus.OPEN)
        .select_related("notice")
        .first()
    )


def unresulted_count(session: AssessmentSession) -> int:
    """Enrolled candidates without a result yet (withheld by an undecided incident, or scores
    not computed)."""
    return (
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .filter(result__isnull=True)
        .count()
    )


def publication_refusal(session: AssessmentSession, actor=None) -> Refusal | None:
    """Why the session's results cannot go on notice now, or None (Art 20): every enrolled
    candidate has a computed result, none is back for correction, no notice is open and the
    results are not final yet."""
    if session.status in (SessionStatus.DRAFT, SessionStatus.STOPPED, SessionStatus.CANCELLED):
        return Refusal(_("Only the results of a session that took place are published."), "state")
    statuses = set(Result.objects.filter(session=session).values_list("status", flat=True))
    if not statuses:
        return Refusal(_("No result is computed yet."), "no_results")
    missing = unresulted_count(session)
    if missing:
        return Refusal(
            _(
                "%(count)s enrolled candidates have no result yet (scores not computed, or "
                "withheld until an incident is decided)."
            )
            % {"count": missing},
            "missing",
        )
    if ResultStatus.CORRECTION in statuses:
        return Refusal(
            _("Some results are back for correction: correct and compute their scores first."),
            "correction",
        )
    if open_publication(session) is not None:
        return Refusal(_("The results are already on public notice."), "on_notice")
    if statuses == {ResultStatus.FINAL}:
        return Refusal(_("The results are final."), "final")
    return None


def _notice_text(session: AssessmentSession, round_: int, passed: int) -> tuple[str, str]:
    from assessments.services.sessions import _title
    from portal.templatetags.portal_tags import cndate

    with translation.override(settings.LANGUAGE_CODE):
        title = _("Results of the skill-level assessment: %(agency)s, %(session)s") % {
            "agency": session.agency.name,
            "session": _title(session),
        }
        if round_ > 1:
            title += _(" (corrected list, publication %(round)s)") % {"round": round_}
        body = _(
            "%(agency)s publishes the results of its assessment session %(session)s (last "
            "sitting %(date)s): %(passed)s candidates passed. The list of those who passed, with "
            "masked names and ID numbers, is linked from this notice. Anyone may object while "
            "the notice is open; the authority of the province decides objections. A candidate "
            "may ask the agency for a review of their scores."
        ) % {
            "agency": session.agency.name,
            "session": _title(session),
            "date": cndate(session.last_sitting_on) if session.last_sitting_on else "—",
            "passed": passed,
        }
    return title, body


@transaction.atomic
def publish_results(actor, session: AssessmentSession) -> ResultPublication:
    """Art 20: the agency puts the session's results on public notice for
    ``RESULTS_NOTICE_WORKING_DAYS`` working days (jurisdiction: the site's province, whose
    officials decide objections). The notice links to the structured rows of those who passed
    (``queries.notice_rows``); it never holds them in its text. Every result goes on notice."""
    session = (
        AssessmentSession.objects.select_for_update(of=("self",))
        .select_related("agency", "site", "occupation", "work_type", "level")
        .get(pk=session.pk)
    )
    access.require(actor, "assessments.results.manage", session)
    refuse(publication_refusal(session, actor))
    last = ResultPublication.objects.filter(session=session).order_by("-round").first()
    round_ = last.round + 1 if last else 1
    results = Result.objects.select_for_update().filter(session=session)
    passed = results.filter(outcome=ResultOutcome.PASSED).count()
    title, body = _notice_text(session, round_, passed)
    notice = notices.publish_notice(
        actor,
        session,
        kind=NOTICE_KIND,
        title=title,
        body=body,
        period_working_days=settings.RESULTS_NOTICE_WORKING_DAYS,
        jurisdiction=session.site.province_id,
        agency=session.agency,
    )
    now = clock.now()
    publication = ResultPublication.objects.create(
        session=session, round=round_, notice=notice, published_by=actor, published_at=now
    )
    count = results.exclude(status=ResultStatus.FINAL).update(
        status=ResultStatus.ON_NOTICE, publication=publication
    )
    before = session.results_published_at
    if before is None:
        session.results_published_at = now
        session.save(update_fields=["results_published_at"])
    _record(
        actor,
        "assessments.results.publish",
        session,
        {
            "round": [last.round if last else None, round_],
            "results": [None, count],
            "passed": [None, passed],
            "notice": [None, notice.pk],
        },
        session,
    )
    return publication


def _publication_of(notice: PublicNotice) -> ResultPublication:
    return ResultPublication.objects.select_related(
        "session", "session__agency", "session__site"
    ).get(notice=notice)


def results_stood(notice: PublicNotice) -> int:
    """``on_stood`` of results notices: the notice closed without an upheld objection, so the
    results on it are final (Art 20); certificates may be issued from the passing ones."""
    publication = _publication_of(notice)
    session = AssessmentSession.objects.select_for_update(of=("self",)).get(
        pk=publication.session_id
    )
    now = clock.now()
    count = Result.objects.filter(publication=publication, status=ResultStatus.ON_NOTICE).update(
        status=ResultStatus.FINAL, final_at=now
    )
    session.results_final_at = now
    session.save(update_fields=["results_final_at"])
    _record(
        access.SYSTEM,
        "assessments.results.final",
        session,
        {"results": [None, count], "round": [None, publication.round]},
        publication.session,
        actor_label=notices.JOB_LABEL,
    )
    return count


def results_overturned(notice: PublicNotice, objection: Objection) -> int:
    """``on_overturned`` of results notices: the candidates the official named when upholding
    (``uphold_for_candidates``) go back to correction; the other results stay on the list,
    which is published anew (round 2, …) once the corrected scores are computed. Upholding
    without naming anyone is refused (the notice stays open)."""
    publication = _publication_of(notice)
    named = list(
        ContestedResult.objects.filter(objection=objection).values_list("result_id", flat=True)
    )
    if not named:
        raise ValidationError(
            _(
                "Name the candidates concerned: an objection to a results notice is upheld on "
                "the results page of the session."
            ),
            code="no_candidates",
        )
    count = Result.objects.filter(pk__in=named, publication=publication).update(
        status=ResultStatus.CORRECTION
    )
    _record(
        objection.decided_by,
        "assessments.results.correction",
        publication.session,
        {"results": [None, count], "round": [None, publication.round]},
        publication.session,
    )
    return count


def uphold_refusal(objection: Objection, actor=None) -> Refusal | None:
    return notices.objection_decision_refusal(objection, actor)


@transaction.atomic
def uphold_for_candidates(
    actor, objection: Objection, *, results: Iterable[int], reason: str
) -> Objection:
    """Art 20, 24: an official of the site's province upholds an objection to a results notice
    naming the candidates it concerns; their results return to correction (through
    ``notices.uphold_objection``, whose ``on_overturned`` reads the names)."""
    notice = PublicNotice.objects.select_for_update().get(pk=objection.notice_id)
    access.require(actor, "portal.notice.decide", notice)
    if notice.kind != NOTICE_KIND:
        raise ValidationError(_("This notice is not about assessment results."), code="kind")
    refuse(uphold_refusal(Objection.objects.select_related("notice").get(pk=objection.pk), actor))
    publication = _publication_of(notice)
    wanted = {int(pk) for pk in results}
    found = list(Result.objects.filter(pk__in=wanted, publication=publication))
    if not wanted or len(found) != len(wanted):
        raise ValidationError(
            {"results": _("Choose at least one candidate of this notice.")}, code="no_candidates"
        )
    ContestedResult.objects.bulk_create(
        [ContestedResult(objection=objection, result=r) for r in found]
    )
    return notices.uphold_objection(actor, objection, reason=reason)


# --- Due dates (Art 20) ------------------------------------------------------------------------


def due_working_days(kind: str) -> int:
    if kind == AgencyKind.EMPLOYER:
        return settings.RESULTS_DUE_WORKING_DAYS_EMPLOYER
    return settings.RESULTS_DUE_WORKING_DAYS_SOCIAL_ORG


def results_due_on(session: AssessmentSession) -> dt.date | None:
    """The day by which the session's results are expected on notice: ``RESULTS_DUE_…``
    working days after its last sitting, per the agency's kind (social organisations 5,
    employers 10)."""
    if session.last_sitting_on is None:
        return None
    return clock.add_working_days(session.last_sitting_on, due_working_days(session.agency.kind))


def awaiting_publication(sessions: QuerySet) -> QuerySet:
    """Sessions that sat and whose results are not published yet, with enrolled candidates."""
    return sessions.filter(
        results_published_at__isnull=True,
        last_sitting_on__isnull=False,
        last_sitting_on__lt=clock.today(),
        status__in=[SessionStatus.CLOSED, SessionStatus.OPEN, SessionStatus.FILED],
        enrolments__status=EnrolmentStatus.ENROLLED,
    ).distinct()


def late_sessions(sessions: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Of ``sessions``, those whose results are past their due day. ``due < today`` holds
    exactly when the last sitting is before the N-th working day before today, so one
    comparison per agency kind does it in SQL (index ``session_results_due_idx``)."""
    today = today or clock.today()
    cut = {kind: clock.add_working_days(today, -due_working_days(kind)) for kind in AgencyKind}
    late = Q()
    for kind, day in cut.items():
        late |= Q(agency__kind=kind, last_sitting_on__lt=day)
    return awaiting_publication(sessions).filter(late)


# --- Workers: their result and score reviews (复核) ---------------------------------------------


def find_result(*, ticket: str, name: str, id_number: str) -> Result | None:
    """The worker's own result by ticket number + name + ID number, or None for every kind
    of mismatch alike (no ticket, another name, another ID, no result yet)."""
    code = (ticket or "").strip().upper()
    if not code or not name or not id_number:
        return None
    found = (
        Ticket.objects.filter(code=code)
        .select_related("enrolment__candidate", "enrolment__session")
        .first()
    )
    if found is None:
        return None
    enrolment = found.enrolment
    indexes = pii.index_candidates(enrolment.candidate.id_type, id_number.strip().upper())
    if enrolment.real_name != name.strip() or enrolment.candidate.id_index not in indexes:
        return None
    return (
        Result.objects.filter(enrolment=enrolment)
        .exclude(status=ResultStatus.PROVISIONAL)  # published results only
        .select_related(
            "session",
            "session__agency",
            "session__occupation",
            "session__level",
            "publication",
            "enrolment",
        )  # fmt: skip
        .first()
    )


def published_result(pk: int) -> Result | None:
    """A published result by its key (the look-up's signed token names it)."""
    return (
        Result.objects.filter(pk=pk)
        .exclude(status=ResultStatus.PROVISIONAL)
        .select_related(
            "session",
            "session__agency",
            "session__occupation",
            "session__level",
            "publication",
            "enrolment",
        )  # fmt: skip
        .first()
    )


def review_deadline(result: Result) -> dt.date | None:
    """The last day to ask for a score review: ``SCORE_REVIEW_WORKING_DAYS`` working days
    after the publication the result is on."""
    if result.publication_id is None:
        return None
    published = timezone.localdate(result.publication.published_at)
    return clock.add_working_days(published, settings.SCORE_REVIEW_WORKING_DAYS)


def review_refusal(result: Result, actor=None) -> Refusal | None:
    if result.status not in (ResultStatus.ON_NOTICE, ResultStatus.FINAL):
        return Refusal(_("A review is asked for once the results are published."), "state")
    deadline = review_deadline(result)
    if deadline is None or clock.today() > deadline:
        return Refusal(
            _("The time to ask for a review ended on %(date)s.") % {"date": deadline}, "late"
        )
    if result.reviews.filter(answered_at__isnull=True).exists():
        return Refusal(_("A review of this result is already waiting for the answer."), "open")
    return None


def request_review(result: Result, *, contact: str, request: str) -> ScoreReview:
    """The candidate asks the agency to review their scores (复核), within the deadline, giving
    a contact; they get a tracking code (actor "public": looked up with ticket, name and ID)."""
    errors: dict[str, ValidationError] = {}
    try:
        contact = notices.validate_contact(contact)
    except ValidationError as exc:
        errors["contact"] = exc
    request = (request or "").strip()
    if not request:
        errors["request"] = ValidationError(_("Say which score to review and why."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        result = (
            Result.objects.select_for_update(of=("self",))
            .select_related("publication", "session", "session__agency", "session__site")
            .get(pk=result.pk)
        )
        refuse(review_refusal(result))
        code = notices.new_tracking_code()
        review = ScoreReview.objects.create(
            result=result,
            request=request[:2000],
            contact=contact,
            tracking_code=code,
            requested_at=clock.now(),
        )
        _record(
            None,
            "assessments.review.request",
            review,
            {"result": [None, result.pk]},
            result.session,
            actor_label="public",
        )
    return review


def answer_refusal(review: ScoreReview, actor=None) -> Refusal | None:
    if not review.is_open:
        return Refusal(_("This review has been answered."), "answered")
    return None


@transaction.atomic
def answer_review(actor, review: ScoreReview, *, answer: str, changed: bool) -> ScoreReview:
    """The agency answers a score review with a reason. A changed score goes through the
    scores' correction route: the answer records it and the result returns to correction."""
    review = (
        ScoreReview.objects.select_for_update()
        .select_related(
            "result", "result__session", "result__session__agency", "result__session__site"
        )
        .get(pk=review.pk)
    )
    access.require(actor, "assessments.results.manage", review.result.session)
    refuse(answer_refusal(review, actor))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Give the reason of the answer.")})
    review.answer, review.changed = answer[:2000], bool(changed)
    review.answered_by, review.answered_at = actor, clock.now()
    review.save(update_fields=["answer", "changed", "answered_by", "answered_at"])
    result = review.result
    before = result.status
    if review.changed and result.status != ResultStatus.CORRECTION:
        result.status = ResultStatus.CORRECTION
        result.save(update_fields=["status"])
    _record(
        actor,
        "assessments.review.answer",
        review,
        {"changed": [None, review.changed], "status": [before, result.status]},
        result.session,
    )
    return review


def track_review(code: str) -> ScoreReview | None:
    code = notices.normalise_tracking_code(code)
    if not notices.is_tracking_code(code):
        return None
    return ScoreReview.objects.filter(tracking_code=code).select_related("result__session").first()


def results_url(session: AssessmentSession) -> str:
    return reverse("assessments:results", args=[session.agency_id, session.pk])


def _set_numbers(results: list[Result]) -> None:
    """One UPDATE … FROM unnest(…) for all the numbers (100,000 certificates in one batch:
    ``bulk_update`` builds a CASE of every row and took most of the issuing time)."""
    if not results:
        return
    from django.db import connection

    if connection.vendor != "postgresql":  # the embedded default of make run (SQLite)
        Result.objects.bulk_update(results, ["certificate_number"], batch_size=500)
        return
    table = connection.ops.quote_name(Result._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS r SET certificate_number = v.number "  # noqa: S608
            "FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS number) AS v "
            "WHERE r.id = v.id",
            [[r.pk for r in results], [r.certificate_number for r in results]],
        )
