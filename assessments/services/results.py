"""Results (Art 20, 21): the pass rule's outcome on notice, final, and the certificates the
certificates app issued from them. ``record_certificates_issued`` is the one call back from
certificates: assessments never imports certificates."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import AssessmentSession, Result, ResultOutcome, ResultStatus
from portal import access, audit, clock
from portal.models import Audience


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


def _set_numbers(results: list[Result]) -> None:
    """One UPDATE … FROM unnest(…) for all the numbers (100,000 certificates in one batch:
    ``bulk_update`` builds a CASE of every row and took most of the issuing time)."""
    if not results:
        return
    from django.db import connection

    table = connection.ops.quote_name(Result._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS r SET certificate_number = v.number "  # noqa: S608
            "FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS number) AS v "
            "WHERE r.id = v.id",
            [[r.pk for r in results], [r.certificate_number for r in results]],
        )
