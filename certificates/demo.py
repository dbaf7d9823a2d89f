"""Demo data of certificates: the demo agency's final sessions get their certificates, the
first one bilingual (zh-en, for the PDF's English variant), the rest in Chinese.

Idempotent: issuing again issues nothing new. ``issue_demo_certificates(session)`` is the
step the lead chains after the results demo (a session whose results are final).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from certificates.models import Certificate, CertificateVariant
from certificates.services import issue_certificates, session_refusal


def _issuer(session):
    from portal.models import AgencyMembership
    from portal.roles import AgencyRole

    membership = (
        AgencyMembership.objects.filter(
            agency=session.agency, role__in=[AgencyRole.ADMIN, AgencyRole.STAFF]
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user if membership else None


def issue_demo_certificates(session, *, actor=None, stdout=None) -> int:
    """Issue the certificates of a final ``session``: one in zh-en (the first result), the
    others in zh. Returns how many were issued now (0 when refused or already done)."""
    from assessments.queries import final_passed_results

    actor = actor or _issuer(session)
    refusal = session_refusal(session)
    if actor is None or refusal:
        if stdout is not None:
            stdout.write(f"certificates: session {session.pk} not issued: {refusal or 'no issuer'}")
        return 0
    waiting = [
        r.result_id
        for r in final_passed_results(session)
        if not Certificate.objects.filter(result_id=r.result_id).exists()
    ]
    if not waiting:
        return 0
    issued = 0
    try:
        if not Certificate.objects.filter(
            session=session, variant=CertificateVariant.ZH_EN
        ).exists():
            issued += issue_certificates(
                actor, [session], variant=CertificateVariant.ZH_EN, only_results=waiting[:1]
            ).done
        issued += issue_certificates(actor, [session], variant=CertificateVariant.ZH).done
    except ValidationError as exc:
        if stdout is not None:
            stdout.write(f"certificates: session {session.pk} not issued: {' '.join(exc.messages)}")
    if stdout is not None and issued:
        stdout.write(f"certificates: {issued} demo certificates issued for session {session.pk}")
    return issued


def seed(stdout=None) -> None:
    """The demo agency's seal; then of the final demo sessions the newest (「待发证」) is left
    for the agency to issue in the browser, the others get their certificates (the first of
    each in zh-en) and the oldest is archived (assessments' archive demo)."""
    from assessments.demo_archive import archive_demo_session
    from assessments.models import AssessmentSession, Result
    from certificates import (
        demo_changes,
        demo_legacy,
        demo_pdf,
        demo_statistics,
        demo_submissions,
        demo_vc,
        demo_verifiers,
    )

    demo_pdf.seed(stdout)
    final = (
        Result.objects.filter(
            status="final",
            outcome="passed",
            certificate__isnull=True,
            session__agency__is_demo=True,
        )
        .values_list("session_id", flat=True)
        .distinct()
    )
    waiting = list(
        AssessmentSession.objects.filter(pk__in=list(final)).order_by("-last_sitting_on", "-pk")
    )
    if AssessmentSession.objects.filter(
        agency__is_demo=True, certificates_recorded_at__isnull=False
    ).exists():
        demo_legacy.seed(stdout)  # idempotent: a re-run adds nothing
        demo_vc.seed(stdout)
        demo_verifiers.seed(stdout)  # idempotent (decision 0051)
        demo_changes.seed(stdout)  # idempotent: prints the figures again
        demo_statistics.seed(stdout)  # idempotent: a re-run only recounts
        demo_submissions.seed(stdout)  # idempotent
        return  # seeded before
    for session in waiting[1:]:
        issue_demo_certificates(session, stdout=stdout)
    if len(waiting) > 2:
        oldest = AssessmentSession.objects.get(pk=waiting[-1].pk)
        archive_demo_session(oldest, stdout=stdout)
    demo_vc.seed(stdout)  # the signed credentials, one by a retired key (decision 0044)
    demo_legacy.seed(stdout)  # legacy records (Art 4), one 16-digit
    demo_verifiers.seed(stdout)  # a verifying organisation, its token, a pending application
    demo_changes.seed(stdout)  # revoked, corrected, reissued, two requests (decision 0049)
    demo_statistics.seed(stdout)  # certificates enough for readable statistics (0053)
    demo_submissions.seed(stdout)  # two batches to the testing centre, one acknowledged (Art 21)
